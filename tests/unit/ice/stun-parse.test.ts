/** RFC 8489 §5/§14 strictness: each malformed message is refused with a precise reason. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Attr, StunClass, StunMethod } from '../../../src-main/net/stun/constants.js';
import { encodeStun, looksLikeStun, messageType, parseStun, unknownRequired } from '../../../src-main/net/stun/message.js';
import { decodeErrorCode, decodeText, decodeXorAddress, encodeErrorCode } from '../../../src-main/net/stun/attributes.js';

const tid = Buffer.from('000102030405060708090a0b', 'hex');
const base = (attributes: { type: number; value: Buffer }[] = [], opts = {}) =>
  encodeStun({ method: StunMethod.Binding, cls: StunClass.Request, transactionId: tid, attributes }, opts);

function refused(data: Buffer, reason: RegExp): void {
  const r = parseStun(data);
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.reason, reason);
}

describe('STUN parser strictness (RFC 8489)', () => {
  it('§5 message type bits: every method/class pair round-trips', () => {
    for (const method of [0x001, 0x003, 0x009, 0xfff]) {
      for (const cls of [StunClass.Request, StunClass.Indication, StunClass.SuccessResponse, StunClass.ErrorResponse]) {
        const r = parseStun(encodeStun({ method, cls, transactionId: tid, attributes: [] }));
        assert.ok(r.ok);
        assert.equal(r.message.method, method);
        assert.equal(r.message.cls, cls);
      }
    }
    assert.equal(messageType(StunMethod.Binding, StunClass.SuccessResponse), 0x0101);
    assert.equal(messageType(StunMethod.Allocate, StunClass.ErrorResponse), 0x0113);
  });

  it('§5 header: short, bad top bits, wrong cookie, length mismatch, unaligned length', () => {
    refused(Buffer.alloc(19), /shorter/);
    const m = base();
    const top = Buffer.from(m); top[0] = 0x40; refused(top, /first two bits/);
    const cookie = Buffer.from(m); cookie[4] = 0; refused(cookie, /cookie/);
    refused(Buffer.concat([m, Buffer.alloc(4)]), /does not match/);
    const odd = Buffer.concat([m, Buffer.alloc(2)]); odd.writeUInt16BE(2, 2); refused(odd, /multiple of 4/);
    refused(Buffer.alloc(70_000), /exceeds/);
  });

  it('§14 attributes: overrun, too many, FINGERPRINT not last, bad FINGERPRINT', () => {
    const over = base([{ type: Attr.Software, value: Buffer.from('abcd') }]);
    over.writeUInt16BE(200, 22);
    refused(over, /overruns/);
    refused(base(Array.from({ length: 65 }, () => ({ type: 0x8050, value: Buffer.alloc(0) }))), /more than 64/);
    const fp = base([], { fingerprint: true });
    const after = Buffer.concat([fp, Buffer.from([0x80, 0x22, 0, 0])]);
    after.writeUInt16BE(after.length - 20, 2);
    refused(after, /FINGERPRINT not last/);
    const flipped = Buffer.from(fp); flipped[fp.length - 1] = flipped[fp.length - 1]! ^ 1; refused(flipped, /FINGERPRINT mismatch/);
  });

  it('§14.5 MESSAGE-INTEGRITY: length 20 only; attributes after it are ignored', () => {
    const bad = base([{ type: Attr.MessageIntegrity, value: Buffer.alloc(16) }]);
    refused(bad, /MESSAGE-INTEGRITY length/);
    const key = Buffer.from('k');
    const withMi = base([{ type: Attr.Username, value: Buffer.from('a:b') }], { integrity: key });
    const trailing = Buffer.concat([withMi, Buffer.from([0x80, 0x22, 0, 0])]);
    trailing.writeUInt16BE(trailing.length - 20, 2);
    const r = parseStun(trailing);
    assert.ok(r.ok);
    assert.deepEqual(r.message.attributes.map((a) => a.type), [Attr.Username]);
  });

  it('looksLikeStun separates STUN from RTP, RTCP and ChannelData (RFC 7983)', () => {
    assert.ok(looksLikeStun(base()));
    const rtp = Buffer.alloc(172); rtp[0] = 0x80; assert.equal(looksLikeStun(rtp), false);
    const channel = Buffer.from([0x40, 0x00, 0x00, 0x04, 1, 2, 3, 4]); assert.equal(looksLikeStun(channel), false);
  });

  it('§6.3.1 unknown comprehension-required attributes are listed once', () => {
    const r = parseStun(base([{ type: 0x7777, value: Buffer.alloc(1) }, { type: 0x7777, value: Buffer.alloc(0) }, { type: 0x8888, value: Buffer.alloc(0) }]));
    assert.ok(r.ok);
    assert.deepEqual(unknownRequired(r.message, new Set([Attr.Username])), [0x7777]);
  });

  it('value decoders refuse malformed values', () => {
    assert.equal(decodeXorAddress(Buffer.alloc(7), tid), undefined);
    assert.equal(decodeXorAddress(Buffer.from([0, 3, 0, 0, 0, 0, 0, 0]), tid), undefined);
    assert.equal(decodeXorAddress(Buffer.from([0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), tid), undefined);
    assert.deepEqual(decodeErrorCode(encodeErrorCode(401, 'Unauthorized')), { code: 401, reason: 'Unauthorized' });
    assert.equal(decodeErrorCode(Buffer.from([0, 0, 7, 0])), undefined);
    assert.equal(decodeErrorCode(Buffer.from([0, 0, 4, 100])), undefined);
    assert.equal(decodeText(Buffer.from([0xc3, 0x28]), 10), undefined);
    assert.equal(decodeText(Buffer.alloc(764, 0x61), 763), undefined);
    assert.equal(decodeText(Buffer.from('é'.repeat(128)), 763, 127), undefined);
  });
});
