/**
 * STUN/TURN parser fuzz: 120,000 inputs (mutated valid messages — Binding, Allocate, TURN
 * responses, ChannelData-like prefixes — and random bytes) through the parser and every value
 * decoder. No input may throw, and the whole run stays within a generous time bound.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Attr, StunClass, StunMethod } from '../../src-main/net/stun/constants.js';
import { checkIntegrity, encodeStun, looksLikeStun, parseStun, unknownRequired } from '../../src-main/net/stun/message.js';
import {
  decodeAddress, decodeChannelNumber, decodeErrorCode, decodeText, decodeU32, decodeU64, decodeUnknownAttributes,
  decodeXorAddress, encodeErrorCode, encodeXorAddress,
} from '../../src-main/net/stun/attributes.js';
import { parseChannelData } from '../../src-main/net/turn/channel-data.js';
import { StreamFramer } from '../../src-main/net/turn/stream-framer.js';
import { Prng } from './prng.js';

const INPUTS = 120_000;
const key = Buffer.from('fuzz-key');

function seeds(rnd: Prng): Buffer[] {
  const tid = Buffer.alloc(12);
  for (let i = 0; i < 12; i++) tid[i] = rnd.int(256);
  const addr = encodeXorAddress({ family: 4, address: '192.0.2.7', port: 3478 }, tid);
  const addr6 = encodeXorAddress({ family: 6, address: '2001:db8::1', port: 50000 }, tid);
  return [
    encodeStun({ method: StunMethod.Binding, cls: StunClass.Request, transactionId: tid, attributes: [
      { type: Attr.Username, value: Buffer.from('abcd:efgh') }, { type: Attr.Priority, value: Buffer.from([0x6e, 0, 1, 0xff]) },
      { type: Attr.IceControlling, value: Buffer.alloc(8, 3) }, { type: Attr.UseCandidate, value: Buffer.alloc(0) },
    ] }, { integrity: key, fingerprint: true }),
    encodeStun({ method: StunMethod.Binding, cls: StunClass.SuccessResponse, transactionId: tid, attributes: [
      { type: Attr.XorMappedAddress, value: addr6 }, { type: Attr.Software, value: Buffer.from('x') },
    ] }, { integritySha256: key, fingerprint: true }),
    encodeStun({ method: StunMethod.Allocate, cls: StunClass.ErrorResponse, transactionId: tid, attributes: [
      { type: Attr.ErrorCode, value: encodeErrorCode(401, 'Unauthorized') }, { type: Attr.Realm, value: Buffer.from('example.org') },
      { type: Attr.Nonce, value: Buffer.from('abcdef0123456789') },
    ] }),
    encodeStun({ method: StunMethod.Allocate, cls: StunClass.SuccessResponse, transactionId: tid, attributes: [
      { type: Attr.XorRelayedAddress, value: addr }, { type: Attr.XorMappedAddress, value: addr },
      { type: Attr.Lifetime, value: Buffer.from([0, 0, 2, 0x58]) },
    ] }, { integrity: key }),
    encodeStun({ method: StunMethod.Data, cls: StunClass.Indication, transactionId: tid, attributes: [
      { type: Attr.XorPeerAddress, value: addr }, { type: Attr.Data, value: Buffer.alloc(172, 0x80) },
    ] }),
  ];
}

function mutate(rnd: Prng, seed: Buffer): Buffer {
  const r = rnd.float();
  if (r < 0.05) {
    const out = Buffer.alloc(rnd.int(200));
    for (let i = 0; i < out.length; i++) out[i] = rnd.int(256);
    return out;
  }
  const out = Buffer.from(seed);
  const edits = 1 + rnd.int(4);
  for (let e = 0; e < edits; e++) {
    const kind = rnd.int(6);
    const at = rnd.int(out.length);
    if (kind === 0) out[at] = rnd.int(256);
    else if (kind === 1) out[at] = out[at]! ^ (1 << rnd.int(8));
    else if (kind === 2 && at + 1 < out.length) out.writeUInt16BE([0, 1, 3, 4, 0xffff, 0xfffc, rnd.int(65536)][rnd.int(7)]!, at & ~1);
    else if (kind === 3) return fixLength(rnd, out.subarray(0, at));
    else if (kind === 4) return fixLength(rnd, Buffer.concat([out, Buffer.alloc(rnd.int(3) * 4 + rnd.int(4), rnd.int(256))]));
    else if (kind === 5 && out.length >= 24) out.writeUInt16BE(rnd.int(4) * 4 + rnd.int(3), 22);
  }
  return rnd.float() < 0.5 ? fixLength(rnd, out) : out;
}

/** Often repair the header length so the mutation reaches the attribute parser. */
function fixLength(rnd: Prng, b: Buffer): Buffer {
  if (b.length >= 20 && rnd.float() < 0.8) b.writeUInt16BE((b.length - 20) & 0xffff, 2);
  return b;
}

it('STUN parser, ChannelData parser and TCP framer survive 120,000 hostile inputs without throwing, in bounded time', () => {
  const rnd = new Prng(0x5717);
  const pool = seeds(rnd);
  let accepted = 0;
  let framer = new StreamFramer();
  const started = process.hrtime.bigint();
  for (let i = 0; i < INPUTS; i++) {
    const data = mutate(rnd, pool[rnd.int(pool.length)]!);
    try {
      looksLikeStun(data);
      parseChannelData(data);
      const framed = framer.push(data);
      if (!framed.ok) framer = new StreamFramer();
      const r = parseStun(data);
      if (!r.ok) continue;
      accepted++;
      const m = r.message;
      checkIntegrity(m, key);
      unknownRequired(m, new Set([Attr.Username]));
      for (const a of m.attributes) {
        decodeAddress(a.value); decodeXorAddress(a.value, m.transactionId); decodeErrorCode(a.value);
        decodeText(a.value, 763, 127); decodeU32(a.value); decodeU64(a.value); decodeChannelNumber(a.value);
        decodeUnknownAttributes(a.value);
      }
    } catch (error) {
      assert.fail(`input ${i} (${data.toString('hex')}) threw: ${String(error)}`);
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // Both outcomes must occur, or the mutator is not exercising the parser.
  assert.ok(accepted > 1000 && accepted < INPUTS, `accepted ${accepted}`);
  // Linear-time parsing of ≤ 1 kB inputs: ~1 s here; 60 s only catches pathological slowness.
  assert.ok(seconds < 60, `took ${seconds.toFixed(1)} s`);
});
