/**
 * STUN message parse and serialize (RFC 8489 §5, §14): strict and bounded, linear in the input.
 * The parser checks the header, every attribute's bounds and padding, the position rules of
 * MESSAGE-INTEGRITY(-SHA256) and FINGERPRINT, and the FINGERPRINT value; message integrity needs
 * the key, so callers check it with `checkIntegrity` once they know which key applies.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { Attr, FINGERPRINT_XOR, HEADER_BYTES, MAGIC_COOKIE, StunClass, TRANSACTION_ID_BYTES } from './constants.js';

export interface StunAttribute {
  readonly type: number;
  /** The value without padding (a view into the message). */
  readonly value: Buffer;
}

export interface StunMessage {
  readonly method: number;
  readonly cls: StunClass;
  /** 12 bytes (a view into `raw`). */
  readonly transactionId: Buffer;
  /** In wire order, up to (not including) MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256, FINGERPRINT. */
  readonly attributes: readonly StunAttribute[];
  readonly raw: Buffer;
  /** Offset of the MESSAGE-INTEGRITY attribute header, or -1. */
  readonly integrityAt: number;
  /** Offset of the MESSAGE-INTEGRITY-SHA256 attribute header, or -1. */
  readonly integritySha256At: number;
  /** FINGERPRINT present (and correct: a wrong one fails the parse). */
  readonly fingerprint: boolean;
}

export interface StunLimits {
  /** Largest message accepted, bytes (header included). */
  maxBytes: number;
  /** Most attributes in one message. */
  maxAttributes: number;
}

/** 65,535 + 20 is the format's own ceiling; 64 attributes is far above any real message. */
export const defaultStunLimits: StunLimits = { maxBytes: 65_555, maxAttributes: 64 };

export type StunParseResult = { ok: true; message: StunMessage } | { ok: false; reason: string };

/** RFC 8489 §5: type = M11..M7 C1 M6..M4 C0 M3..M0. */
export function messageType(method: number, cls: StunClass): number {
  return (method & 0x000f) | ((method & 0x0070) << 1) | ((method & 0x0f80) << 2) | ((cls & 1) << 4) | ((cls & 2) << 7);
}

/**
 * Cheap demultiplexing test (RFC 7983 §7 first byte 0..3, plus RFC 8489 §5 cookie and length):
 * true when the datagram may be STUN. Parse to be sure.
 */
export function looksLikeStun(data: Uint8Array): boolean {
  return (
    data.length >= HEADER_BYTES &&
    data[0]! < 4 &&
    data[4] === 0x21 && data[5] === 0x12 && data[6] === 0xa4 && data[7] === 0x42 &&
    ((data[2]! << 8) | data[3]!) + HEADER_BYTES === data.length
  );
}

const fail = (reason: string): StunParseResult => ({ ok: false, reason });

/** Parse one complete STUN message (a datagram, or one framed from a stream). */
export function parseStun(data: Buffer, limits: StunLimits = defaultStunLimits): StunParseResult {
  if (data.length < HEADER_BYTES) return fail('shorter than the 20-byte header');
  if (data.length > limits.maxBytes) return fail(`message exceeds ${limits.maxBytes} bytes`);
  const type = data.readUInt16BE(0);
  // §5: the most significant 2 bits of every STUN message MUST be zeroes.
  if (type & 0xc000) return fail('first two bits not zero');
  if (data.readUInt32BE(4) !== MAGIC_COOKIE) return fail('wrong magic cookie');
  const length = data.readUInt16BE(2);
  if (length % 4 !== 0) return fail('length not a multiple of 4');
  if (length + HEADER_BYTES !== data.length) return fail('length field does not match the message size');
  const method = (type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2);
  const cls = (((type >> 4) & 1) | ((type >> 7) & 2)) as StunClass;

  const attributes: StunAttribute[] = [];
  let integrityAt = -1;
  let integritySha256At = -1;
  let fingerprint = false;
  let count = 0;
  let pos = HEADER_BYTES;
  while (pos < data.length) {
    if (++count > limits.maxAttributes) return fail(`more than ${limits.maxAttributes} attributes`);
    if (pos + 4 > data.length) return fail('truncated attribute header');
    const at = data.readUInt16BE(pos);
    const len = data.readUInt16BE(pos + 2);
    const padded = (len + 3) & ~3;
    if (pos + 4 + padded > data.length) return fail(`attribute 0x${at.toString(16)} overruns the message`);
    const value = data.subarray(pos + 4, pos + 4 + len);
    if (at === Attr.Fingerprint) {
      // §14.7: FINGERPRINT is last, 4 bytes, CRC-32 of the message before it XOR 0x5354554e.
      if (len !== 4) return fail('FINGERPRINT length not 4');
      if (pos + 8 !== data.length) return fail('FINGERPRINT not last');
      if (value.readUInt32BE(0) !== fingerprintOf(data, pos)) return fail('FINGERPRINT mismatch');
      fingerprint = true;
    } else if (at === Attr.MessageIntegrity) {
      // §14.5: 20-byte HMAC-SHA1; only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT may follow.
      if (len !== 20) return fail('MESSAGE-INTEGRITY length not 20');
      if (integrityAt >= 0 || integritySha256At >= 0) return fail('MESSAGE-INTEGRITY out of place');
      integrityAt = pos;
    } else if (at === Attr.MessageIntegritySha256) {
      // §14.6: 16..32 bytes, a multiple of 4; only FINGERPRINT may follow.
      if (len < 16 || len > 32 || len % 4 !== 0) return fail('MESSAGE-INTEGRITY-SHA256 length invalid');
      if (integritySha256At >= 0) return fail('MESSAGE-INTEGRITY-SHA256 repeated');
      integritySha256At = pos;
    } else if (integrityAt < 0 && integritySha256At < 0) {
      attributes.push({ type: at, value });
    }
    // §14.5: other attributes after MESSAGE-INTEGRITY are ignored.
    pos += 4 + padded;
  }
  return {
    ok: true,
    message: {
      method, cls, transactionId: data.subarray(8, 8 + TRANSACTION_ID_BYTES), attributes, raw: data,
      integrityAt, integritySha256At, fingerprint,
    },
  };
}

/** First attribute of a type (§14: later duplicates are ignored). */
export function attribute(message: StunMessage, type: number): Buffer | undefined {
  for (const a of message.attributes) if (a.type === type) return a.value;
  return undefined;
}

/** Comprehension-required attribute types (< 0x8000) not in `known` (§6.3.1, 420 Unknown Attribute). */
export function unknownRequired(message: StunMessage, known: ReadonlySet<number>): number[] {
  const out: number[] = [];
  for (const a of message.attributes) if (a.type < 0x8000 && !known.has(a.type) && !out.includes(a.type)) out.push(a.type);
  return out;
}

/** §14.7: CRC-32 over the message up to `at`, with the length field already covering FINGERPRINT. */
function fingerprintOf(data: Buffer, at: number): number {
  return (crc32(data.subarray(0, at)) ^ FINGERPRINT_XOR) >>> 0;
}

/**
 * §14.5/§14.6: HMAC over the message up to the integrity attribute, with the header's length
 * field as if the message ended right after that attribute.
 */
function hmacAt(data: Buffer, at: number, sha256: boolean, key: Buffer, macLength: number): Buffer {
  const hmac = createHmac(sha256 ? 'sha256' : 'sha1', key);
  const header = Buffer.from(data.subarray(0, 4));
  header.writeUInt16BE(at + 4 + macLength - HEADER_BYTES, 2);
  hmac.update(header);
  hmac.update(data.subarray(4, at));
  return hmac.digest().subarray(0, macLength);
}

/**
 * Check the message's integrity with `key` (§9.1.3, §9.2.4): MESSAGE-INTEGRITY-SHA256 when
 * present, else MESSAGE-INTEGRITY. False when neither is present or the MAC differs.
 */
export function checkIntegrity(message: StunMessage, key: Buffer): boolean {
  const { raw } = message;
  if (message.integritySha256At >= 0) {
    const at = message.integritySha256At;
    const len = raw.readUInt16BE(at + 2);
    return timingSafeEqual(hmacAt(raw, at, true, key, len), raw.subarray(at + 4, at + 4 + len));
  }
  if (message.integrityAt >= 0) {
    const at = message.integrityAt;
    return timingSafeEqual(hmacAt(raw, at, false, key, 20), raw.subarray(at + 4, at + 24));
  }
  return false;
}

export interface StunDraft {
  method: number;
  cls: StunClass;
  transactionId: Uint8Array;
  attributes: { type: number; value: Uint8Array }[];
}

export interface EncodeOptions {
  /** Add MESSAGE-INTEGRITY (HMAC-SHA1) with this key. */
  integrity?: Buffer;
  /** Add MESSAGE-INTEGRITY-SHA256 with this key. */
  integritySha256?: Buffer;
  /** Add FINGERPRINT (always for ICE, RFC 8445 §7.1.1). */
  fingerprint?: boolean;
}

/** Serialize a message; attributes are padded with zeroes to 4 bytes (§14). */
export function encodeStun(draft: StunDraft, options: EncodeOptions = {}): Buffer {
  if (draft.transactionId.length !== TRANSACTION_ID_BYTES) throw new RangeError('transaction ID must be 12 bytes');
  let size = HEADER_BYTES;
  for (const a of draft.attributes) {
    if (a.value.length > 0xffff) throw new RangeError('attribute too long');
    size += 4 + ((a.value.length + 3) & ~3);
  }
  const macs = (options.integrity ? 24 : 0) + (options.integritySha256 ? 36 : 0);
  const total = size + macs + (options.fingerprint ? 8 : 0);
  if (total - HEADER_BYTES > 0xffff) throw new RangeError('message too long');
  const out = Buffer.alloc(total);
  out.writeUInt16BE(messageType(draft.method, draft.cls), 0);
  out.writeUInt32BE(MAGIC_COOKIE, 4);
  out.set(draft.transactionId, 8);
  let pos = HEADER_BYTES;
  for (const a of draft.attributes) {
    out.writeUInt16BE(a.type, pos);
    out.writeUInt16BE(a.value.length, pos + 2);
    out.set(a.value, pos + 4);
    pos += 4 + ((a.value.length + 3) & ~3);
  }
  if (options.integrity) {
    out.writeUInt16BE(Attr.MessageIntegrity, pos);
    out.writeUInt16BE(20, pos + 2);
    hmacAt(out, pos, false, options.integrity, 20).copy(out, pos + 4);
    pos += 24;
  }
  if (options.integritySha256) {
    out.writeUInt16BE(Attr.MessageIntegritySha256, pos);
    out.writeUInt16BE(32, pos + 2);
    hmacAt(out, pos, true, options.integritySha256, 32).copy(out, pos + 4);
    pos += 36;
  }
  if (options.fingerprint) {
    out.writeUInt16BE(total - HEADER_BYTES, 2);
    out.writeUInt16BE(Attr.Fingerprint, pos);
    out.writeUInt16BE(4, pos + 2);
    out.writeUInt32BE(fingerprintOf(out, pos), pos + 4);
    pos += 8;
  }
  out.writeUInt16BE(total - HEADER_BYTES, 2);
  return out;
}
