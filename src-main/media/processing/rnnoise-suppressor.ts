/**
 * NoiseSuppressor on RNNoise (J.-M. Valin, "A Hybrid DSP/Deep Learning Approach to Real-Time
 * Full-Band Speech Enhancement", MMSP 2018; xiph/rnnoise, BSD-3-Clause) built to WebAssembly by
 * @jitsi/rnnoise-wasm 0.2.1 (Apache-2.0). A recurrent network computes a gain per band every
 * 10 ms, so noise drops under speech too, not only in pauses. RNNoise runs on 480-sample blocks
 * at 48 kHz, samples at 16-bit scale; a stage frame is processed as whole blocks in the same call
 * (no buffering), so frames must be whole blocks.
 * The package holds two models, and each level uses the one that fits it (docs/decisions.md):
 * - `low` (the default): RNNoise 0.1 (112 KB wasm, loaded and compiled asynchronously; ~0.2 ms
 *   per block, 10 ms delay), with the dry signal mixed back (delayed to line up) so at most
 *   LOW_LIMIT_DB is taken off;
 * - `high`: RNNoise 0.2 alone (1.4 MB wasm inlined in its JavaScript and compiled synchronously,
 *   ~40 ms once per thread, when the devices open with `high`; ~0.6 ms per block, 20 ms delay:
 *   one block of look-ahead), which goes much deeper in pauses when the noise is loud.
 * Each model loads once per thread, off the audio path; after that every call is synchronous and
 * allocates nothing.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { NoiseLevel, NoiseSuppressor } from './noise-suppressor.js';

interface RnnoiseModule {
  HEAPF32: Float32Array;
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  _rnnoise_create(model?: number): number;
  _rnnoise_destroy(state: number): void;
  /** Denoises 480 samples from `input` into `output` (heap byte offsets); returns the voice probability. */
  _rnnoise_process_frame(state: number, output: number, input: number): number;
}

type Level = Exclude<NoiseLevel, 'off'>;

/** RNNoise's only rate. */
export const RNNOISE_RATE = 48000;
/** RNNoise's block: 10 ms at 48 kHz. */
export const RNNOISE_BLOCK = 480;
/**
 * Delay per level, samples: half the 20 ms analysis window (overlap-add), plus one block of
 * look-ahead in RNNoise 0.2.
 */
export const RNNOISE_DELAY: Record<Level, number> = { low: 480, high: 960 };
/** Deepest attenuation at `low`, dB (the dry mix is this far below the input). */
export const LOW_LIMIT_DB = 12;
const S16 = 32768;
const PACKAGE = '@jitsi/rnnoise-wasm/dist';

// The package ships no types and its files are ES modules without "type": "module" (Node detects
// them): specifiers in variables keep TypeScript from looking for declarations.
const LOADERS: Record<Level, () => Promise<RnnoiseModule>> = {
  async low() {
    const js = `${PACKAGE}/rnnoise.js`;
    const { default: factory } = (await import(js)) as { default: (o: { wasmBinary: Uint8Array }) => Promise<RnnoiseModule> };
    // Handing the bytes over keeps the module from fetching them, and it compiles them asynchronously.
    const wasmBinary = await readFile(createRequire(import.meta.url).resolve(`${PACKAGE}/rnnoise.wasm`));
    return factory({ wasmBinary });
  },
  async high() {
    const js = `${PACKAGE}/rnnoise-sync.js`;
    const { default: factory } = (await import(js)) as { default: () => RnnoiseModule };
    return factory();
  },
};

const modules: Partial<Record<Level, Promise<RnnoiseModule>>> = {};

/** Loads the model `level` uses, once per thread. Call it early (when devices open) so no frame waits. */
export function loadRnnoise(level: Level): Promise<RnnoiseModule> {
  let p = modules[level];
  if (!p) {
    p = LOADERS[level]();
    modules[level] = p;
    p.catch(() => { delete modules[level]; });
  }
  return p;
}

export class RnnoiseSuppressor implements NoiseSuppressor {
  readonly engine: string;
  readonly delaySamples: number;
  private readonly state: number;
  /** Heap buffers (byte offsets) for one block in and out. */
  private readonly inPtr: number;
  private readonly outPtr: number;
  /** Share of the dry signal mixed back: 0 at `high`. */
  private readonly dry: number;
  /** The input delayed by delaySamples, to mix and to measure against (a ring). */
  private readonly ring: Float32Array;
  private at = 0;
  private lastAttenuationDb = 0;
  private disposed = false;

  private constructor(private readonly mod: RnnoiseModule, level: Level) {
    this.engine = level === 'low' ? 'rnnoise-0.1' : 'rnnoise-0.2';
    this.delaySamples = RNNOISE_DELAY[level];
    this.ring = new Float32Array(this.delaySamples);
    this.dry = level === 'low' ? 10 ** (-LOW_LIMIT_DB / 20) : 0;
    this.state = mod._rnnoise_create();
    this.inPtr = mod._malloc(RNNOISE_BLOCK * 4);
    this.outPtr = mod._malloc(RNNOISE_BLOCK * 4);
  }

  /** Whether frames of `frameSamples` at `rate` Hz can run through RNNoise. */
  static supports(rate: number, frameSamples: number): boolean {
    return rate === RNNOISE_RATE && Number.isInteger(frameSamples) && frameSamples > 0 && frameSamples % RNNOISE_BLOCK === 0;
  }

  static async create(level: Level, rate: number, frameSamples: number): Promise<RnnoiseSuppressor> {
    if (!RnnoiseSuppressor.supports(rate, frameSamples)) {
      throw new RangeError(`RNNoise needs whole ${RNNOISE_BLOCK}-sample blocks at ${RNNOISE_RATE} Hz, not ${frameSamples} at ${rate} Hz`);
    }
    return new RnnoiseSuppressor(await loadRnnoise(level), level);
  }

  get attenuationDb(): number {
    return this.lastAttenuationDb;
  }

  process(frame: Float32Array): void {
    if (this.disposed || frame.length % RNNOISE_BLOCK !== 0) return;
    const { mod, ring, dry } = this;
    const wet = 1 - dry;
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
        const y = wet * (heap[outAt + i]! / S16) + dry * delayed;
        frame[b + i] = y;
        ein += delayed * delayed;
        eout += y * y;
      }
      this.at = at;
    }
    this.lastAttenuationDb = Math.max(0, 10 * Math.log10((ein + 1e-12) / (eout + 1e-12)));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.mod._free(this.inPtr);
    this.mod._free(this.outPtr);
    this.mod._rnnoise_destroy(this.state);
  }
}
