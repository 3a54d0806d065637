/**
 * One small descriptor per codec (as libre's `aucodec`): PCM in, payload out, and concealment for
 * what never arrived. PCM is signed 16-bit mono at `sampleRate`. Implementations allocate their
 * state once; encode/decode write into caller-owned buffers (no allocation per frame).
 */
export type CodecName = 'opus' | 'G722' | 'PCMU' | 'PCMA';

export interface AudioEncoder {
  /** Encode one frame of `pcm` (exactly frameSamples(ptime) samples); returns payload bytes written. */
  encode(pcm: Int16Array, out: Uint8Array): number;
  /** The loss the far end reports (RTCP, percent): codecs with in-band FEC spend bits on it only then. */
  adaptToLoss?(percent: number): void;
  reset(): void;
}

export interface AudioDecoder {
  /** Decode one payload; returns samples written to `out` (at most out.length). */
  decode(payload: Uint8Array, out: Int16Array): number;
  /**
   * Conceal exactly `samples` missing samples (packet loss concealment). When the packet after the
   * gap is known (`next`), a codec with in-band FEC (Opus) recovers from it instead.
   * Returns samples written (always `samples`).
   */
  conceal(out: Int16Array, samples: number, next?: Uint8Array): number;
  reset(): void;
}

export interface CodecDescriptor {
  name: CodecName;
  /** PCM rate the codec works at, Hz. */
  sampleRate: number;
  /** RTP timestamp rate, Hz (G.722: 8000 although it samples at 16000, RFC 3551 §4.5.2). */
  rtpClockRate: number;
  /** Static payload type, or undefined for dynamic (Opus). */
  staticPayloadType: number | undefined;
  /** Allowed frame durations, ms. */
  ptimes: readonly number[];
  createEncoder(): AudioEncoder;
  createDecoder(): AudioDecoder;
}

export function frameSamples(codec: Pick<CodecDescriptor, 'sampleRate'>, ptimeMs: number): number {
  return (codec.sampleRate * ptimeMs) / 1000;
}
