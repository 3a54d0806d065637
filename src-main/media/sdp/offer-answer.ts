/**
 * SDP offer/answer for one audio stream (RFC 3264), built and read with sdp-transform.
 * Non-audio streams in an offer are declined with port 0 (§6); the answer keeps our preference
 * order among the codecs both sides support (§6.1), mirrors the direction (§6.1), and answers
 * SDES crypto (RFC 4568 §7.1) and rtcp-mux (RFC 5761 §5.1) when offered. Every SDP read here is
 * bounded first (sdp-limits.ts) and refused with a reason a SIP Warning can carry (sdp-problem.ts).
 */
import * as sdp from 'sdp-transform';
import { allCodecs, defaultCodecOrder, telephoneEvent, type CodecSpec } from './codecs.js';
import { sendPtime } from './packet-time.js';
import { isUnspecified, readAudio, type Direction, type RemoteAudio, type SdesCrypto } from './read-audio.js';
import { checkSdpText } from './sdp-limits.js';
import { isSdpProblem, problem, WARN, type SdpProblem } from './sdp-problem.js';
import { readIce, type IceParameters } from './ice-attributes.js';
import type { Candidate } from '../ice/candidate.js';

export type { Direction, SdesCrypto } from './read-audio.js';
export type { SdpProblem } from './sdp-problem.js';

/** RFC 4568 per-account policy: off (RTP/AVP only), optional (best effort), required (RTP/SAVP). */
export type SrtpPolicy = 'off' | 'optional' | 'required';

export interface LocalMedia {
  /** Address for c= (IP literal). */
  address: string;
  rtpPort: number;
  codecs?: CodecSpec['name'][];
  direction?: Direction;
  ptime?: number;
  srtp?: SrtpPolicy;
  /** Our SDES keys to offer/answer with, one per suite we support (inline key||salt, base64). */
  crypto?: SdesCrypto[];
  /** o= session id/version are kept across re-offers (RFC 3264 §8). */
  sessionId: number;
  version: number;
  /**
   * Our ICE parameters (RFC 8839); c=/m= then carry the default candidate. Absent: no ICE.
   * Candidates of component 2 (RTCP) are offered beside rtcp-mux and answered only to an offer
   * without it (RFC 5761 §5.1.3, RFC 8445 §5.1.1).
   */
  ice?: { ufrag: string; pwd: string; candidates: Candidate[] };
  /** The default RTCP candidate (RFC 3605 a=rtcp) that goes with component-2 candidates. */
  rtcp?: { address: string; port: number };
}

export interface NegotiatedAudio {
  codec: CodecSpec;
  /** Payload type both sides use for this codec (the offerer's numbering, §6.1). */
  payloadType: number;
  telephoneEventPt: number | undefined;
  remoteAddress: string;
  remotePort: number;
  /** Where the peer wants RTCP: the RTP port when muxed (RFC 5761), else a=rtcp or port+1. */
  remoteRtcpPort: number;
  rtcpMux: boolean;
  /** Direction as seen by the peer (their a= attribute; sendonly/inactive when c= is 0.0.0.0). */
  direction: Direction;
  /** What we send with: the peer's a=ptime clamped to 10–120 ms and to a frame the codec has. */
  ptime: number;
  /** SRTP keys: what the peer sends with (remote) and what we send with (local); undefined = RTP. */
  srtp: { suite: string; remoteKey: string; localKey: string } | undefined;
  /**
   * The peer's ICE (RFC 8839) when both sides do ICE; absent: the plain c=/m= address with
   * latching. A malformed ICE section counts as no ICE (the c=/m= address still works).
   */
  ice?: IceParameters;
}

export function createOffer(local: LocalMedia): string {
  const codecs = (local.codecs ?? defaultCodecOrder).map((n) => allCodecs[n]);
  const events = telephoneEvent.filter((e) => codecs.some((c) => c.rtpClock === e.rtpClock));
  const crypto = local.srtp && local.srtp !== 'off' ? local.crypto ?? [] : [];
  // RFC 5761 §5.1.3: rtcp-mux offered, with RTCP candidates in case the answerer does not take it.
  return writeSession(local, codecs, events, local.direction ?? 'sendrecv', {
    protocol: local.srtp === 'required' ? 'RTP/SAVP' : 'RTP/AVP', crypto, rtcpMux: true, ice: local.ice, rtcp: local.rtcp,
  });
}

/** Answer an offer, or say why it is not acceptable (→ 488 with a Warning, RFC 3261 §21.4.26). */
export function createAnswer(offerText: string, local: LocalMedia): { sdp: string; audio: NegotiatedAudio } | SdpProblem {
  const offer = parseBounded(offerText);
  if (isSdpProblem(offer)) return offer;
  const audioIndex = offer.media.findIndex((m) => m.type === 'audio' && m.port !== 0);
  if (audioIndex < 0) return problem(WARN.mediaType, 'no audio stream');
  const remote = readAudio(offer, audioIndex);
  if (isSdpProblem(remote)) return remote;
  const chosen = (local.codecs ?? defaultCodecOrder)
    .map((n) => remote.codecs.find((c) => c.codec.name === n))
    .find((c) => c !== undefined);
  if (!chosen) return problem(WARN.format, 'no common audio codec');
  const security = answerSecurity(remote, local);
  if (security === 'reject') return problem(WARN.format, 'SRTP policy not met');
  const direction = answerDirection(remote.direction, local.direction ?? 'sendrecv');
  const events = remote.events.filter((e) => e.rtpClock === chosen.codec.rtpClock);
  // RFC 8839 §4.2: the answer carries ICE only when the offer did (and we do ICE).
  const ice = local.ice ? remoteIce(offer, audioIndex) : undefined;
  // RFC 5761 §5.1.3: with rtcp-mux the answer has no RTCP component; without it, our component-2 candidates.
  const ours = ice && local.ice ? (remote.rtcpMux ? { ...local.ice, candidates: local.ice.candidates.filter((c) => c.component === 1) } : local.ice) : undefined;
  const session = sdp.parse(writeSession(local, [{ ...chosen.codec, payloadType: chosen.payloadType }], events, direction, {
    protocol: remote.protocol, crypto: security ? [{ ...security.local, tag: security.remote.tag }] : [], rtcpMux: remote.rtcpMux,
    // RFC 3605: a=rtcp names our RTCP port (component 2's default) to a peer without rtcp-mux, ICE or not.
    ice: ours, rtcp: !remote.rtcpMux ? local.rtcp : undefined,
  }));
  // §6: one m= line per offered stream, in order; declined ones get port 0.
  session.media = offer.media.map((m, i) => (i === audioIndex ? session.media[0]! : declined(m)));
  return {
    sdp: sdp.write(session),
    audio: negotiated(remote, chosen, events[0]?.payloadType, security ? {
      suite: security.remote.suite, remoteKey: security.remote.key, localKey: security.local.key,
    } : undefined, ice),
  };
}

/** The peer's ICE parameters, if usable: malformed or candidate-less ICE falls back to c=/m=. */
function remoteIce(session: sdp.SessionDescription, index: number): IceParameters | undefined {
  const ice = readIce(session, index);
  return typeof ice === 'object' && ice.candidates.length > 0 ? ice : undefined;
}

/** Read the peer's answer to our offer (`local` gives the keys we offered), or say why it is unusable. */
export function readAnswer(answerText: string, local?: Pick<LocalMedia, 'crypto' | 'srtp' | 'ice'>): NegotiatedAudio | SdpProblem {
  const answer = parseBounded(answerText);
  if (isSdpProblem(answer)) return answer;
  const i = answer.media.findIndex((m) => m.type === 'audio' && m.port !== 0);
  if (i < 0) return problem(WARN.mediaType, 'no audio stream');
  const remote = readAudio(answer, i);
  if (isSdpProblem(remote)) return remote;
  const first = remote.codecs[0];
  if (!first) return problem(WARN.format, 'no codec we offered in the answer');
  const theirs = remote.crypto[0];
  const ours = theirs && local?.crypto?.find((c) => c.suite === theirs.suite);
  if (local?.srtp === 'required' && !ours) return problem(WARN.format, 'the peer refused SRTP, which this account requires');
  return negotiated(remote, first, remote.events.find((e) => e.rtpClock === first.codec.rtpClock)?.payloadType,
    theirs && ours ? { suite: theirs.suite, remoteKey: theirs.key, localKey: ours.key } : undefined,
    local?.ice ? remoteIce(answer, i) : undefined);
}

/** Bounded before parsing (RFC 4566 §5 grammar and our limits), so the parser only sees sane text. */
function parseBounded(text: string): sdp.SessionDescription | SdpProblem {
  const bad = checkSdpText(text);
  if (bad) return bad;
  const parsed = sdp.parse(text);
  return parsed.media.length > 0 ? parsed : problem(WARN.mediaType, 'no m= line');
}

function negotiated(remote: RemoteAudio, chosen: { codec: CodecSpec; payloadType: number }, telephoneEventPt: number | undefined,
  srtp: NegotiatedAudio['srtp'], ice?: IceParameters): NegotiatedAudio {
  return {
    ...(ice ? { ice } : {}),
    codec: chosen.codec, payloadType: chosen.payloadType, telephoneEventPt,
    remoteAddress: remote.address, remotePort: remote.port,
    remoteRtcpPort: remote.rtcpMux ? remote.port : remote.rtcpPort ?? remote.port + 1, rtcpMux: remote.rtcpMux,
    // RFC 3264 §8.4: c=0.0.0.0 (RFC 2543 hold) — the peer receives nothing, so we send nothing.
    direction: isUnspecified(remote.address) ? withoutReceive(remote.direction) : remote.direction,
    ptime: sendPtime(chosen.codec.name, remote.ptime), srtp,
  };
}

function withoutReceive(d: Direction): Direction {
  return d === 'sendrecv' || d === 'sendonly' ? 'sendonly' : 'inactive';
}

/** RFC 4568 §7.1.2: pick the first offered suite we have a key for; enforce the policy. */
function answerSecurity(remote: RemoteAudio, local: LocalMedia): { remote: SdesCrypto; local: SdesCrypto } | undefined | 'reject' {
  const policy = local.srtp ?? 'off';
  const savp = remote.protocol === 'RTP/SAVP';
  if (policy === 'off') return savp ? 'reject' : undefined;
  for (const offered of remote.crypto) {
    const ours = local.crypto?.find((c) => c.suite === offered.suite);
    if (ours) return { remote: offered, local: ours };
  }
  return savp || policy === 'required' ? 'reject' : undefined;
}

/** RFC 3264 §6.1: sendonly ↔ recvonly; inactive stays inactive; limited by what we want. */
function answerDirection(offered: Direction, wanted: Direction): Direction {
  const mirror: Record<Direction, Direction> = { sendrecv: 'sendrecv', sendonly: 'recvonly', recvonly: 'sendonly', inactive: 'inactive' };
  const m = mirror[offered];
  if (wanted === 'sendrecv') return m;
  if (m === 'sendrecv') return wanted;
  return m === wanted ? m : 'inactive';
}

type MediaDescription = sdp.SessionDescription['media'][number];

function declined(m: MediaDescription): MediaDescription {
  return { type: m.type, port: 0, protocol: m.protocol, payloads: m.payloads, rtp: [], fmtp: [] };
}

function writeSession(local: LocalMedia, codecs: CodecSpec[], events: Array<{ payloadType: number; rtpClock: number }>,
  direction: Direction, opts: { protocol: string; crypto: SdesCrypto[]; rtcpMux: boolean; ice?: LocalMedia['ice']; rtcp?: LocalMedia['rtcp'] }): string {
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
      protocol: opts.protocol,
      payloads: pts.join(' '),
      rtp: [
        ...codecs.map((c) => ({ payload: c.payloadType, codec: c.name, rate: c.rtpClock, ...(c.channels ? { encoding: c.channels } : {}) })),
        ...events.map((e) => ({ payload: e.payloadType, codec: 'telephone-event', rate: e.rtpClock })),
      ],
      fmtp: [
        ...codecs.filter((c) => c.fmtp).map((c) => ({ payload: c.payloadType, config: c.fmtp! })),
        ...events.map((e) => ({ payload: e.payloadType, config: '0-16' })),
      ],
      ...(opts.rtcp && (!opts.ice || opts.ice.candidates.some((c) => c.component === 2)) ? {
        rtcp: { port: opts.rtcp.port, netType: 'IN', ipVer: opts.rtcp.address.includes(':') ? 6 : 4, address: opts.rtcp.address },
      } : {}),
      ...(opts.rtcpMux ? { rtcpMux: 'rtcp-mux' } : {}),
      ...(opts.crypto.length > 0 ? { crypto: opts.crypto.map((c) => ({ id: c.tag, suite: c.suite, config: `inline:${c.key}` })) } : {}),
      ptime: local.ptime ?? 20,
      maxptime: 120,
      direction,
      ...(opts.ice ? {
        iceUfrag: opts.ice.ufrag, icePwd: opts.ice.pwd, endOfCandidates: 'end-of-candidates',
        candidates: opts.ice.candidates.map((c) => ({
          foundation: c.foundation, component: c.component, transport: 'UDP', priority: c.priority, ip: c.address, port: c.port, type: c.type,
          ...(c.relatedAddress !== undefined && c.relatedPort !== undefined ? { raddr: c.relatedAddress, rport: c.relatedPort } : {}),
        })),
      } : {}),
    }],
  };
  return sdp.write(session);
}
