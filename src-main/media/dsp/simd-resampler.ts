/**
 * Resampler's polyphase filter (same Kaiser design, same taps, same delay and framing rules) with
 * its multiply-accumulate loops in WebAssembly SIMD (simd-fir.ts): one call per frame when
 * decimating, one per phase when interpolating. Samples and taps live in float32 in the converter's
 * own WebAssembly memory; only the conversion from and to Int16 runs in JavaScript.
 *
 * Memory layout (float32 indices): taps (each phase padded to a multiple of 8), then the input
 * history (hist samples) followed by the new frame and 8 floats of slack (the last window reads
 * past the frame into taps that are zero), then the outputs.
 */
import { designLowPass, TAPS_PER_PHASE, type ResampleDirection } from './resampler.js';
import { firInstance, type FirFunction, type FirModule } from './simd-fir.js';

const INT16_MIN = -32768;
const INT16_MAX = 32767;
const SLACK = 8;

const roundUp8 = (n: number) => Math.ceil(n / 8) * 8;

export class SimdResampler {
  readonly fromRate: number;
  readonly toRate: number;
  readonly factor: number;
  readonly direction: Exclude<ResampleDirection, 'copy'>;
  /** Group delay of the filter, in output samples (a whole number). */
  readonly delay: number;
  /** Taps per computed output: the prototype (decimation) or one phase (interpolation), padded to 8. */
  private readonly taps8: number;
  private readonly hist: number;
  private readonly module: FirModule;
  private readonly tapFloats: Float32Array;
  private maxFrame = 0;
  private fir!: FirFunction;
  private mem!: Float32Array;
  /** Float32 indices of the input buffer (history first) and of the outputs. */
  private xAt = 0;
  private outAt = 0;
  /** Decimation: index in the next frame of the input that completes the next output. */
  private next = 0;

  constructor(fromRate: number, toRate: number, module: FirModule, maxFrame = 2880, tapsPerPhase = TAPS_PER_PHASE) {
    this.fromRate = fromRate;
    this.toRate = toRate;
    const hi = Math.max(fromRate, toRate);
    const lo = Math.min(fromRate, toRate);
    if (!Number.isInteger(hi / lo) || hi === lo) throw new RangeError(`simd resampler: ${fromRate} → ${toRate} is not an integer ratio above 1`);
    this.factor = hi / lo;
    this.direction = fromRate > toRate ? 'decimate' : 'interpolate';
    this.module = module;
    const h = designLowPass(this.factor, tapsPerPhase);
    const n = h.length;
    if (this.direction === 'decimate') {
      // y[t] = Σ h[k]·x[t − k] = Σ h[j]·x[t − n + 1 + j] (the prototype is symmetric): an ascending window.
      this.taps8 = roundUp8(n);
      this.tapFloats = new Float32Array(this.taps8);
      this.tapFloats.set(h);
      this.hist = n - 1;
    } else {
      // Phase p: y[tL + p] = Σ_k L·h[kL + p]·x[t − k]; stored reversed, so the window ascends too.
      const perPhase = Math.ceil(n / this.factor);
      this.taps8 = roundUp8(perPhase);
      this.tapFloats = new Float32Array(this.taps8 * this.factor);
      for (let p = 0; p < this.factor; p++) {
        for (let k = 0; k * this.factor + p < n; k++) this.tapFloats[p * this.taps8 + (perPhase - 1 - k)] = this.factor * h[k * this.factor + p]!;
      }
      this.hist = perPhase - 1;
    }
    this.delay = this.direction === 'decimate' ? (n - 1) / 2 / this.factor : (n - 1) / 2;
    this.allocate(maxFrame);
  }

  /** A fresh memory for frames up to `maxFrame` input samples, keeping the input history. */
  private allocate(maxFrame: number): void {
    const history = this.mem ? this.mem.slice(this.xAt, this.xAt + this.hist) : undefined;
    const outMax = this.direction === 'decimate' ? Math.ceil(maxFrame / this.factor) + 1 : maxFrame * this.factor;
    this.xAt = this.tapFloats.length;
    this.outAt = roundUp8(this.xAt + this.hist + maxFrame + SLACK);
    const { fir, buffer } = firInstance(this.module, 4 * (this.outAt + outMax));
    this.fir = fir;
    this.mem = new Float32Array(buffer);
    this.mem.set(this.tapFloats, 0);
    if (history) this.mem.set(history, this.xAt);
    this.maxFrame = maxFrame;
  }

  outputLength(inputLength: number): number {
    if (this.direction === 'interpolate') return inputLength * this.factor;
    return inputLength > this.next ? Math.ceil((inputLength - this.next) / this.factor) : 0;
  }

  /** Converts one frame; writes to `output` (must hold outputLength(input.length)); returns samples written. */
  process(input: Int16Array, output: Int16Array): number {
    const count = this.outputLength(input.length);
    if (output.length < count) throw new RangeError(`resampler: output holds ${output.length}, needs ${count}`);
    const n = input.length;
    if (n > this.maxFrame) this.allocate(n);
    const mem = this.mem;
    const x = this.xAt + this.hist;
    for (let i = 0; i < n; i++) mem[x + i] = input[i]!;
    const taps8 = this.taps8 / 8;
    if (this.direction === 'decimate') {
      if (count > 0) this.fir(4 * (this.xAt + this.next), 4 * this.factor, count, 0, taps8, 4 * this.outAt, 4);
      this.next = this.next + count * this.factor - n;
    } else if (n > 0) {
      for (let p = 0; p < this.factor; p++) {
        this.fir(4 * this.xAt, 4, n, 4 * p * this.taps8, taps8, 4 * (this.outAt + p), 4 * this.factor);
      }
    }
    const out = this.outAt;
    for (let i = 0; i < count; i++) {
      const r = Math.round(mem[out + i]!);
      output[i] = r < INT16_MIN ? INT16_MIN : r > INT16_MAX ? INT16_MAX : r;
    }
    mem.copyWithin(this.xAt, this.xAt + n, this.xAt + n + this.hist);
    return count;
  }

  reset(): void {
    this.mem.fill(0, this.xAt, this.outAt);
    this.next = 0;
  }
}
