/**
 * Attribute value codecs (RFC 8489 §14, RFC 8656 §18, RFC 8445 §16.1). Decoders take hostile
 * bytes: each checks lengths and ranges and returns undefined for a malformed value.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { Bounds, MAGIC_COOKIE, TRANSACTION_ID_BYTES } from './constants.js';

export interface TransportAddress {
  family: 4 | 6;
  address: string;
  port: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function ipv4Bytes(address: string): Buffer {
  return Buffer.from(address.split('.').map(Number));
}

function ipv6Bytes(address: string): Buffer {
  const out = Buffer.alloc(16);
  let text = address;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two groups.
  const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const b = ipv4Bytes(v4[2]!);
    text = `${v4[1]}${b.readUInt16BE(0).toString(16)}:${b.readUInt16BE(2).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') as [string, string] : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

function ipv6Text(b: Uint8Array): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i]! << 8) | b[i + 1]!).toString(16));
  // RFC 5952 §4.2.3: compress the longest run of zero groups (length ≥ 2), first one on ties.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

/** Raw address bytes for an IP literal; throws on anything else (our own values only). */
export function addressBytes(address: string): Buffer {
  if (isIPv4(address)) return ipv4Bytes(address);
  if (isIPv6(address)) return ipv6Bytes(address);
  throw new RangeError(`not an IP address: ${address}`);
}

/** RFC 8489 §14.1 MAPPED-ADDRESS (also ALTERNATE-SERVER). */
export function decodeAddress(value: Uint8Array): TransportAddress | undefined {
  if (value.length < 4 || value[0] !== 0) return undefined;
  const family = value[1];
  const port = (value[2]! << 8) | value[3]!;
  if (family === 1 && value.length === 8) return { family: 4, address: Array.from(value.subarray(4, 8)).join('.'), port };
  if (family === 2 && value.length === 20) return { family: 6, address: ipv6Text(value.subarray(4, 20)), port };
  return undefined;
}

export function encodeAddress(a: TransportAddress): Buffer {
  const ip = addressBytes(a.address);
  const out = Buffer.alloc(4 + ip.length);
  out[1] = ip.length === 4 ? 1 : 2;
  out.writeUInt16BE(a.port, 2);
  ip.copy(out, 4);
  return out;
}

/** XOR mask: the magic cookie then the transaction ID (§14.2). */
function xorMask(transactionId: Uint8Array): Buffer {
  const mask = Buffer.alloc(4 + TRANSACTION_ID_BYTES);
  mask.writeUInt32BE(MAGIC_COOKIE, 0);
  mask.set(transactionId, 4);
  return mask;
}

/** Port XOR the cookie's top 16 bits; address XOR cookie (IPv4) or cookie + transaction ID (IPv6). */
function applyMask(value: Buffer, transactionId: Uint8Array): void {
  const mask = xorMask(transactionId);
  value[2] = value[2]! ^ mask[0]!;
  value[3] = value[3]! ^ mask[1]!;
  for (let i = 4; i < value.length; i++) value[i] = value[i]! ^ mask[i - 4]!;
}

/** RFC 8489 §14.2 XOR-MAPPED-ADDRESS (also XOR-PEER-ADDRESS, XOR-RELAYED-ADDRESS). */
export function decodeXorAddress(value: Uint8Array, transactionId: Uint8Array): TransportAddress | undefined {
  if (value.length !== 8 && value.length !== 20) return undefined;
  const plain = Buffer.from(value);
  applyMask(plain, transactionId);
  return decodeAddress(plain);
}

export function encodeXorAddress(a: TransportAddress, transactionId: Uint8Array): Buffer {
  const out = encodeAddress(a);
  applyMask(out, transactionId);
  return out;
}

/** RFC 8489 §14.8 ERROR-CODE: class 3..6, number 0..99, UTF-8 reason (bounded). */
export function decodeErrorCode(value: Uint8Array): { code: number; reason: string } | undefined {
  if (value.length < 4 || value[0] !== 0 || value[1] !== 0) return undefined;
  const cls = value[2]! & 0x07;
  const num = value[3]!;
  if (cls < 3 || cls > 6 || num > 99) return undefined;
  const reason = decodeText(value.subarray(4), Bounds.textBytes, Bounds.textChars);
  if (reason === undefined) return undefined;
  return { code: cls * 100 + num, reason };
}

export function encodeErrorCode(code: number, reason: string): Buffer {
  const text = Buffer.from(reason, 'utf8');
  const out = Buffer.alloc(4 + text.length);
  out[2] = Math.floor(code / 100);
  out[3] = code % 100;
  text.copy(out, 4);
  return out;
}

/** UTF-8 text within byte and character bounds (REALM, NONCE, SOFTWARE, reason phrases). */
export function decodeText(value: Uint8Array, maxBytes: number, maxChars = Infinity): string | undefined {
  if (value.length > maxBytes) return undefined;
  let text: string;
  try {
    text = utf8.decode(value);
  } catch {
    return undefined;
  }
  if (maxChars !== Infinity && [...text].length > maxChars) return undefined;
  return text;
}

export function encodeText(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

/** 32-bit unsigned values: PRIORITY, LIFETIME (§18.2 of RFC 8656), FINGERPRINT-like fields. */
export function decodeU32(value: Uint8Array): number | undefined {
  if (value.length !== 4) return undefined;
  return ((value[0]! << 24) | (value[1]! << 16) | (value[2]! << 8) | value[3]!) >>> 0;
}

export function encodeU32(n: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(n >>> 0, 0);
  return out;
}

/** ICE-CONTROLLING / ICE-CONTROLLED tie-breaker (RFC 8445 §16.1): 64-bit unsigned. */
export function decodeU64(value: Uint8Array): bigint | undefined {
  if (value.length !== 8) return undefined;
  return Buffer.from(value).readBigUInt64BE(0);
}

export function encodeU64(n: bigint): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(BigInt.asUintN(64, n), 0);
  return out;
}

/** RFC 8656 §18.1 CHANNEL-NUMBER: number in the first 2 bytes, 2 bytes RFFU. */
export function decodeChannelNumber(value: Uint8Array): number | undefined {
  if (value.length !== 4) return undefined;
  return (value[0]! << 8) | value[1]!;
}

export function encodeChannelNumber(channel: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt16BE(channel, 0);
  return out;
}

/** RFC 8656 §18.7 REQUESTED-TRANSPORT: protocol number (17 = UDP) then 3 bytes RFFU. */
export function encodeRequestedTransport(protocol: number): Buffer {
  return Buffer.from([protocol, 0, 0, 0]);
}

/** RFC 8489 §14.13 UNKNOWN-ATTRIBUTES: a list of 16-bit types. */
export function encodeUnknownAttributes(types: number[]): Buffer {
  const out = Buffer.alloc(types.length * 2);
  types.forEach((t, i) => out.writeUInt16BE(t, i * 2));
  return out;
}

export function decodeUnknownAttributes(value: Uint8Array): number[] | undefined {
  if (value.length % 2 !== 0) return undefined;
  const out: number[] = [];
  for (let i = 0; i < value.length; i += 2) out.push((value[i]! << 8) | value[i + 1]!);
  return out;
}
