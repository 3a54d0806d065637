/** Audio codecs we offer, in default preference order (RFC 3551 static types, dynamic for Opus). */
export interface CodecSpec {
  name: 'opus' | 'G722' | 'PCMU' | 'PCMA';
  payloadType: number;
  /** RTP clock rate as written in rtpmap (G.722 says 8000 for a 16 kHz codec: RFC 3551 §4.5.2). */
  rtpClock: number;
  channels?: number;
  fmtp?: string;
}

export const allCodecs: Record<CodecSpec['name'], CodecSpec> = {
  opus: { name: 'opus', payloadType: 111, rtpClock: 48000, channels: 2, fmtp: 'useinbandfec=1;maxplaybackrate=48000;stereo=0' },
  G722: { name: 'G722', payloadType: 9, rtpClock: 8000 },
  PCMU: { name: 'PCMU', payloadType: 0, rtpClock: 8000 },
  PCMA: { name: 'PCMA', payloadType: 8, rtpClock: 8000 },
};

export const defaultCodecOrder: CodecSpec['name'][] = ['opus', 'G722', 'PCMU', 'PCMA'];

/** RFC 4733 telephone-event payload types per clock rate we offer. */
export const telephoneEvent = [
  { payloadType: 101, rtpClock: 8000 },
  { payloadType: 110, rtpClock: 48000 },
];
