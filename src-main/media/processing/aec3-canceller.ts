/**
 * EchoCanceller on WebRTC's AEC3 (@ennuicastr/webrtcaec3.js, BSD-3-Clause, WebAssembly): linear
 * adaptive filter with its own delay estimator (matched filters) plus residual echo suppression.
 * AEC3 runs on 10 ms blocks at 48 kHz (or 32 kHz); other device rates are resampled by the module.
 * Frames that are whole 10 ms blocks come out in the same call: no added buffering.
 */
import { createRequire } from 'node:module';
import type { EchoCanceller } from './echo-canceller.js';
import { loadOnce } from './load-once.js';

interface Aec3Instance {
  analyze(data: Float32Array[], opts?: { sampleRateIn?: number }): void;
  process(out: Float32Array[], data: Float32Array[], opts?: { sampleRateIn?: number; sampleRateOut?: number }): void;
  free(): void;
}
interface Aec3Module {
  AEC3: new (rate: number, renderChannels: number, captureChannels: number) => Aec3Instance;
}

/** AEC3's native rate: the one rate every build of it supports. */
const ENGINE_RATE = 48000;

/** Loads the WebAssembly module once per thread (≈ 170 KB, compiled off the audio path). */
const loadModule = loadOnce(() => {
  const require = createRequire(import.meta.url);
  return (require('@ennuicastr/webrtcaec3.js') as () => Promise<Aec3Module>)();
});

export class Aec3Canceller implements EchoCanceller {
  readonly engine = 'webrtc-aec3';
  private readonly inst: Aec3Instance;
  private readonly opts: { sampleRateIn: number; sampleRateOut: number };
  private readonly render: Float32Array[] = [new Float32Array(0)];
  private readonly capture: Float32Array[] = [new Float32Array(0)];
  private readonly out: Float32Array[] = [new Float32Array(0)];
  private disposed = false;

  private constructor(mod: Aec3Module, rate: number) {
    this.inst = new mod.AEC3(ENGINE_RATE, 1, 1);
    this.opts = { sampleRateIn: rate, sampleRateOut: rate };
  }

  static async create(rate: number): Promise<Aec3Canceller> {
    if (!Number.isInteger(rate) || rate < 8000 || rate > 96000) throw new RangeError(`AEC rate ${rate} Hz out of 8000..96000`);
    return new Aec3Canceller(await loadModule(), rate);
  }

  notePlayback(frame: Float32Array): void {
    if (this.disposed) return;
    this.render[0] = frame;
    this.inst.analyze(this.render, this.opts);
  }

  process(capture: Float32Array, out: Float32Array): void {
    if (this.disposed) {
      if (out !== capture) out.set(capture);
      return;
    }
    this.capture[0] = capture;
    this.out[0] = out;
    this.inst.process(this.out, this.capture, this.opts);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.inst.free();
  }
}
