/**
 * RTCP compound packets (RFC 3550 §6): SR (§6.4.1), RR (§6.4.2), SDES (§6.5), BYE (§6.6).
 * Parsing is strict on lengths (every length field must land exactly on the next packet and the
 * sum on the datagram end, A.2) and tolerant of unknown packet types, which are kept as views.
 * RTCP is sent every few seconds, so these build and parse plain objects; `writeRtcp` still writes
 * into a caller buffer.
 */
import { readU32, writeU32 } from './rtp-packet.js';

export const RTCP_VERSION = 2;
export const RTCP_HEADER_LENGTH = 4;
export const RTCP_PADDING_BIT = 0x20;
export const RTCP_COUNT_MASK = 0x1f;
export const RTCP_MAX_COUNT = 31;
export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;
export const RTCP_APP = 204;
/** SR: SSRC + NTP (8) + RTP timestamp + packet count + octet count. */
export const SENDER_INFO_LENGTH = 24;
export const REPORT_BLOCK_LENGTH = 24;
/** SDES item types (§6.5). */
export const SDES_END = 0;
export const SDES_CNAME = 1;

export interface ReportBlock {
  /** The source this block reports on. */
  ssrc: number;
  /** Fraction lost since the previous report, 8-bit fixed point (lost/expected × 256). */
  fractionLost: number;
  /** Cumulative packets lost, signed 24-bit (duplicates can make it negative). */
  cumulativeLost: number;
  /** Extended highest sequence number received (cycles << 16 | max seq). */
  highestSequence: number;
  /** Interarrival jitter [RTP timestamp units]. */
  jitter: number;
  /** Compact NTP of the last SR received from `ssrc`, 0 if none (LSR). */
  lastSr: number;
  /** Delay since that SR [1/65536 s] (DLSR). */
  delaySinceLastSr: number;
}

export interface SenderInfo {
  ntpSeconds: number;
  ntpFraction: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
}

export interface SenderReport { type: 'SR'; ssrc: number; sender: SenderInfo; reports: ReportBlock[] }
export interface ReceiverReport { type: 'RR'; ssrc: number; reports: ReportBlock[] }
export interface SdesItem { type: number; value: string }
export interface SdesChunk { ssrc: number; items: SdesItem[] }
export interface SourceDescription { type: 'SDES'; chunks: SdesChunk[] }
export interface Goodbye { type: 'BYE'; sources: number[]; reason?: string }
/** Any other packet type (APP, RTPFB, PSFB, XR...): skipped by length, body kept as a view. */
export interface OtherRtcp { type: 'other'; packetType: number; count: number; body: Uint8Array }
export type RtcpPacket = SenderReport | ReceiverReport | SourceDescription | Goodbye | OtherRtcp;

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: false });

/** Parses a compound (or single) RTCP packet; undefined if any length or version is wrong. */
export function parseRtcp(data: Uint8Array): RtcpPacket[] | undefined {
  const packets: RtcpPacket[] = [];
  let offset = 0;
  if (data.length < RTCP_HEADER_LENGTH) return undefined;
  while (offset < data.length) {
    if (data.length - offset < RTCP_HEADER_LENGTH) return undefined;
    const b0 = data[offset]!;
    if (b0 >> 6 !== RTCP_VERSION) return undefined;
    const count = b0 & RTCP_COUNT_MASK;
    const packetType = data[offset + 1]!;
    const length = (((data[offset + 2]! << 8) | data[offset + 3]!) + 1) * 4;
    const end = offset + length;
    if (end > data.length) return undefined;
    let bodyEnd = end;
    if (b0 & RTCP_PADDING_BIT) {
      // A.2: only the last packet of a compound may be padded.
      if (end !== data.length) return undefined;
      const pad = data[end - 1]!;
      if (pad === 0 || pad > length - RTCP_HEADER_LENGTH) return undefined;
      bodyEnd = end - pad;
    }
    const body = data.subarray(offset + RTCP_HEADER_LENGTH, bodyEnd);
    const packet = parseOne(packetType, count, body);
    if (!packet) return undefined;
    packets.push(packet);
    offset = end;
  }
  return packets;
}

function parseOne(packetType: number, count: number, body: Uint8Array): RtcpPacket | undefined {
  switch (packetType) {
    case RTCP_SR: {
      if (body.length < SENDER_INFO_LENGTH + count * REPORT_BLOCK_LENGTH) return undefined;
      const sender: SenderInfo = {
        ntpSeconds: readU32(body, 4),
        ntpFraction: readU32(body, 8),
        rtpTimestamp: readU32(body, 12),
        packetCount: readU32(body, 16),
        octetCount: readU32(body, 20),
      };
      return { type: 'SR', ssrc: readU32(body, 0), sender, reports: parseBlocks(body, SENDER_INFO_LENGTH, count) };
    }
    case RTCP_RR:
      if (body.length < 4 + count * REPORT_BLOCK_LENGTH) return undefined;
      return { type: 'RR', ssrc: readU32(body, 0), reports: parseBlocks(body, 4, count) };
    case RTCP_SDES:
      return parseSdes(body, count);
    case RTCP_BYE:
      return parseBye(body, count);
    default:
      return { type: 'other', packetType, count, body };
  }
}

function parseBlocks(body: Uint8Array, offset: number, count: number): ReportBlock[] {
  const blocks: ReportBlock[] = [];
  for (let i = 0; i < count; i++, offset += REPORT_BLOCK_LENGTH) {
    const lost = (body[offset + 5]! << 16) | (body[offset + 6]! << 8) | body[offset + 7]!;
    blocks.push({
      ssrc: readU32(body, offset),
      fractionLost: body[offset + 4]!,
      cumulativeLost: lost & 0x80_0000 ? lost - 0x100_0000 : lost,
      highestSequence: readU32(body, offset + 8),
      jitter: readU32(body, offset + 12),
      lastSr: readU32(body, offset + 16),
      delaySinceLastSr: readU32(body, offset + 20),
    });
  }
  return blocks;
}

function parseSdes(body: Uint8Array, count: number): SourceDescription | undefined {
  const chunks: SdesChunk[] = [];
  let offset = 0;
  for (let c = 0; c < count; c++) {
    if (offset + 4 > body.length) return undefined;
    const chunk: SdesChunk = { ssrc: readU32(body, offset), items: [] };
    offset += 4;
    for (;;) {
      if (offset >= body.length) return undefined;
      const type = body[offset]!;
      if (type === SDES_END) break;
      if (offset + 2 > body.length) return undefined;
      const len = body[offset + 1]!;
      if (offset + 2 + len > body.length) return undefined;
      chunk.items.push({ type, value: utf8Decoder.decode(body.subarray(offset + 2, offset + 2 + len)) });
      offset += 2 + len;
    }
    // The list ends with one or more null octets up to the next 32-bit boundary.
    offset = (offset + 4) & ~3;
    if (offset > body.length) return undefined;
    chunks.push(chunk);
  }
  return { type: 'SDES', chunks };
}

function parseBye(body: Uint8Array, count: number): Goodbye | undefined {
  if (body.length < count * 4) return undefined;
  const sources: number[] = [];
  for (let i = 0; i < count; i++) sources.push(readU32(body, i * 4));
  const rest = count * 4;
  if (body.length > rest) {
    const len = body[rest]!;
    if (rest + 1 + len > body.length) return undefined;
    return { type: 'BYE', sources, reason: utf8Decoder.decode(body.subarray(rest + 1, rest + 1 + len)) };
  }
  return { type: 'BYE', sources };
}

/** Octets `packet` takes on the wire. */
export function rtcpLength(packet: RtcpPacket): number {
  switch (packet.type) {
    case 'SR':
      return RTCP_HEADER_LENGTH + SENDER_INFO_LENGTH + packet.reports.length * REPORT_BLOCK_LENGTH;
    case 'RR':
      return RTCP_HEADER_LENGTH + 4 + packet.reports.length * REPORT_BLOCK_LENGTH;
    case 'SDES': {
      let n = RTCP_HEADER_LENGTH;
      for (const chunk of packet.chunks) {
        let c = 4;
        for (const item of chunk.items) c += 2 + Math.min(255, utf8.encode(item.value).length);
        n += (c + 4) & ~3; // at least one null octet, then pad to 32 bits
      }
      return n;
    }
    case 'BYE': {
      const reason = packet.reason === undefined ? 0 : 1 + Math.min(255, utf8.encode(packet.reason).length);
      return RTCP_HEADER_LENGTH + 4 * packet.sources.length + ((reason + 3) & ~3);
    }
    case 'other':
      return RTCP_HEADER_LENGTH + ((packet.body.length + 3) & ~3);
  }
}

/** Writes the compound into `out`; returns octets written, or 0 if `out` is too small. */
export function writeRtcp(out: Uint8Array, packets: readonly RtcpPacket[]): number {
  let total = 0;
  for (const p of packets) total += rtcpLength(p);
  if (out.length < total) return 0;
  out.fill(0, 0, total);
  let offset = 0;
  for (const p of packets) offset += writeOne(out, offset, p);
  return offset;
}

/** Allocating convenience form of `writeRtcp`. */
export function buildRtcp(packets: readonly RtcpPacket[]): Uint8Array {
  const out = new Uint8Array(packets.reduce((n, p) => n + rtcpLength(p), 0));
  writeRtcp(out, packets);
  return out;
}

function writeOne(out: Uint8Array, offset: number, p: RtcpPacket): number {
  const length = rtcpLength(p);
  let count: number;
  let packetType: number;
  let o = offset + RTCP_HEADER_LENGTH;
  switch (p.type) {
    case 'SR':
      packetType = RTCP_SR;
      count = p.reports.length;
      writeU32(out, o, p.ssrc);
      writeU32(out, o + 4, p.sender.ntpSeconds);
      writeU32(out, o + 8, p.sender.ntpFraction);
      writeU32(out, o + 12, p.sender.rtpTimestamp);
      writeU32(out, o + 16, p.sender.packetCount);
      writeU32(out, o + 20, p.sender.octetCount);
      writeBlocks(out, o + SENDER_INFO_LENGTH, p.reports);
      break;
    case 'RR':
      packetType = RTCP_RR;
      count = p.reports.length;
      writeU32(out, o, p.ssrc);
      writeBlocks(out, o + 4, p.reports);
      break;
    case 'SDES':
      packetType = RTCP_SDES;
      count = p.chunks.length;
      for (const chunk of p.chunks) {
        const start = o;
        writeU32(out, o, chunk.ssrc);
        o += 4;
        for (const item of chunk.items) {
          const text = utf8.encode(item.value).subarray(0, 255);
          out[o] = item.type;
          out[o + 1] = text.length;
          out.set(text, o + 2);
          o += 2 + text.length;
        }
        o = start + ((o - start + 4) & ~3); // null terminator(s), already zeroed
      }
      break;
    case 'BYE':
      packetType = RTCP_BYE;
      count = p.sources.length;
      for (const s of p.sources) {
        writeU32(out, o, s);
        o += 4;
      }
      if (p.reason !== undefined) {
        const text = utf8.encode(p.reason).subarray(0, 255);
        out[o] = text.length;
        out.set(text, o + 1);
      }
      break;
    case 'other':
      packetType = p.packetType;
      count = p.count;
      out.set(p.body, o);
      break;
  }
  if (count > RTCP_MAX_COUNT) throw new RangeError(`RTCP ${p.type}: ${count} items exceed ${RTCP_MAX_COUNT}`);
  out[offset] = (RTCP_VERSION << 6) | count;
  out[offset + 1] = packetType;
  const words = length / 4 - 1;
  out[offset + 2] = words >>> 8;
  out[offset + 3] = words & 0xff;
  return length;
}

function writeBlocks(out: Uint8Array, offset: number, blocks: readonly ReportBlock[]): void {
  for (const b of blocks) {
    writeU32(out, offset, b.ssrc);
    const lost = Math.max(-0x80_0000, Math.min(0x7f_ffff, b.cumulativeLost)) & 0xff_ffff;
    writeU32(out, offset + 4, ((b.fractionLost & 0xff) << 24) | lost);
    writeU32(out, offset + 8, b.highestSequence);
    writeU32(out, offset + 12, b.jitter);
    writeU32(out, offset + 16, b.lastSr);
    writeU32(out, offset + 20, b.delaySinceLastSr);
    offset += REPORT_BLOCK_LENGTH;
  }
}

/** The CNAME of `ssrc` in an SDES packet, if present. */
export function findCname(packet: SourceDescription, ssrc: number): string | undefined {
  return packet.chunks.find((c) => c.ssrc === ssrc)?.items.find((i) => i.type === SDES_CNAME)?.value;
}
