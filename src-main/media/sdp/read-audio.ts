/**
 * Reads the audio m= line of a parsed SDP (RFC 4566 §5, RFC 3264 §5–§6), refusing what the media
 * engine must never be handed: a c= that is not an IP literal (a host name would cost a DNS
 * lookup per packet), multicast, ports outside 1–65535 for RTP or RTCP.
 */
import { isIP } from 'node:net';
import type * as sdp from 'sdp-transform';
import { allCodecs, type CodecSpec } from './codecs.js';
import { problem, WARN, type SdpProblem } from './sdp-problem.js';
import { parseCryptoAttribute } from '../srtp/sdes.js';

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** One RFC 4568 a=crypto line: tag, suite, and the base64 key||salt of its inline key param. */
export interface SdesCrypto {
  tag: number;
  suite: string;
  key: string;
}

export interface RemoteAudio {
  /** An IPv4 or IPv6 literal; the unspecified address means "send nothing" (RFC 3264 §8.4). */
  address: string;
  port: number;
  rtcpPort: number | undefined;
  rtcpMux: boolean;
  protocol: string;
  codecs: Array<{ codec: CodecSpec; payloadType: number }>;
  events: Array<{ payloadType: number; rtpClock: number }>;
  direction: Direction;
  /** a=ptime as written (clamped later, per codec: packet-time.ts); undefined when absent. */
  ptime: number | string | undefined;
  crypto: SdesCrypto[];
}

/** RFC 3551 static payload types we know by number alone. */
const staticNames: Record<number, string> = { 0: 'PCMU', 8: 'PCMA', 9: 'G722' };

export function readAudio(session: sdp.SessionDescription, index: number): RemoteAudio | SdpProblem {
  const m = session.media[index]!;
  // c= at media level wins over session level (RFC 4566 §5.7).
  const connection = m.connection ?? session.connection;
  if (!connection) return problem(WARN.address, 'no c= line for the audio stream');
  const address = connection.ip;
  const family = isIP(address);
  // RFC 4566 §5.7: IP4 or IP6 with a unicast literal of that family (no host names, no TTL/count).
  if (family === 0 || family !== Number(connection.version)) return problem(WARN.address, 'c= is not an IP address literal');
  if (isMulticast(address)) return problem(WARN.address, 'multicast c= is not supported');
  if (!validPort(m.port)) return problem(WARN.parameter, 'RTP port out of range 1-65535');
  const rtcpMux = m.rtcpMux !== undefined;
  const rtcpPort = m.rtcp?.port;
  // RFC 3550 §11: RTCP on the next port unless a=rtcp (RFC 3605) or rtcp-mux (RFC 5761) says otherwise.
  if (!rtcpMux && !validPort(rtcpPort ?? m.port + 1)) return problem(WARN.parameter, 'RTCP port out of range 1-65535');
  const codecs: RemoteAudio['codecs'] = [];
  const events: RemoteAudio['events'] = [];
  for (const pt of String(m.payloads ?? '').split(' ').filter(Boolean).map(Number)) {
    const rtp = m.rtp.find((r) => r.payload === pt);
    const name = rtp?.codec ?? staticNames[pt];
    if (!name) continue;
    if (name.toLowerCase() === 'telephone-event') {
      events.push({ payloadType: pt, rtpClock: rtp?.rate ?? 8000 });
      continue;
    }
    const codec = Object.values(allCodecs).find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (codec && (rtp?.rate ?? codec.rtpClock) === codec.rtpClock) codecs.push({ codec, payloadType: pt });
  }
  const crypto: SdesCrypto[] = [];
  for (const c of m.crypto ?? []) {
    // RFC 4568 §9.1: one key without MKI (our SRTP contexts have no MKI); malformed lines are skipped.
    const attr = parseCryptoAttribute(`${c.id} ${c.suite} ${c.config}`);
    const key = attr?.keys.length === 1 ? attr.keys[0] : undefined;
    if (attr && key && !key.mki) crypto.push({ tag: attr.tag, suite: attr.suite, key: Buffer.from(key.keySalt).toString('base64') });
  }
  return {
    address,
    port: m.port,
    rtcpPort,
    rtcpMux,
    protocol: m.protocol,
    codecs,
    events,
    direction: (m.direction ?? session.direction ?? 'sendrecv') as Direction,
    ptime: m.ptime,
    crypto,
  };
}

function validPort(port: number | undefined): boolean {
  return Number.isInteger(port) && port! >= 1 && port! <= 65535;
}

/** 224.0.0.0/4 and ff00::/8. */
function isMulticast(address: string): boolean {
  if (address.includes(':')) return address.toLowerCase().startsWith('ff');
  const first = Number(address.split('.')[0]);
  return first >= 224 && first <= 239;
}

/** 0.0.0.0 or ::, the RFC 2543 way of putting a call on hold (RFC 3264 §8.4). */
export function isUnspecified(address: string): boolean {
  return address === '0.0.0.0' || /^[0:]+$/.test(address);
}
