/**
 * Opus (RFC 6716, RTP payload RFC 7587: dynamic pt, clock 48000) through our thin libopus binding
 * `nimbus-opus` (native/opus-codec). Encode and decode write into caller buffers; concealment makes
 * exactly the missing duration and, given the packet after the gap, decodes its in-band FEC.
 * Why not @discordjs/opus: see docs/opus-concealment.md.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../../util/package-root.js';
import type { AudioDecoder, AudioEncoder, CodecDescriptor } from './codec.js';
import { opusPacketHasFec } from './opus-packet.js';

type Handle = object;
/** The native binding's surface (native/opus-codec/src/opus_codec.c). */
export interface OpusBinding {
  createEncoder(rate: number, channels: number, application: number): Handle;
  encoderSet(encoder: Handle, setting: number, value: number): void;
  encode(encoder: Handle, pcm: Int16Array, frameSize: number, out: Uint8Array): number;
  createDecoder(rate: number, channels: number): Handle;
  decode(decoder: Handle, packet: Uint8Array | null, out: Int16Array, frameSize: number, fec: boolean): number;
  reset(handle: Handle): void;
  version(): string;
}

const SET_BITRATE = 0;
const SET_INBAND_FEC = 1;
const SET_PACKET_LOSS_PERC = 2;
const SET_COMPLEXITY = 3;
const SET_DTX = 4;
const OPUS_APPLICATION_VOIP = 2048;
const OPUS_APPLICATION_AUDIO = 2049;

export const OPUS_RATE = 48000;
/** 2.5 ms at 48 kHz: every Opus frame and every concealment is a multiple of this. */
const QUANTUM = 120;
/** Legal frame durations, RFC 6716 §2.1.4. */
const FRAME_MS = [2.5, 5, 10, 20, 40, 60] as const;
const LEGAL_FRAMES = new Set(FRAME_MS.map((ms) => (OPUS_RATE * ms) / 1000));

let binding: OpusBinding | undefined;

/** The native binding: the installed `nimbus-opus` package, else the in-tree build. */
export function opusBinding(): OpusBinding {
  if (binding) return binding;
  const require = createRequire(import.meta.url);
  const errors: string[] = [];
  for (const id of ['nimbus-opus', join(packageRoot(), 'native', 'opus-codec', 'index.cjs')]) {
    try {
      binding = require(id) as OpusBinding;
      return binding;
    } catch (err) {
      errors.push(`${id}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`Opus binding not built (npm install, or node-gyp rebuild in native/opus-codec): ${errors.join('; ')}`);
}

export interface OpusEncoderOptions {
  /** [bit/s] default 32000. */
  bitrate?: number;
  /** In-band FEC (LBRR); libopus only adds it while packetLossPercent > 0. Default true. */
  fec?: boolean;
  /** [%] expected loss, 0–100; steers how much FEC is sent. Default 10. */
  packetLossPercent?: number;
  /** 0–10, default 9. */
  complexity?: number;
  dtx?: boolean;
  application?: 'voip' | 'audio';
}

export class OpusEncoder implements AudioEncoder {
  private readonly native = opusBinding();
  private readonly handle: Handle;

  constructor(private readonly options: OpusEncoderOptions = {}) {
    const app = options.application === 'audio' ? OPUS_APPLICATION_AUDIO : OPUS_APPLICATION_VOIP;
    this.handle = this.native.createEncoder(OPUS_RATE, 1, app);
    this.configure();
  }

  /** Encode one frame (pcm.length must be 2.5/5/10/20/40/60 ms at 48 kHz). */
  encode(pcm: Int16Array, out: Uint8Array): number {
    if (!LEGAL_FRAMES.has(pcm.length)) throw new RangeError(`Opus frame of ${pcm.length} samples; legal: ${[...LEGAL_FRAMES].join(', ')}`);
    return this.native.encode(this.handle, pcm, pcm.length, out);
  }

  setBitrate(bps: number): void {
    this.native.encoderSet(this.handle, SET_BITRATE, bps);
  }

  /** Feed the measured loss (e.g. RTCP fraction lost) so the encoder sizes its FEC. */
  /** In-band FEC costs ~4× the encoding time: use it in proportion to the loss the peer reports. */
  adaptToLoss(percent: number): void {
    this.setPacketLossPercent(percent > 0 ? Math.min(30, Math.max(5, Math.ceil(percent * 1.5))) : 0);
  }

  setPacketLossPercent(percent: number): void {
    this.native.encoderSet(this.handle, SET_PACKET_LOSS_PERC, Math.max(0, Math.min(100, Math.round(percent))));
  }

  reset(): void {
    this.native.reset(this.handle);
    this.configure();
  }

  private configure(): void {
    const o = this.options;
    this.native.encoderSet(this.handle, SET_BITRATE, o.bitrate ?? 32000);
    this.native.encoderSet(this.handle, SET_INBAND_FEC, o.fec === false ? 0 : 1);
    this.native.encoderSet(this.handle, SET_PACKET_LOSS_PERC, o.packetLossPercent ?? 10);
    this.native.encoderSet(this.handle, SET_COMPLEXITY, o.complexity ?? 9);
    this.native.encoderSet(this.handle, SET_DTX, o.dtx ? 1 : 0);
  }
}

export interface OpusDecoderStats {
  decoded: number;
  decodeErrors: number;
  /** Gaps concealed by libopus PLC only. */
  concealed: number;
  /** Gaps where the next packet carried FEC (LBRR) and it was decoded. */
  fecRecovered: number;
}

export class OpusDecoder implements AudioDecoder {
  private readonly native = opusBinding();
  private readonly handle: Handle;
  private readonly stats: OpusDecoderStats = { decoded: 0, decodeErrors: 0, concealed: 0, fecRecovered: 0 };

  constructor() {
    this.handle = this.native.createDecoder(OPUS_RATE, 1);
  }

  /** Decodes one packet into out (which must hold its duration, up to 120 ms = 5760 samples).
   *  A corrupt packet yields 0 samples (counted in decodeErrors); conceal the gap instead. */
  decode(payload: Uint8Array, out: Int16Array): number {
    try {
      const n = this.native.decode(this.handle, payload, out, out.length, false);
      this.stats.decoded++;
      return n;
    } catch {
      this.stats.decodeErrors++;
      return 0;
    }
  }

  /**
   * Conceals exactly `samples` (a multiple of 2.5 ms = 120 samples). With `next`, the packet that
   * follows the gap, libopus recovers the last frame of the gap from its FEC and conceals the rest;
   * then decode `next` itself as usual.
   */
  conceal(out: Int16Array, samples: number, next?: Uint8Array): number {
    if (samples % QUANTUM !== 0 || samples <= 0 || samples > out.length) {
      throw new RangeError(`Opus conceals multiples of 2.5 ms (120 samples), up to out.length; got ${samples}`);
    }
    if (next && opusPacketHasFec(next)) {
      this.stats.fecRecovered++;
      return this.native.decode(this.handle, next, out, samples, true);
    }
    this.stats.concealed++;
    return this.native.decode(this.handle, null, out, samples, false);
  }

  reset(): void {
    this.native.reset(this.handle);
  }

  toJSON(): OpusDecoderStats {
    return { ...this.stats };
  }
}

/** RFC 7587: "opus/48000/2" in SDP, dynamic payload type; we code mono. */
export const OPUS: CodecDescriptor = {
  name: 'opus',
  sampleRate: OPUS_RATE,
  rtpClockRate: OPUS_RATE,
  staticPayloadType: undefined,
  ptimes: FRAME_MS,
  createEncoder: () => new OpusEncoder(),
  createDecoder: () => new OpusDecoder(),
};
