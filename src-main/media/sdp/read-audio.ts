/** Reads the audio m= line of a parsed SDP (RFC 4566 §5, RFC 3264 §5–§6). */
import type * as sdp from 'sdp-transform';
import { allCodecs, type CodecSpec } from './codecs.js';
import { parseCryptoAttribute } from '../srtp/sdes.js';

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** One RFC 4568 a=crypto line: tag, suite, and the base64 key||salt of its inline key param. */
export interface SdesCrypto {
  tag: number;
  suite: string;
  key: string;
}

export interface RemoteAudio {
  address: string;
  port: number;
  rtcpPort: number | undefined;
  rtcpMux: boolean;
  protocol: string;
  codecs: Array<{ codec: CodecSpec; payloadType: number }>;
  events: Array<{ payloadType: number; rtpClock: number }>;
  direction: Direction;
  ptime: number;
  crypto: SdesCrypto[];
}

/** RFC 3551 static payload types we know by number alone. */
const staticNames: Record<number, string> = { 0: 'PCMU', 8: 'PCMA', 9: 'G722' };

export function readAudio(session: sdp.SessionDescription, index: number): RemoteAudio | undefined {
  const m = session.media[index]!;
  // c= at media level wins over session level (RFC 4566 §5.7).
  const address = m.connection?.ip ?? session.connection?.ip;
  if (!address) return undefined;
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
    rtcpPort: m.rtcp?.port,
    rtcpMux: m.rtcpMux !== undefined,
    protocol: m.protocol,
    codecs,
    events,
    direction: (m.direction ?? session.direction ?? 'sendrecv') as Direction,
    ptime: m.ptime ?? 20,
    crypto,
  };
}
