/**
 * The receive half of a call's audio: jitter buffer → decode / conceal → resample to the device
 * rate → a small FIFO → the mix. Packets may last 10–60 ms whatever the device period: the packet
 * duration is learnt from the first consecutive packets (RFC 3551 §4.5 ptime), and the FIFO
 * evens them out to device periods. No allocation per frame.
 */
import type { AudioDecoder, CodecDescriptor } from '../codecs/codec.js';
import { createRateConverter, type RateConverter } from '../dsp/rate-converter.js';
import { JitterBuffer } from '../jitter/jitter-buffer.js';
import { copySamples, PrefixView } from '../../util/copy-samples.js';
import type { JitterStats, RtpAudioPacket } from '../jitter/playout.js';

const maxPacketMs = 120;
/** Packet duration assumed until two consecutive packets show it: the a=ptime we offer. */
export const receiveFrameMs = 20;
/** Packet durations we follow (RFC 3551 frame multiples; others are treated as 20 ms). */
const knownPacketMs = new Set([10, 20, 30, 40, 60]);
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
  private readonly up: RateConverter;
  private jitter: JitterBuffer;
  /** Buffers hold the longest packet (120 ms) so an unexpected ptime can never overrun them. */
  private readonly decoded: Int16Array;
  /** `decoded` up to the samples of the frame decoded last (kept while that count stays the same). */
  private readonly decodedView: PrefixView<Int16Array>;
  private readonly upsampled: Int16Array;
  private readonly scratch: Int16Array;
  /** Device-rate samples decoded but not yet played (at most one packet beyond a period). */
  private readonly fifo: Int16Array;
  private fifoLength = 0;
  private packetMs = receiveFrameMs;
  /** The previous packet's sequence number (-1: none yet) and timestamp: two fields, no object per packet. */
  private lastSeq = -1;
  private lastTs = 0;
  private lastQuiet = true;
  /**
   * What this stream played in the last device period (device rate): a local conference sends
   * it to the other members, so each party hears the other two (N−1 mixing).
   */
  readonly lastPlayed: Int16Array;

  constructor(private readonly codec: CodecDescriptor, private readonly deviceRate: number, devicePeriodSamples = deviceRate / 50) {
    this.decoder = codec.createDecoder();
    this.up = createRateConverter(codec.sampleRate, deviceRate);
    this.jitter = this.newJitterBuffer();
    this.decoded = new Int16Array((codec.sampleRate * maxPacketMs) / 1000);
    this.scratch = new Int16Array(this.decoded.length);
    this.decodedView = new PrefixView(this.decoded);
    this.upsampled = new Int16Array((deviceRate * maxPacketMs) / 1000);
    this.fifo = new Int16Array(this.upsampled.length + devicePeriodSamples);
    this.lastPlayed = new Int16Array(devicePeriodSamples);
  }

  private newJitterBuffer(): JitterBuffer {
    return new JitterBuffer({ clockRate: this.codec.rtpClockRate, frameMs: this.packetMs });
  }

  push(packet: RtpAudioPacket, arrivalMs: number): void {
    this.learnPacketDuration(packet);
    this.jitter.push(packet, arrivalMs);
  }

  /** Consecutive sequence numbers tell the packet duration; a new one restarts the buffer once. */
  private learnPacketDuration(packet: RtpAudioPacket): void {
    const lastSeq = this.lastSeq;
    const lastTs = this.lastTs;
    this.lastSeq = packet.sequence;
    this.lastTs = packet.timestamp;
    if (lastSeq < 0 || ((lastSeq + 1) & 0xffff) !== packet.sequence) return;
    const ms = (((packet.timestamp - lastTs) >>> 0) * 1000) / this.codec.rtpClockRate;
    if (ms === this.packetMs || !knownPacketMs.has(ms)) return;
    this.packetMs = ms;
    this.jitter = this.newJitterBuffer();
  }

  /** Start from fresh arrivals (e.g. resuming after hold), not what queued up before. */
  reset(): void {
    this.jitter.reset();
    this.fifoLength = 0;
  }

  /** Nothing is played this period (not receiving): the conference sees silence. */
  idle(): void {
    this.lastPlayed.fill(0);
  }

  /** One device period of playout, added into `mix` (device rate). */
  playInto(mix: Int32Array, nowMs: number): void {
    const need = mix.length;
    while (this.fifoLength < need) {
      // The packet popped now starts playing once what is already decoded has played.
      const startsAt = nowMs + (this.fifoLength * 1000) / this.deviceRate;
      this.appendPacket(startsAt);
    }
    const count = Math.min(need, this.lastPlayed.length);
    for (let i = 0; i < need; i++) {
      const v = this.fifo[i]!;
      mix[i]! += v;
      if (i < count) this.lastPlayed[i] = v;
    }
    this.fifo.copyWithin(0, need, this.fifoLength);
    this.fifoLength -= need;
  }

  /** Decode (or conceal, or silence) one packet duration into the FIFO. */
  private appendPacket(nowMs: number): void {
    const samples = (this.codec.sampleRate * this.packetMs) / 1000;
    const decision = this.jitter.pop(nowMs, this.lastQuiet);
    let n: number;
    switch (decision.kind) {
      case 'play':
        if (decision.dropped) this.decoder.decode(decision.dropped, this.scratch);
        n = this.decoder.decode(decision.payload, this.decoded);
        break;
      case 'conceal':
        n = this.decoder.conceal(this.decoded, samples, decision.next);
        break;
      case 'insert':
        n = this.decoder.conceal(this.decoded, samples);
        break;
      case 'silence':
        this.decoded.fill(0, 0, samples);
        n = samples;
        break;
    }
    this.lastQuiet = decision.kind === 'silence' || isQuiet(this.decoded, n);
    const m = this.up.process(this.decodedView.of(n), this.upsampled);
    const room = this.fifo.length - this.fifoLength;
    const take = Math.min(m, room);
    copySamples(this.fifo, this.fifoLength, this.upsampled, 0, take);
    this.fifoLength += take;
    // A decoder that returned nothing (corrupt packet) still moves time on: pad with silence.
    if (m === 0) {
      const end = Math.min(this.fifo.length, this.fifoLength + (this.deviceRate * this.packetMs) / 1000);
      this.fifo.fill(0, this.fifoLength, end);
      this.fifoLength = end;
    }
  }

  stats(): JitterStats {
    return this.jitter.stats();
  }

  /** Packet duration being received, ms. */
  get receivedPacketMs(): number {
    return this.packetMs;
  }
}
