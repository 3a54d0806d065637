/**
 * NoiseSuppressor on RNNoise 0.2 (J.-M. Valin, "A Hybrid DSP/Deep Learning Approach to Real-Time
 * Full-Band Speech Enhancement", MMSP 2018; xiph/rnnoise, BSD-3-Clause) built to WebAssembly by
 * @jitsi/rnnoise-wasm 0.2.1 (Apache-2.0; its synchronous build, the 1.4 MB wasm inlined): the
 * `high` level. A recurrent network computes a gain per band every 10 ms, so noise drops under
 * speech too, not only in pauses, by 50 dB and more. RNNoise runs on 480-sample blocks at 48 kHz,
 * samples at 16-bit scale; a stage frame is processed as whole blocks in the same call (no
 * buffering), so frames must be whole blocks. The module loads once per thread, when devices open
 * with `high` (never on a frame); after that every call is synchronous and allocates nothing.
 * It costs ~1.1 ms CPU per 20 ms frame and 14 MB, and delays by 20 ms: `low`, the default, is
 * SpeexDSP's (speex-suppressor.ts). (The package's other build, RNNoise 0.1, is 4x cheaper but
 * takes only ~5 dB off pink noise at -39 dBFS, where 0.2 takes 65: docs/decisions.md.)
 */
import type { NoiseSuppressor } from './noise-suppressor.js';
import { energyRatioDb } from './energy-db.js';
import { loadOnce } from './load-once.js';

interface RnnoiseModule {
  HEAPF32: Float32Array;
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  _rnnoise_create(model?: number): number;
  _rnnoise_destroy(state: number): void;
  /** Denoises 480 samples from `input` into `output` (heap byte offsets); returns the voice probability. */
  _rnnoise_process_frame(state: number, output: number, input: number): number;
}

/** RNNoise's only rate. */
export const RNNOISE_RATE = 48000;
/** RNNoise's block: 10 ms at 48 kHz. */
export const RNNOISE_BLOCK = 480;
/** RNNoise 0.2's delay: half its 20 ms analysis window (overlap-add) plus one block of look-ahead, samples. */
export const RNNOISE_DELAY = 960;
const S16 = 32768;

/**
 * Loads the WebAssembly module once per thread: 1.9 MB of JavaScript parsed and the wasm compiled
 * synchronously (20-30 ms here, once), +14 MB of private memory (bench/aec.ts).
 */
export const loadRnnoise = loadOnce(() => {
  // A specifier in a variable: the package ships no types (the file is an ES module in a package
  // without "type": "module"; Node detects it).
  const specifier = '@jitsi/rnnoise-wasm/dist/rnnoise-sync.js';
  return (import(specifier) as Promise<{ default: () => RnnoiseModule }>).then((m) => m.default());
});

export class RnnoiseSuppressor implements NoiseSuppressor {
  readonly engine = 'rnnoise';
  readonly delaySamples = RNNOISE_DELAY;
  private readonly state: number;
  /** Heap buffers (byte offsets) for one block in and out. */
  private readonly inPtr: number;
  private readonly outPtr: number;
  /** The input delayed by delaySamples, to measure against (a ring). */
  private readonly ring = new Float32Array(RNNOISE_DELAY);
  private at = 0;
  private lastAttenuationDb = 0;
  private disposed = false;

  private constructor(private readonly mod: RnnoiseModule) {
    this.state = mod._rnnoise_create();
    this.inPtr = mod._malloc(RNNOISE_BLOCK * 4);
    this.outPtr = mod._malloc(RNNOISE_BLOCK * 4);
  }

  /** Whether frames of `frameSamples` at `rate` Hz can run through RNNoise. */
  static supports(rate: number, frameSamples: number): boolean {
    return rate === RNNOISE_RATE && Number.isInteger(frameSamples) && frameSamples > 0 && frameSamples % RNNOISE_BLOCK === 0;
  }

  static async create(rate: number, frameSamples: number): Promise<RnnoiseSuppressor> {
    if (!RnnoiseSuppressor.supports(rate, frameSamples)) {
      throw new RangeError(`RNNoise needs whole ${RNNOISE_BLOCK}-sample blocks at ${RNNOISE_RATE} Hz, not ${frameSamples} at ${rate} Hz`);
    }
    return new RnnoiseSuppressor(await loadRnnoise());
  }

  get attenuationDb(): number {
    return this.lastAttenuationDb;
  }

  process(frame: Float32Array): void {
    if (this.disposed || frame.length % RNNOISE_BLOCK !== 0) return;
    const { mod, ring } = this;
    const inAt = this.inPtr >> 2, outAt = this.outPtr >> 2;
    let ein = 0, eout = 0;
    for (let b = 0; b < frame.length; b += RNNOISE_BLOCK) {
      // The heap view is read per block: it is replaced if the module's memory ever grows.
      let heap = mod.HEAPF32;
      for (let i = 0; i < RNNOISE_BLOCK; i++) heap[inAt + i] = frame[b + i]! * S16;
      mod._rnnoise_process_frame(this.state, this.outPtr, this.inPtr);
      heap = mod.HEAPF32;
      let at = this.at;
      for (let i = 0; i < RNNOISE_BLOCK; i++) {
        const x = frame[b + i]!;
        const delayed = ring[at]!;
        ring[at] = x;
        if (++at === ring.length) at = 0;
        const y = heap[outAt + i]! / S16;
        frame[b + i] = y;
        ein += delayed * delayed;
        eout += y * y;
      }
      this.at = at;
    }
    this.lastAttenuationDb = Math.max(0, energyRatioDb(ein, eout));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.mod._free(this.inPtr);
    this.mod._free(this.outPtr);
    this.mod._rnnoise_destroy(this.state);
  }
}
