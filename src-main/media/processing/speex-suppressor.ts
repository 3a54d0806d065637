/**
 * NoiseSuppressor on SpeexDSP's preprocessor (J.-M. Valin; xiph/speexdsp, BSD-3-Clause): a
 * spectral suppressor (minimum-statistics noise estimate, Ephraim-Malah / MMSE-STSA gain per
 * band), the noise suppressor of pjsip-era softphones, built to WebAssembly by
 * @sapphi-red/speex-preprocess-wasm 0.3.4 (MIT, a 57 KB wasm). Its gain acts per band on every
 * block, so steady noise drops under speech as well as in pauses, at a fraction of RNNoise's cost.
 * Speex's own AGC, VAD and dereverb stay off (the stage has its own gain control); the deepest
 * attenuation is SUPPRESS_DB.
 * Speex's overlap-add delays its output by one block, so the stage frame is run as whole 5 ms
 * blocks (240 samples at 48 kHz) in the same call: 5 ms added, no buffering, no allocation per
 * frame (AEC3's 9 ms plus this stay inside the 15 ms the capture stage may add). Blocks that short
 * have 100 Hz bins, too coarse for rumble below ~100 Hz (pink noise kept 36 % of its energy
 * under 50 Hz, attenuated there by 4 dB only), so an 80 Hz high-pass (2nd-order Butterworth, as
 * telephony capture paths have) runs before speex; speech loses ~0.1 dB to it.
 * The module loads once per thread, asynchronously, its wasm read from disk (the package's glue
 * is built for browsers and would fetch it); every call after that is synchronous.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { NoiseSuppressor } from './noise-suppressor.js';
import { energyRatioDb } from './energy-db.js';
import { loadOnce } from './load-once.js';

interface SpeexModule {
  HEAP16: Int16Array;
  HEAP32: Int32Array;
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  _speex_preprocess_state_init(frameSize: number, rate: number): number;
  _speex_preprocess_state_destroy(state: number): void;
  /** Processes one block in place (heap byte offset of int16 samples). */
  _speex_preprocess_run(state: number, x: number): number;
  _speex_preprocess_ctl(state: number, request: number, ptr: number): number;
}

// speex/speex_preprocess.h requests. AGC, VAD and dereverb are off by default in
// speex_preprocess_state_init and stay so (SET_VAD would print a warning even to turn it off).
const SET_DENOISE = 0;
const GET_DENOISE = 1;
const GET_AGC = 3;
const GET_VAD = 5;
const GET_DEREVERB = 9;
const SET_NOISE_SUPPRESS = 18;
const GET_NOISE_SUPPRESS = 19;

/** Block length, seconds: speex delays its output by one block. */
const BLOCK_S = 0.005;
/** Deepest attenuation of noise, dB (speex's default, -15). */
export const SUPPRESS_DB = 15;
/** Rates speex is run at (the stage's device rate). */
const MIN_RATE = 8000;
const MAX_RATE = 48000;
const S16 = 32768;
/** Rumble below this goes before speex (its 5 ms blocks cannot resolve it), Hz. */
export const HIGH_PASS_HZ = 80;

/** Loads the WebAssembly module once per thread (57 KB, compiled asynchronously, never on a frame). */
export const loadSpeex = loadOnce(async () => {
  // Only the package's factory is used, not its wrapper class (whose destroy() leaves the
  // speex state allocated and whose process() allocates a view per frame).
  const specifier = '@sapphi-red/speex-preprocess-wasm';
  const m = await (import(specifier) as Promise<{ loadSpeexModule: (o: { wasmBinary: Uint8Array }) => Promise<SpeexModule> }>);
  const wasmBinary = await readFile(createRequire(import.meta.url).resolve(`${specifier}/speex.wasm`));
  return m.loadSpeexModule({ wasmBinary });
});

/** Speex's block at `rate`, samples (5 ms), or 0 when the rate does not give whole samples. */
function blockAt(rate: number): number {
  const n = rate * BLOCK_S;
  return Number.isInteger(n) ? n : 0;
}

export class SpeexSuppressor implements NoiseSuppressor {
  readonly engine = 'speexdsp';
  readonly delaySamples: number;
  private readonly state: number;
  /** Heap buffer (byte offset) for one block of int16 samples, and one int32 for ctl values. */
  private readonly bufPtr: number;
  private readonly block: number;
  private lastAttenuationDb = 0;
  private disposed = false;
  /** High-pass biquad coefficients (normalised) and state (transposed direct form II). */
  private readonly hb0: number;
  private readonly hb1: number;
  private readonly hb2: number;
  private readonly ha1: number;
  private readonly ha2: number;
  private z1 = 0;
  private z2 = 0;

  private constructor(private readonly mod: SpeexModule, rate: number) {
    this.block = blockAt(rate);
    this.delaySamples = this.block;
    this.state = mod._speex_preprocess_state_init(this.block, rate);
    if (!this.state) throw new Error(`speex preprocessor did not start at ${rate} Hz`);
    this.bufPtr = mod._malloc(Math.max(this.block * 2, 4));
    // RBJ cookbook high-pass, Q = 1/sqrt(2) (Butterworth).
    const w = (2 * Math.PI * HIGH_PASS_HZ) / rate, alpha = Math.sin(w) / Math.SQRT2, cos = Math.cos(w), a0 = 1 + alpha;
    this.hb0 = (1 + cos) / 2 / a0;
    this.hb1 = -(1 + cos) / a0;
    this.hb2 = (1 + cos) / 2 / a0;
    this.ha1 = (-2 * cos) / a0;
    this.ha2 = (1 - alpha) / a0;
    this.setInt(SET_DENOISE, 1);
    this.setInt(SET_NOISE_SUPPRESS, -SUPPRESS_DB);
  }

  /** Whether frames of `frameSamples` at `rate` Hz can run through speex (whole 5 ms blocks). */
  static supports(rate: number, frameSamples: number): boolean {
    const block = Number.isInteger(rate) && rate >= MIN_RATE && rate <= MAX_RATE ? blockAt(rate) : 0;
    return block > 0 && Number.isInteger(frameSamples) && frameSamples > 0 && frameSamples % block === 0;
  }

  static async create(rate: number, frameSamples: number): Promise<SpeexSuppressor> {
    if (!SpeexSuppressor.supports(rate, frameSamples)) {
      throw new RangeError(`speex noise suppression needs whole 5 ms blocks at ${MIN_RATE}-${MAX_RATE} Hz, not ${frameSamples} at ${rate} Hz`);
    }
    return new SpeexSuppressor(await loadSpeex(), rate);
  }

  get attenuationDb(): number {
    return this.lastAttenuationDb;
  }

  /** Speex's configuration read back from the engine (for tests and logs; not on the audio path). */
  get config(): { denoise: boolean; agc: boolean; vad: boolean; dereverb: boolean; noiseSuppressDb: number } {
    return {
      denoise: this.getInt(GET_DENOISE) !== 0,
      agc: this.getInt(GET_AGC) !== 0,
      vad: this.getInt(GET_VAD) !== 0,
      dereverb: this.getInt(GET_DEREVERB) !== 0,
      noiseSuppressDb: this.getInt(GET_NOISE_SUPPRESS),
    };
  }

  process(frame: Float32Array): void {
    const { mod, block } = this;
    if (this.disposed || frame.length % block !== 0) return;
    const at = this.bufPtr >> 1;
    let ein = 0, eout = 0;
    for (let b = 0; b < frame.length; b += block) {
      // The heap view is read per block: it is replaced if the module's memory ever grows.
      let heap = mod.HEAP16;
      const { hb0, hb1, hb2, ha1, ha2 } = this;
      let { z1, z2 } = this;
      for (let i = 0; i < block; i++) {
        const u = frame[b + i]!;
        ein += u * u;
        const x = hb0 * u + z1;
        z1 = hb1 * u - ha1 * x + z2;
        z2 = hb2 * u - ha2 * x;
        const v = Math.round(x * S16);
        heap[at + i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      }
      this.z1 = z1;
      this.z2 = z2;
      mod._speex_preprocess_run(this.state, this.bufPtr);
      heap = mod.HEAP16;
      for (let i = 0; i < block; i++) {
        const y = heap[at + i]! / S16;
        frame[b + i] = y;
        eout += y * y;
      }
    }
    // Against the same frame's input (one block earlier than what came out: close enough for stats).
    this.lastAttenuationDb = Math.max(0, energyRatioDb(ein, eout));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.mod._free(this.bufPtr);
    this.mod._speex_preprocess_state_destroy(this.state);
  }

  private setInt(request: number, value: number): void {
    this.mod.HEAP32[this.bufPtr >> 2] = value;
    this.mod._speex_preprocess_ctl(this.state, request, this.bufPtr);
  }

  private getInt(request: number): number {
    this.mod.HEAP32[this.bufPtr >> 2] = 0;
    this.mod._speex_preprocess_ctl(this.state, request, this.bufPtr);
    return this.mod.HEAP32[this.bufPtr >> 2]!;
  }
}
