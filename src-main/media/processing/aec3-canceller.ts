/**
 * EchoCanceller on WebRTC's AEC3 (BSD-3-Clause) in our own WebAssembly build
 * (native/aec3-wasm: its C shim, build script and the committed aec3.wasm). Ours rather than an
 * npm build so that AEC3's EchoCanceller3Config can be tuned (issue 17's double talk).
 * AEC3 runs on 10 ms blocks at 48 kHz; WebRTC's AudioBuffer resamples other device rates (whole
 * samples per 10 ms). Frames that are whole 10 ms blocks come out in the same call: no buffering.
 */
import { readFile } from 'node:fs/promises';
import type { EchoCanceller } from './echo-canceller.js';
import { loadOnce } from './load-once.js';

/** EchoCanceller3Config fields by their C++ path (aec3_shim.cc's table), e.g. `suppressor.floor_first_increase`. */
export type Aec3Config = Readonly<Record<string, number | boolean>>;

/**
 * Our tuning of AEC3 (docs/decisions.md, issue 17): the fields that differ from
 * EchoCanceller3Config's defaults. A linear filter of 35 blocks (140 ms at AEC3's 16 kHz band)
 * instead of 13 (52 ms) models an office's reverberation tail (RT60 ≈ 0.3–0.4 s), so more echo
 * goes by subtraction, which leaves the near end alone during double talk; and the suppressor's
 * reverb model is shorter (0.5 instead of 0.83), so it gates less of the near end after echo.
 * Double talk over seeds 61–65: 15.9–17.2 dB of echo removed, 1.9–2.6 dB of near end lost
 * (defaults: 11.5–18.2 dB, 2.5–4.5 dB).
 */
export const AEC3_TUNING: Aec3Config = {
  'filter.refined.length_blocks': 35,
  'filter.coarse.length_blocks': 35,
  'ep_strength.default_len': 0.5,
  'ep_strength.nearend_len': 0.5,
};

/** The part of the WebAssembly JS API used here (@types/node does not declare its values). */
interface WasmApi {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<{ readonly exports: object }>;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface Aec3Exports {
  memory: { readonly buffer: ArrayBuffer };
  _initialize(): void;
  aec3_malloc(bytes: number): number;
  aec3_free(ptr: number): void;
  aec3_config_reset(): void;
  aec3_config_set(name: number, value: number): number;
  aec3_config_get(name: number): number;
  aec3_config_validate(): number;
  aec3_create(rate: number): number;
  aec3_analyze_render(handle: number, block: number): void;
  aec3_process_capture(handle: number, block: number): void;
  aec3_destroy(handle: number): void;
}

/**
 * Where aec3.wasm is: beside the sources (tsx), from the compiled tree (out/src-main/...), and in
 * the packaged app (electron-builder ships native/aec3-wasm/aec3.wasm inside app.asar, which
 * Electron's fs reads).
 */
const WASM_CANDIDATES = ['../../../native/aec3-wasm/aec3.wasm', '../../../../native/aec3-wasm/aec3.wasm'];

async function readWasm(): Promise<Uint8Array> {
  let first: unknown;
  for (const rel of WASM_CANDIDATES) {
    try {
      return await readFile(new URL(rel, import.meta.url));
    } catch (e) {
      first ??= e;
    }
  }
  throw first instanceof Error ? first : new Error('aec3.wasm not found');
}

const ERRNO_BADF = 8;
/**
 * The module's only imports: wasi-libc's stdio (reached only by a failed check before abort). No
 * file is open, so every call fails cleanly; nothing is printed.
 */
const wasiStubs = {
  fd_close: () => ERRNO_BADF,
  fd_fdstat_get: () => ERRNO_BADF,
  fd_seek: () => ERRNO_BADF,
  fd_write: () => ERRNO_BADF,
};

/** Compiles and instantiates the module once per thread (≈ 250 KB, off the audio path). */
export const loadAec3Wasm = loadOnce(async () => {
  const module = await wasmApi.compile(await readWasm());
  const instance = await wasmApi.instantiate(module, { wasi_snapshot_preview1: wasiStubs });
  const x = instance.exports as unknown as Aec3Exports;
  x._initialize(); // a WASI reactor: static constructors run once, here
  return x;
});

/** Sets AEC3's configuration for the cancellers created next; throws on an unknown field. */
function applyConfig(x: Aec3Exports, config: Aec3Config): void {
  x.aec3_config_reset();
  for (const [name, value] of Object.entries(config)) {
    const bytes = new TextEncoder().encode(`${name}\0`);
    const p = x.aec3_malloc(bytes.length);
    new Uint8Array(x.memory.buffer, p, bytes.length).set(bytes);
    const known = x.aec3_config_set(p, typeof value === 'boolean' ? Number(value) : value);
    x.aec3_free(p);
    if (!known) throw new RangeError(`unknown AEC3 setting ${name}`);
  }
}

export class Aec3Canceller implements EchoCanceller {
  readonly engine = 'webrtc-aec3';
  private readonly block: number;
  private readonly handle: number;
  /** One 10 ms block in the module's memory (byte offset). */
  private readonly buf: number;
  private heap: Float32Array;
  private disposed = false;

  private constructor(private readonly x: Aec3Exports, rate: number, config: Aec3Config) {
    this.block = rate / 100;
    applyConfig(x, config);
    this.handle = x.aec3_create(rate);
    if (!this.handle) throw new RangeError(`AEC3 cannot run at ${rate} Hz`);
    this.buf = x.aec3_malloc(this.block * 4);
    this.heap = new Float32Array(x.memory.buffer);
  }

  /** A canceller at the device rate (8–96 kHz, whole samples per 10 ms), with `config` over AEC3's defaults. */
  static async create(rate: number, config: Aec3Config = AEC3_TUNING): Promise<Aec3Canceller> {
    if (!Number.isInteger(rate) || rate < 8000 || rate > 96000 || rate % 100 !== 0) {
      throw new RangeError(`AEC rate ${rate} Hz: 8000..96000 with whole samples per 10 ms`);
    }
    return new Aec3Canceller(await loadAec3Wasm(), rate, config);
  }

  /** The module's memory view (renewed only if its memory grew). */
  private view(): Float32Array {
    if (this.heap.buffer !== this.x.memory.buffer) this.heap = new Float32Array(this.x.memory.buffer);
    return this.heap;
  }

  notePlayback(frame: Float32Array): void {
    if (this.disposed) return;
    const b = this.block, at = this.buf >> 2;
    for (let i = 0; i + b <= frame.length; i += b) {
      const h = this.view();
      for (let k = 0; k < b; k++) h[at + k] = frame[i + k]!;
      this.x.aec3_analyze_render(this.handle, this.buf);
    }
  }

  process(capture: Float32Array, out: Float32Array): void {
    const b = this.block, at = this.buf >> 2;
    const whole = this.disposed ? 0 : capture.length - (capture.length % b);
    for (let i = 0; i < whole; i += b) {
      let h = this.view();
      for (let k = 0; k < b; k++) h[at + k] = capture[i + k]!;
      this.x.aec3_process_capture(this.handle, this.buf);
      h = this.view();
      for (let k = 0; k < b; k++) out[i + k] = h[at + k]!;
    }
    // A tail shorter than a block (frames that are not whole 10 ms blocks) passes untouched.
    if (out !== capture) for (let k = whole; k < capture.length; k++) out[k] = capture[k]!;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.x.aec3_free(this.buf);
    this.x.aec3_destroy(this.handle);
  }
}
