/**
 * RTP fixed header (RFC 3550 §5.1): parse without allocation (`parseRtpInto`), write into a caller
 * buffer, random initial SSRC/sequence/timestamp, and the rtcp-mux demultiplexer (RFC 5761 §4).
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 *  |                           timestamp                           |
 *  |           synchronization source (SSRC) identifier            |
 *  |            contributing source (CSRC) identifiers  ...        |
 */
import type { Random } from '../../util/random.js';

export const RTP_VERSION = 2;
export const RTP_HEADER_LENGTH = 12;
export const RTP_VERSION_SHIFT = 6;
export const RTP_PADDING_BIT = 0x20;
export const RTP_EXTENSION_BIT = 0x10;
export const RTP_CSRC_COUNT_MASK = 0x0f;
export const RTP_MARKER_BIT = 0x80;
export const RTP_PAYLOAD_TYPE_MASK = 0x7f;
/** Header extension preamble: 16-bit profile-defined value, 16-bit length in 32-bit words (§5.3.1). */
export const RTP_EXTENSION_PREAMBLE = 4;

export interface RtpHeader {
  marker: boolean;
  payloadType: number;
  /** 16-bit sequence number. */
  sequence: number;
  /** 32-bit media timestamp [clock-rate units]. */
  timestamp: number;
  ssrc: number;
  csrcCount: number;
  hasExtension: boolean;
  /** Padding octets at the end, including the count octet; 0 when P is clear. */
  paddingLength: number;
  /** Offset of the payload from the start of the packet [octets]. */
  payloadOffset: number;
  payloadLength: number;
}

/** What `writeRtp` needs; CSRCs, extensions and padding are never sent by us. */
export interface RtpHeaderFields {
  marker: boolean;
  payloadType: number;
  sequence: number;
  timestamp: number;
  ssrc: number;
}

export function emptyRtpHeader(): RtpHeader {
  return {
    marker: false, payloadType: 0, sequence: 0, timestamp: 0, ssrc: 0,
    csrcCount: 0, hasExtension: false, paddingLength: 0, payloadOffset: 0, payloadLength: 0,
  };
}

/**
 * Parses `data` into `out` (reused on the receive path: no allocation). Returns false, leaving `out`
 * unspecified, for anything that is not a valid RTP packet: version ≠ 2, shorter than the fixed
 * header, CSRC list or extension running past the end, or a padding count of 0 or too large.
 */
export function parseRtpInto(data: Uint8Array, out: RtpHeader): boolean {
  const length = data.length;
  if (length < RTP_HEADER_LENGTH) return false;
  const b0 = data[0]!;
  if (b0 >> RTP_VERSION_SHIFT !== RTP_VERSION) return false;
  const csrcCount = b0 & RTP_CSRC_COUNT_MASK;
  let offset = RTP_HEADER_LENGTH + 4 * csrcCount;
  if (offset > length) return false;
  const hasExtension = (b0 & RTP_EXTENSION_BIT) !== 0;
  if (hasExtension) {
    if (offset + RTP_EXTENSION_PREAMBLE > length) return false;
    offset += RTP_EXTENSION_PREAMBLE + 4 * ((data[offset + 2]! << 8) | data[offset + 3]!);
    if (offset > length) return false;
  }
  let paddingLength = 0;
  if (b0 & RTP_PADDING_BIT) {
    paddingLength = data[length - 1]!;
    if (paddingLength === 0 || paddingLength > length - offset) return false;
  }
  const b1 = data[1]!;
  out.marker = (b1 & RTP_MARKER_BIT) !== 0;
  out.payloadType = b1 & RTP_PAYLOAD_TYPE_MASK;
  out.sequence = (data[2]! << 8) | data[3]!;
  out.timestamp = readU32(data, 4);
  out.ssrc = readU32(data, 8);
  out.csrcCount = csrcCount;
  out.hasExtension = hasExtension;
  out.paddingLength = paddingLength;
  out.payloadOffset = offset;
  out.payloadLength = length - offset - paddingLength;
  return true;
}

/** Allocating convenience form of `parseRtpInto`; never throws. */
export function parseRtp(data: Uint8Array): RtpHeader | undefined {
  const h = emptyRtpHeader();
  return parseRtpInto(data, h) ? h : undefined;
}

/**
 * Writes a 12-octet header (V=2, no padding, extension or CSRC) and `payload` into `out`; returns
 * the octets written, or 0 if `out` is too small.
 */
export function writeRtp(out: Uint8Array, h: RtpHeaderFields, payload: Uint8Array): number {
  const total = RTP_HEADER_LENGTH + payload.length;
  if (out.length < total) return 0;
  writeRtpHeader(out, h);
  out.set(payload, RTP_HEADER_LENGTH);
  return total;
}

/** Writes only the fixed header (the payload is encoded in place at offset 12); returns 12. */
export function writeRtpHeader(out: Uint8Array, h: RtpHeaderFields): number {
  out[0] = RTP_VERSION << RTP_VERSION_SHIFT;
  out[1] = (h.marker ? RTP_MARKER_BIT : 0) | (h.payloadType & RTP_PAYLOAD_TYPE_MASK);
  out[2] = (h.sequence >>> 8) & 0xff;
  out[3] = h.sequence & 0xff;
  writeU32(out, 4, h.timestamp);
  writeU32(out, 8, h.ssrc);
  return RTP_HEADER_LENGTH;
}

/** RFC 3550 §5.1: SSRC, initial sequence number and timestamp SHOULD be random. */
export function randomRtpStart(random: Random): { ssrc: number; sequence: number; timestamp: number } {
  return {
    ssrc: random.int(0x1_0000_0000) >>> 0,
    sequence: random.int(0x1_0000),
    timestamp: random.int(0x1_0000_0000) >>> 0,
  };
}

/** RFC 5761 §4 (rtcp-mux): second octet 192–223 is an RTCP packet type, anything else RTP. */
export const RTCP_MUX_FIRST_TYPE = 192;
export const RTCP_MUX_LAST_TYPE = 223;

export function isRtcp(data: Uint8Array): boolean {
  if (data.length < 2) return false;
  const b1 = data[1]!;
  return b1 >= RTCP_MUX_FIRST_TYPE && b1 <= RTCP_MUX_LAST_TYPE;
}

export function readU32(data: Uint8Array, offset: number): number {
  return ((data[offset]! << 24) | (data[offset + 1]! << 16) | (data[offset + 2]! << 8) | data[offset + 3]!) >>> 0;
}

export function writeU32(data: Uint8Array, offset: number, value: number): void {
  data[offset] = (value >>> 24) & 0xff;
  data[offset + 1] = (value >>> 16) & 0xff;
  data[offset + 2] = (value >>> 8) & 0xff;
  data[offset + 3] = value & 0xff;
}
