/**
 * The receive half of a call's audio: jitter buffer → decode / conceal → resample to the device
 * rate → add into the mix. One frame per device period, no allocation per frame.
 */
import type { AudioDecoder, CodecDescriptor } from '../codecs/codec.js';
import { Resampler } from '../devices/resampler.js';
import { JitterBuffer } from '../jitter/jitter-buffer.js';
import type { JitterStats, RtpAudioPacket } from '../jitter/playout.js';

const maxPacketMs = 120;
/**
 * Packet duration we receive: the a=ptime we offer and answer with (RFC 4566 §6). A peer that
 * sends other durations is played one packet per frame (known limit, docs/decisions.md).
 */
export const receiveFrameMs = 20;
/** A decoded frame whose peak stays below this (≈ −40 dBFS) is quiet: the jitter buffer may adjust its delay there. */
const quietPeak = 328;

/** Peak of |pcm[0..n)| below `quietPeak`. */
function isQuiet(pcm: Int16Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const v = pcm[i]!;
    if (v >= quietPeak || v <= -quietPeak) return false;
  }
  return true;
}

export class StreamPlayout {
  private readonly decoder: AudioDecoder;
  private readonly up: Resampler;
  private readonly jitter: JitterBuffer;
  /** Buffers hold the longest packet (120 ms) so an unexpected ptime can never overrun them. */
  private readonly decoded: Int16Array;
  private readonly upsampled: Int16Array;
  private readonly scratch: Int16Array;
  /** Samples of one received frame at the codec rate, and at the device rate. */
  private readonly frame: number;
  private readonly frameDevice: number;
  private lastQuiet = true;
  /**
   * What this stream played in the last device period (device rate): a local conference sends
   * it to the other members, so each party hears the other two (N−1 mixing).
   */
  readonly lastPlayed: Int16Array;

  constructor(codec: CodecDescriptor, deviceRate: number) {
    this.decoder = codec.createDecoder();
    this.up = new Resampler(codec.sampleRate, deviceRate);
    this.jitter = new JitterBuffer({ clockRate: codec.rtpClockRate, frameMs: receiveFrameMs });
    this.decoded = new Int16Array((codec.sampleRate * maxPacketMs) / 1000);
    this.scratch = new Int16Array(this.decoded.length);
    this.upsampled = new Int16Array((deviceRate * maxPacketMs) / 1000);
    this.frame = (codec.sampleRate * receiveFrameMs) / 1000;
    this.frameDevice = (deviceRate * receiveFrameMs) / 1000;
    this.lastPlayed = new Int16Array(this.frameDevice);
  }

  push(packet: RtpAudioPacket, arrivalMs: number): void {
    this.jitter.push(packet, arrivalMs);
  }

  /** Start from fresh arrivals (e.g. resuming after hold), not what queued up before. */
  reset(): void {
    this.jitter.reset();
  }

  /** Nothing is played this period (not receiving): the conference sees silence. */
  idle(): void {
    this.lastPlayed.fill(0);
  }

  /** One device period of playout, added into `mix` (device rate). */
  playInto(mix: Int32Array, nowMs: number): void {
    this.lastPlayed.fill(0);
    const frames = mix.length / this.frameDevice;
    for (let f = 0; f < frames; f++) {
      const decision = this.jitter.pop(nowMs, this.lastQuiet);
      let n: number;
      switch (decision.kind) {
        case 'play':
          if (decision.dropped) this.decoder.decode(decision.dropped, this.scratch);
          n = this.decoder.decode(decision.payload, this.decoded);
          break;
        case 'conceal':
          n = this.decoder.conceal(this.decoded, this.frame, decision.next);
          break;
        case 'insert':
          n = this.decoder.conceal(this.decoded, this.frame);
          break;
        case 'silence':
          this.lastQuiet = true;
          continue;
      }
      this.lastQuiet = isQuiet(this.decoded, n);
      const m = this.up.process(this.decoded.subarray(0, n), this.upsampled);
      const base = f * this.frameDevice;
      const count = Math.min(m, mix.length - base);
      for (let i = 0; i < count; i++) {
        mix[base + i]! += this.upsampled[i]!;
        if (base + i < this.lastPlayed.length) this.lastPlayed[base + i] = this.upsampled[i]!;
      }
    }
  }

  stats(): JitterStats {
    return this.jitter.stats();
  }
}
