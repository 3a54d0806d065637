/**
 * Minimal classic-pcap reader for loopback captures (tshark `-F pcap`): UDP/IPv4 datagrams with
 * their capture time. Link types: Ethernet (Linux `lo`), BSD null/loopback, Linux cooked (SLL).
 */
import { readFileSync } from 'node:fs';

export interface UdpDatagram {
  /** Capture time, ms since the epoch (µs resolution). */
  timeMs: number;
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
}

/** pcap global header magic (µs timestamps), as read little- or big-endian. */
const MAGIC_US = 0xa1b2c3d4;
const MAGIC_NS = 0xa1b23c4d;
const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;
const LINKTYPE_NULL = 0;
const LINKTYPE_ETHERNET = 1;
const LINKTYPE_LINUX_SLL = 113;
const ETHERTYPE_IPV4 = 0x0800;
const IPPROTO_UDP = 17;
const UDP_HEADER = 8;

function linkHeader(linkType: number, frame: DataView): number | undefined {
  switch (linkType) {
    case LINKTYPE_ETHERNET: return frame.getUint16(12) === ETHERTYPE_IPV4 ? 14 : undefined;
    case LINKTYPE_NULL: return 4;
    case LINKTYPE_LINUX_SLL: return frame.getUint16(14) === ETHERTYPE_IPV4 ? 16 : undefined;
    default: throw new Error(`pcap: unsupported link type ${linkType}`);
  }
}

export function readPcapUdp(file: string): UdpDatagram[] {
  const bytes = readFileSync(file);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < GLOBAL_HEADER) return [];
  const le = view.getUint32(0, true) === MAGIC_US || view.getUint32(0, true) === MAGIC_NS;
  const magic = view.getUint32(0, le);
  if (magic !== MAGIC_US && magic !== MAGIC_NS) throw new Error(`${file}: not a classic pcap file (write it with tshark -F pcap)`);
  const fraction = magic === MAGIC_NS ? 1e-6 : 1e-3;
  const linkType = view.getUint32(20, le);
  const out: UdpDatagram[] = [];
  for (let at = GLOBAL_HEADER; at + RECORD_HEADER <= bytes.length;) {
    const sec = view.getUint32(at, le);
    const sub = view.getUint32(at + 4, le);
    const caplen = view.getUint32(at + 8, le);
    const start = at + RECORD_HEADER;
    at = start + caplen;
    if (at > bytes.length) break;
    const frame = new DataView(bytes.buffer, bytes.byteOffset + start, caplen);
    const ip = linkHeader(linkType, frame);
    if (ip === undefined || caplen < ip + 20) continue;
    const ihl = (frame.getUint8(ip) & 0x0f) * 4;
    if (frame.getUint8(ip) >> 4 !== 4 || frame.getUint8(ip + 9) !== IPPROTO_UDP) continue;
    const udp = ip + ihl;
    if (caplen < udp + UDP_HEADER) continue;
    out.push({
      timeMs: sec * 1000 + sub * fraction,
      srcPort: frame.getUint16(udp),
      dstPort: frame.getUint16(udp + 2),
      payload: bytes.subarray(start + udp + UDP_HEADER, start + Math.min(caplen, udp + frame.getUint16(udp + 4))),
    });
  }
  return out;
}
