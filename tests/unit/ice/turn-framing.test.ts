/** RFC 8656 §12.4/§12.5: ChannelData and TCP framing of STUN and ChannelData. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeChannelData, parseChannelData } from '../../../src-main/net/turn/channel-data.js';
import { StreamFramer } from '../../../src-main/net/turn/stream-framer.js';
import { encodeStun } from '../../../src-main/net/stun/message.js';
import { StunClass, StunMethod } from '../../../src-main/net/stun/constants.js';

describe('TURN framing (RFC 8656)', () => {
  it('§12.4 ChannelData: header, UDP unpadded, TCP padded to 4; bounded parse', () => {
    const udp = encodeChannelData(0x4001, Buffer.from('abcde'), false);
    assert.equal(udp.toString('hex'), '4001000561626364' + '65');
    const tcp = encodeChannelData(0x4001, Buffer.from('abcde'), true);
    assert.equal(tcp.length, 12);
    assert.deepEqual(parseChannelData(tcp), { channel: 0x4001, payload: Buffer.from('abcde') });
    assert.equal(parseChannelData(Buffer.from([0x40, 0x01, 0x00, 0x09, 1, 2])), undefined, 'length beyond the data');
    assert.equal(parseChannelData(Buffer.from([0x50, 0x00, 0x00, 0x00])), undefined, 'not a channel number');
  });

  it('§12.5 a byte stream split anywhere yields the same STUN and ChannelData frames', () => {
    const stun = encodeStun({ method: StunMethod.Binding, cls: StunClass.SuccessResponse, transactionId: Buffer.alloc(12, 1), attributes: [{ type: 0x8022, value: Buffer.from('x') }] }, { fingerprint: true });
    const cd = encodeChannelData(0x4000, Buffer.from('odd'), true);
    const stream = Buffer.concat([stun, cd, stun, cd]);
    for (let split = 1; split < stream.length; split++) {
      const f = new StreamFramer();
      const a = f.push(stream.subarray(0, split));
      const b = f.push(stream.subarray(split));
      assert.ok(a.ok && b.ok);
      assert.deepEqual([...a.frames, ...b.frames], [stun, cd, stun, cd]);
    }
  });

  it('§12.5 anything that is neither STUN nor ChannelData ends the stream', () => {
    assert.equal(new StreamFramer().push(Buffer.from([0x80, 0x00, 0x00, 0x10])).ok, false, 'RTP');
    assert.equal(new StreamFramer().push(Buffer.from('\x16\x03\x01\x00\x10abcdef', 'latin1')).ok, false, 'a TLS record');
    assert.equal(new StreamFramer().push(Buffer.from('PUT / HTTP/1.1\r\n')).ok, false, 'HTTP');
  });
});
