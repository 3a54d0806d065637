/** RTP fixed header (RFC 3550 §5.1), header extension (§5.3.1), padding, rtcp-mux demux (RFC 5761 §4). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  emptyRtpHeader, isRtcp, parseRtp, parseRtpInto, randomRtpStart, writeRtp,
} from '../../../src-main/media/rtp/rtp-packet.js';
import { sequenceRandom } from '../../../src-main/util/random.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

// V=2 P=0 X=0 CC=0 | M=0 PT=15 | seq 0x1234 | ts 0xdecafbad | SSRC 0xcafebabe | 4 payload octets
const RFC3550_5_1_MINIMAL = hex('800f1234 decafbad cafebabe abababab');

test('RFC 3550 §5.1: writeRtp produces the fixed header byte-exact and parseRtp reads it back', () => {
  const out = new Uint8Array(64);
  const n = writeRtp(out, { marker: false, payloadType: 15, sequence: 0x1234, timestamp: 0xdecafbad, ssrc: 0xcafebabe }, hex('abababab'));
  assert.equal(n, 16);
  assert.deepEqual(out.subarray(0, n), RFC3550_5_1_MINIMAL);
  assert.deepEqual(parseRtp(RFC3550_5_1_MINIMAL), {
    marker: false, payloadType: 15, sequence: 0x1234, timestamp: 0xdecafbad, ssrc: 0xcafebabe,
    csrcCount: 0, hasExtension: false, paddingLength: 0, payloadOffset: 12, payloadLength: 4,
  });
});

test('RFC 3550 §5.1: marker bit and a dynamic payload type share the second octet', () => {
  const out = new Uint8Array(12);
  writeRtp(out, { marker: true, payloadType: 111, sequence: 65535, timestamp: 0xffffffff, ssrc: 1 }, new Uint8Array(0));
  assert.deepEqual(out, hex('80efffff ffffffff 00000001'));
  const h = parseRtp(out)!;
  assert.equal(h.marker, true);
  assert.equal(h.payloadType, 111);
  assert.equal(h.sequence, 65535);
  assert.equal(h.timestamp, 0xffffffff);
  assert.equal(h.payloadLength, 0);
});

test('writeRtp returns 0 when the buffer is too small', () => {
  assert.equal(writeRtp(new Uint8Array(15), { marker: false, payloadType: 0, sequence: 0, timestamp: 0, ssrc: 0 }, new Uint8Array(4)), 0);
});

test('RFC 3550 §5.1/§5.3.1: CSRC list, header extension and padding are skipped', () => {
  // V=2 P=1 X=1 CC=2 → 0xb2; PT 0; two CSRCs; extension 0xBEDE with 1 word; payload 3 octets; padding 3.
  const packet = hex('b2000001 00000002 00000003 11111111 22222222 bede0001 10ff0000 a1a2a3 000003');
  const h = parseRtp(packet)!;
  assert.equal(h.csrcCount, 2);
  assert.equal(h.hasExtension, true);
  assert.equal(h.paddingLength, 3);
  assert.equal(h.payloadOffset, 12 + 8 + 8);
  assert.equal(h.payloadLength, 3);
  assert.deepEqual(packet.subarray(h.payloadOffset, h.payloadOffset + h.payloadLength), hex('a1a2a3'));
});

test('parseRtp rejects invalid packets without throwing', () => {
  const cases: Array<[string, string]> = [
    ['version 1', '400f1234 decafbad cafebabe'],
    ['version 0', '000f1234 decafbad cafebabe'],
    ['shorter than the fixed header', '800f1234 decafbad cafeba'],
    ['CSRC count past the end', '830f1234 decafbad cafebabe 00000001 00000002'],
    ['extension preamble past the end', '900f1234 decafbad cafebabe bede'],
    ['extension length past the end', '900f1234 decafbad cafebabe bede0002 00000000'],
    ['padding count 0', 'a00f1234 decafbad cafebabe abab0000'],
    ['padding longer than the payload', 'a00f1234 decafbad cafebabe abab0005'],
  ];
  for (const [name, bytes] of cases) assert.equal(parseRtp(hex(bytes)), undefined, name);
});

test('parseRtp never throws on random input and every accepted packet adds up', () => {
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 16;
  let accepted = 0;
  for (let i = 0; i < 20000; i++) {
    const data = new Uint8Array(next() % 40);
    for (let j = 0; j < data.length; j++) data[j] = next() & 0xff;
    if (data.length > 0) data[0] = (data[0]! & 0x3f) | 0x80; // mostly version 2 to exercise the rest
    const h = parseRtp(data);
    if (h) {
      accepted++;
      assert.equal(h.payloadOffset + h.payloadLength + h.paddingLength, data.length);
      assert.ok(h.payloadLength >= 0);
    }
  }
  assert.ok(accepted > 500, `accepted ${accepted}`); // 854 with this seed
});

test('parseRtpInto reuses the result object and reports failure', () => {
  const out = emptyRtpHeader();
  assert.equal(parseRtpInto(RFC3550_5_1_MINIMAL, out), true);
  assert.equal(out.sequence, 0x1234);
  const second = hex('80801235 00000001 cafebabe');
  assert.equal(parseRtpInto(second, out), true);
  assert.equal(out.marker, true);
  assert.equal(out.sequence, 0x1235);
  assert.equal(out.payloadLength, 0);
  assert.equal(parseRtpInto(hex('40'), out), false);
});

test('RFC 3550 §5.1: SSRC, initial sequence and timestamp come from the injected Random', () => {
  const start = randomRtpStart(sequenceRandom([0xdeadbeef, 0x1_2345, 7]));
  assert.deepEqual(start, { ssrc: 0xdeadbeef, sequence: 0x2345, timestamp: 7 });
});

test('RFC 5761 §4: second octet 192–223 is RTCP, everything else RTP', () => {
  const withSecond = (b: number) => Uint8Array.from([0x80, b, 0, 0]);
  assert.equal(isRtcp(withSecond(200)), true); // SR
  assert.equal(isRtcp(withSecond(201)), true); // RR
  assert.equal(isRtcp(withSecond(192)), true);
  assert.equal(isRtcp(withSecond(223)), true);
  assert.equal(isRtcp(withSecond(191)), false); // PT 63 with marker
  assert.equal(isRtcp(withSecond(224)), false); // PT 96 with marker
  assert.equal(isRtcp(withSecond(0)), false); // PCMU
  assert.equal(isRtcp(withSecond(111)), false); // Opus
  assert.equal(isRtcp(Uint8Array.from([0x80])), false);
});
