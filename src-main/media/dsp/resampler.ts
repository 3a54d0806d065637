/**
 * Integer-ratio sample-rate conversion between the device rate and codec rates (48000 ↔ 8000,
 * 16000, 48000): a polyphase FIR whose prototype is a Kaiser-windowed sinc low-pass designed at the
 * high rate (Crochiere & Rabiner, "Multirate DSP", §3.3 polyphase structures). Stateful across
 * frames; frames of any length; no allocation per frame once the largest frame has been seen.
 */

/**
 * Taps per polyphase branch: the prototype has TAPS_PER_PHASE × factor + 1 taps (odd, so the
 * delay is a whole number of samples at both rates: TAPS_PER_PHASE/2 at the low rate).
 */
export const TAPS_PER_PHASE = 40;
/** Passband edge and stopband edge, as fractions of the low rate. */
export const PASSBAND_EDGE = 0.4;
export const STOPBAND_EDGE = 0.5;
/** Kaiser β for ≈ 65 dB stopband attenuation at TAPS_PER_PHASE (β = 0.1102·(A − 8.7)). */
export const KAISER_BETA = 6.2;

const INT16_MIN = -32768;
const INT16_MAX = 32767;

export type ResampleDirection = 'decimate' | 'interpolate' | 'copy';

/** Zeroth-order modified Bessel function of the first kind (power series). */
export function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 64; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

/**
 * Windowed-sinc low-pass prototype at the high rate for conversion by `factor`, normalised to a
 * DC gain of 1. Cut-off (−6 dB) midway between the passband and stopband edges.
 */
export function designLowPass(factor: number, tapsPerPhase = TAPS_PER_PHASE, beta = KAISER_BETA): Float64Array {
  const n = tapsPerPhase * factor + 1;
  const h = new Float64Array(n);
  const fc = (PASSBAND_EDGE + STOPBAND_EDGE) / 2 / factor; // cycles per high-rate sample
  const mid = (n - 1) / 2;
  const i0b = besselI0(beta);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const t = i - mid;
    const sinc = t === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * t) / (Math.PI * t);
    const r = (2 * i) / (n - 1) - 1;
    const w = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0b;
    h[i] = sinc * w;
    sum += h[i]!;
  }
  for (let i = 0; i < n; i++) h[i] = h[i]! / sum;
  return h;
}

function toInt16(v: number): number {
  const r = Math.round(v);
  return r < INT16_MIN ? INT16_MIN : r > INT16_MAX ? INT16_MAX : r;
}

export class Resampler {
  readonly fromRate: number;
  readonly toRate: number;
  readonly factor: number;
  readonly direction: ResampleDirection;
  /** Group delay of the filter, in output samples (a whole number). */
  readonly delay: number;
  private readonly h: Float64Array;
  /** Prototype taps split by phase for interpolation: phases[p][k] = factor·h[k·factor + p]. */
  private readonly phases: Float64Array[];
  /** History of inputs (as floats): `hist` samples of the past, then the current frame. */
  private buf: Float64Array;
  private readonly hist: number;
  /** Decimation: index in the next frame of the input that completes the next output. */
  private next = 0;

  constructor(fromRate: number, toRate: number, maxFrame = 2880, tapsPerPhase = TAPS_PER_PHASE) {
    this.fromRate = fromRate;
    this.toRate = toRate;
    const hi = Math.max(fromRate, toRate);
    const lo = Math.min(fromRate, toRate);
    if (!Number.isInteger(hi / lo)) throw new RangeError(`resampler: ${fromRate} → ${toRate} is not an integer ratio`);
    this.factor = hi / lo;
    this.direction = this.factor === 1 ? 'copy' : fromRate > toRate ? 'decimate' : 'interpolate';
    this.h = this.factor === 1 ? new Float64Array([1]) : designLowPass(this.factor, tapsPerPhase);
    const n = this.h.length;
    this.phases = [];
    if (this.direction === 'interpolate') {
      const perPhase = Math.ceil(n / this.factor);
      for (let p = 0; p < this.factor; p++) {
        const ph = new Float64Array(perPhase);
        for (let k = 0; k * this.factor + p < n; k++) ph[k] = this.factor * this.h[k * this.factor + p]!;
        this.phases.push(ph);
      }
      this.hist = perPhase - 1;
    } else {
      this.hist = n - 1;
    }
    this.buf = new Float64Array(this.hist + maxFrame);
    this.delay = this.direction === 'decimate' ? (n - 1) / 2 / this.factor : (n - 1) / 2;
  }

  /** Output samples produced for `inputLength` more input samples (decimation depends on state). */
  outputLength(inputLength: number): number {
    switch (this.direction) {
      case 'copy': return inputLength;
      case 'interpolate': return inputLength * this.factor;
      case 'decimate': return inputLength > this.next ? Math.ceil((inputLength - this.next) / this.factor) : 0;
    }
  }

  /** Converts one frame; writes to `output` (must hold outputLength(input.length)); returns samples written. */
  process(input: Int16Array, output: Int16Array): number {
    const need = this.outputLength(input.length);
    if (output.length < need) throw new RangeError(`resampler: output holds ${output.length}, needs ${need}`);
    if (this.direction === 'copy') {
      output.set(input);
      return input.length;
    }
    if (this.buf.length < this.hist + input.length) this.grow(input.length);
    const buf = this.buf;
    const hist = this.hist;
    for (let i = 0; i < input.length; i++) buf[hist + i] = input[i]!;
    const written = this.direction === 'decimate' ? this.decimate(input.length, output) : this.interpolate(input.length, output);
    buf.copyWithin(0, input.length, input.length + hist);
    return written;
  }

  reset(): void {
    this.buf.fill(0);
    this.next = 0;
  }

  private decimate(n: number, out: Int16Array): number {
    const { h, buf, factor } = this;
    const taps = h.length;
    let o = 0;
    let t = this.next;
    for (; t < n; t += factor) {
      // y = Σ h[k]·x[t − k]; x[t] sits at buf[hist + t] and hist = taps − 1.
      let acc = 0;
      const end = t + taps - 1;
      for (let k = 0; k < taps; k++) acc += h[k]! * buf[end - k]!;
      out[o++] = toInt16(acc);
    }
    this.next = t - n;
    return o;
  }

  private interpolate(n: number, out: Int16Array): number {
    const { phases, buf, factor } = this;
    const k0 = this.hist;
    let o = 0;
    for (let t = 0; t < n; t++) {
      const end = t + k0;
      for (let p = 0; p < factor; p++) {
        // y[tL + p] = L · Σ h[kL + p]·x[t − k]
        const ph = phases[p]!;
        let acc = 0;
        for (let k = 0; k < ph.length; k++) acc += ph[k]! * buf[end - k]!;
        out[o++] = toInt16(acc);
      }
    }
    return o;
  }

  private grow(frame: number): void {
    const bigger = new Float64Array(this.hist + frame);
    bigger.set(this.buf.subarray(0, this.hist));
    this.buf = bigger;
  }
}
