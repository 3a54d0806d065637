/**
 * How our codecs appear in SDP. Payload types and RTP clock rates come from the codec descriptors
 * (src-main/media/codecs/registry.ts); only what is SDP's own is added here: the dynamic payload
 * type we pick for Opus and its rtpmap channels and fmtp (RFC 7587 §6.1).
 */
import type { CodecName } from '../codecs/codec.js';
import { codecs } from '../codecs/registry.js';

export interface CodecSpec {
  name: CodecName;
  payloadType: number;
  /** RTP clock rate as written in rtpmap (G.722 says 8000 for a 16 kHz codec: RFC 3551 §4.5.2). */
  rtpClock: number;
  channels?: number;
  fmtp?: string;
}

/** Our dynamic payload type for Opus (RFC 3551 §6: 96–127). */
const opusPayloadType = 111;

const sdpExtras: Partial<Record<CodecName, Pick<CodecSpec, 'channels' | 'fmtp'>>> = {
  // RFC 7587 §7: always opus/48000/2 in rtpmap; we send mono and ask for in-band FEC.
  opus: { channels: 2, fmtp: 'useinbandfec=1;maxplaybackrate=48000;stereo=0' },
};

function spec(name: CodecName): CodecSpec {
  const codec = codecs[name];
  return { name, payloadType: codec.staticPayloadType ?? opusPayloadType, rtpClock: codec.rtpClockRate, ...sdpExtras[name] };
}

export const allCodecs: Record<CodecName, CodecSpec> = { opus: spec('opus'), G722: spec('G722'), PCMU: spec('PCMU'), PCMA: spec('PCMA') };

/** Audio codecs we offer, in default preference order. */
export const defaultCodecOrder: CodecName[] = ['opus', 'G722', 'PCMU', 'PCMA'];

/** RFC 4733 telephone-event payload types per clock rate we offer. */
export const telephoneEvent = [
  { payloadType: 101, rtpClock: 8000 },
  { payloadType: 110, rtpClock: 48000 },
];
