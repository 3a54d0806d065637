/**
 * SDP offer/answer for one audio stream (RFC 3264), built and read with sdp-transform.
 * Non-audio streams in an offer are declined with port 0 (§6); the answer keeps our preference
 * order among the codecs both sides support (§6.1) and mirrors the direction (§6.1 table).
 */
import * as sdp from 'sdp-transform';
import { allCodecs, defaultCodecOrder, telephoneEvent, type CodecSpec } from './codecs.js';

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface LocalMedia {
  /** Address for c= (IP literal). */
  address: string;
  rtpPort: number;
  codecs?: CodecSpec['name'][];
  direction?: Direction;
  ptime?: number;
  /** o= session id/version are kept across re-offers (RFC 3264 §8). */
  sessionId: number;
  version: number;
}

export interface NegotiatedAudio {
  codec: CodecSpec;
  /** Payload type the peer uses for this codec (dynamic types differ between sides). */
  payloadType: number;
  telephoneEventPt: number | undefined;
  remoteAddress: string;
  remotePort: number;
  direction: Direction;
  ptime: number;
}

export function createOffer(local: LocalMedia): string {
  const codecs = (local.codecs ?? defaultCodecOrder).map((n) => allCodecs[n]);
  const events = telephoneEvent.filter((e) => codecs.some((c) => c.rtpClock === e.rtpClock));
  return writeSession(local, codecs.map((c) => ({ ...c })), events, local.direction ?? 'sendrecv');
}

/** Answer an offer; undefined when no offered audio codec is acceptable (the caller sends 488). */
export function createAnswer(offerText: string, local: LocalMedia): { sdp: string; audio: NegotiatedAudio } | undefined {
  const offer = sdp.parse(offerText);
  const audioIndex = offer.media.findIndex((m) => m.type === 'audio' && m.port !== 0);
  if (audioIndex < 0) return undefined;
  const remote = readAudio(offer, audioIndex);
  if (!remote) return undefined;
  const prefs = local.codecs ?? defaultCodecOrder;
  const chosen = prefs.map((n) => remote.codecs.find((c) => c.codec.name === n)).find((c) => c !== undefined);
  if (!chosen) return undefined;
  const direction = answerDirection(remote.direction, local.direction ?? 'sendrecv');
  const session = sdp.parse(writeSession(local, [{ ...chosen.codec, payloadType: chosen.payloadType }],
    remote.events.filter((e) => e.rtpClock === chosen.codec.rtpClock), direction));
  // §6: one m= line per offered stream, in order; declined ones get port 0.
  session.media = offer.media.map((m, i) => (i === audioIndex ? session.media[0]! : declined(m)));
  return {
    sdp: sdp.write(session),
    audio: {
      codec: chosen.codec, payloadType: chosen.payloadType,
      telephoneEventPt: remote.events.find((e) => e.rtpClock === chosen.codec.rtpClock)?.payloadType,
      remoteAddress: remote.address, remotePort: remote.port, direction: remote.direction, ptime: remote.ptime,
    },
  };
}

/** Read the peer's answer to our offer. */
export function readAnswer(answerText: string): NegotiatedAudio | undefined {
  const answer = sdp.parse(answerText);
  const i = answer.media.findIndex((m) => m.type === 'audio' && m.port !== 0);
  if (i < 0) return undefined;
  const remote = readAudio(answer, i);
  const first = remote?.codecs[0];
  if (!remote || !first) return undefined;
  return {
    codec: first.codec, payloadType: first.payloadType,
    telephoneEventPt: remote.events.find((e) => e.rtpClock === first.codec.rtpClock)?.payloadType,
    remoteAddress: remote.address, remotePort: remote.port, direction: remote.direction, ptime: remote.ptime,
  };
}

type MediaDescription = sdp.SessionDescription['media'][number];

function readAudio(session: sdp.SessionDescription, index: number) {
  const m = session.media[index]!;
  const address = m.connection?.ip ?? session.connection?.ip;
  if (!address) return undefined;
  const codecs: Array<{ codec: CodecSpec; payloadType: number }> = [];
  const events: Array<{ payloadType: number; rtpClock: number }> = [];
  for (const pt of String(m.payloads ?? '').split(' ').filter(Boolean).map(Number)) {
    const rtp = m.rtp.find((r) => r.payload === pt);
    const name = rtp?.codec ?? staticName(pt);
    if (!name) continue;
    if (name.toLowerCase() === 'telephone-event') {
      events.push({ payloadType: pt, rtpClock: rtp?.rate ?? 8000 });
      continue;
    }
    const codec = Object.values(allCodecs).find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (codec && (rtp?.rate ?? codec.rtpClock) === codec.rtpClock) codecs.push({ codec, payloadType: pt });
  }
  const direction = (m.direction ?? session.direction ?? 'sendrecv') as Direction;
  return { address, port: m.port, codecs, events, direction, ptime: m.ptime ?? 20 };
}

function staticName(pt: number): string | undefined {
  return ({ 0: 'PCMU', 8: 'PCMA', 9: 'G722' } as Record<number, string>)[pt];
}

/** RFC 3264 §6.1: sendonly ↔ recvonly; inactive stays inactive; limited by what we want. */
function answerDirection(offered: Direction, wanted: Direction): Direction {
  const mirror: Record<Direction, Direction> = { sendrecv: 'sendrecv', sendonly: 'recvonly', recvonly: 'sendonly', inactive: 'inactive' };
  const m = mirror[offered];
  if (wanted === 'sendrecv') return m;
  if (m === 'sendrecv') return wanted;
  return m === wanted ? m : 'inactive';
}

function declined(m: MediaDescription): MediaDescription {
  return { type: m.type, port: 0, protocol: m.protocol, payloads: m.payloads, rtp: [], fmtp: [] };
}

function writeSession(local: LocalMedia, codecs: CodecSpec[], events: Array<{ payloadType: number; rtpClock: number }>, direction: Direction): string {
  const family = local.address.includes(':') ? 6 : 4;
  const pts = [...codecs.map((c) => c.payloadType), ...events.map((e) => e.payloadType)];
  const session: sdp.SessionDescription = {
    version: 0,
    origin: { username: '-', sessionId: local.sessionId, sessionVersion: local.version, netType: 'IN', ipVer: family, address: local.address },
    name: 'Nimbus Phone',
    connection: { version: family, ip: local.address },
    timing: { start: 0, stop: 0 },
    media: [{
      type: 'audio',
      port: local.rtpPort,
      protocol: 'RTP/AVP',
      payloads: pts.join(' '),
      rtp: [
        ...codecs.map((c) => ({ payload: c.payloadType, codec: c.name, rate: c.rtpClock, ...(c.channels ? { encoding: c.channels } : {}) })),
        ...events.map((e) => ({ payload: e.payloadType, codec: 'telephone-event', rate: e.rtpClock })),
      ],
      fmtp: [
        ...codecs.filter((c) => c.fmtp).map((c) => ({ payload: c.payloadType, config: c.fmtp! })),
        ...events.map((e) => ({ payload: e.payloadType, config: '0-16' })),
      ],
      ptime: local.ptime ?? 20,
      maxptime: 120,
      direction,
    }],
  };
  return sdp.write(session);
}
