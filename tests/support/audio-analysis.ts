/**
 * Signal checks for audio tests: level, frequency, tone power and silence gaps.
 *
 * Samples are any array of numbers. Levels in dB are relative to full scale (dBFS, a full-scale
 * sine is -3.01 dBFS); full scale defaults to 32768 for Int16Array and 1 for everything else.
 */
export type Samples = ArrayLike<number>;

export interface LevelOptions {
  /** Value of digital full scale (default 32768 for Int16Array, otherwise 1). */
  fullScale?: number;
}

function fullScaleOf(samples: Samples, opts?: LevelOptions): number {
  return opts?.fullScale ?? (samples instanceof Int16Array ? 32768 : 1);
}

/** Root mean square, in sample units. 0 for an empty input. */
export function rms(samples: Samples, start = 0, end = samples.length): number {
  const n = end - start;
  if (n <= 0) return 0;
  let sum = 0;
  for (let i = start; i < end; i++) {
    const v = samples[i]!;
    sum += v * v;
  }
  return Math.sqrt(sum / n);
}

/** Amplitude ratio in dB. */
export const db = (ratio: number): number => 20 * Math.log10(ratio);

/** Largest |x[i] − x[i−1]| in [from, to): a click or a discontinuity shows as a large step. */
export function maxStep(samples: Samples, from = 1, to = samples.length): number {
  let m = 0;
  for (let i = Math.max(1, from); i < to; i++) m = Math.max(m, Math.abs(samples[i]! - samples[i - 1]!));
  return m;
}

/** RMS level in dBFS (-Infinity for digital silence). */
export function rmsDbfs(samples: Samples, opts?: LevelOptions): number {
  return 20 * Math.log10(rms(samples) / fullScaleOf(samples, opts));
}

/**
 * Goertzel algorithm: amplitude of the `freq` component (a sine of amplitude A reads ≈ A when the
 * window holds many periods). The frequency need not sit on an FFT bin.
 */
export function goertzel(samples: Samples, rate: number, freq: number, start = 0, end = samples.length): number {
  const n = end - start;
  if (n <= 0) return 0;
  const w = (2 * Math.PI * freq) / rate;
  const coeff = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (let i = start; i < end; i++) {
    const s0 = samples[i]! + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const re = s1 - s2 * Math.cos(w);
  const im = s2 * Math.sin(w);
  return (2 * Math.sqrt(re * re + im * im)) / n;
}

/**
 * Signal-to-noise ratio, dB, of a tone at `freq`: the least-squares fitted sinusoid (plus DC) is the
 * signal, the residual is the noise (distortion and everything else counts as noise).
 */
export function toneSnrDb(samples: Samples, rate: number, freq: number): number {
  const n = samples.length;
  const w = (2 * Math.PI * freq) / rate;
  // Normal equations for x ≈ a·cos + b·sin + c.
  let cc = 0, ss = 0, cs = 0, c1 = 0, s1 = 0, xc = 0, xs = 0, x1 = 0;
  for (let i = 0; i < n; i++) {
    const c = Math.cos(w * i), s = Math.sin(w * i), x = samples[i]!;
    cc += c * c; ss += s * s; cs += c * s; c1 += c; s1 += s;
    xc += x * c; xs += x * s; x1 += x;
  }
  const [a, b, d] = solve3([[cc, cs, c1], [cs, ss, s1], [c1, s1, n]], [xc, xs, x1]);
  let sig = 0;
  let noise = 0;
  for (let i = 0; i < n; i++) {
    const fit = a * Math.cos(w * i) + b * Math.sin(w * i);
    const r = samples[i]! - fit - d;
    sig += fit * fit;
    noise += r * r;
  }
  return 10 * Math.log10(sig / Math.max(noise, 1e-30));
}

function solve3(m: number[][], v: number[]): [number, number, number] {
  const a = m.map((row, i) => [...row, v[i]!]);
  for (let col = 0; col < 3; col++) {
    let pivot = col;
    for (let r = col + 1; r < 3; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let r = 0; r < 3; r++) {
      if (r === col) continue;
      const f = a[r]![col]! / a[col]![col]!;
      for (let k = col; k < 4; k++) a[r]![k]! -= f * a[col]![k]!;
    }
  }
  return [a[0]![3]! / a[0]![0]!, a[1]![3]! / a[1]![1]!, a[2]![3]! / a[2]![2]!];
}

/** In-place radix-2 complex FFT (length a power of two). */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < len / 2; k++) {
        const wr = Math.cos(ang * k), wi = Math.sin(ang * k);
        const a = i + k, b = a + len / 2;
        const xr = re[b]! * wr - im[b]! * wi;
        const xi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - xr; im[b] = im[a]! - xi;
        re[a] = re[a]! + xr; im[a] = im[a]! + xi;
      }
    }
  }
}

/** Magnitude spectrum (Hann window, zero-padded to ≥ 4× the length): bin k is k·rate/size Hz. */
export function spectrum(samples: Samples): { magnitudes: Float64Array; size: number } {
  const n = samples.length;
  let size = 1;
  while (size < 4 * n) size <<= 1;
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  for (let i = 0; i < n; i++) re[i] = samples[i]! * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / Math.max(1, n - 1)));
  fft(re, im);
  const magnitudes = new Float64Array(size / 2 + 1);
  for (let k = 0; k <= size / 2; k++) magnitudes[k] = Math.hypot(re[k]!, im[k]!);
  return { magnitudes, size };
}

/**
 * Frequency (Hz) of the strongest spectral peak, DC excluded, refined by parabolic interpolation of
 * the log magnitudes. Accurate to well under 1 Hz for a clean 100 ms tone. NaN for silence.
 */
export function dominantFrequency(samples: Samples, rate: number): number {
  const { magnitudes, size } = spectrum(samples);
  let best = -1;
  let bestMag = 0;
  // Skip the DC lobe (Hann main lobe is 2 bins of the unpadded length).
  const first = Math.max(1, Math.ceil((2 * size) / Math.max(1, samples.length)));
  for (let k = first; k < magnitudes.length - 1; k++) {
    if (magnitudes[k]! > bestMag) {
      bestMag = magnitudes[k]!;
      best = k;
    }
  }
  if (best < 0) return NaN;
  const a = Math.log(magnitudes[best - 1]! + 1e-30);
  const b = Math.log(bestMag);
  const c = Math.log(magnitudes[best + 1]! + 1e-30);
  const denom = a - 2 * b + c;
  const delta = denom === 0 ? 0 : (0.5 * (a - c)) / denom;
  return ((best + delta) * rate) / size;
}

export interface Gap {
  /** First silent sample. */
  start: number;
  /** One past the last silent sample. */
  end: number;
  startMs: number;
  endMs: number;
  durationMs: number;
}

/**
 * Silent stretches: runs of at least `minGapMs` where every |sample| stays below `thresholdDb`
 * (dBFS, peak). Sample-accurate; zero crossings of a tone are far shorter than any sensible gap.
 */
export function findGaps(samples: Samples, rate: number, thresholdDb: number, minGapMs: number, opts?: LevelOptions): Gap[] {
  const limit = fullScaleOf(samples, opts) * Math.pow(10, thresholdDb / 20);
  const minLen = Math.max(1, Math.round((minGapMs * rate) / 1000));
  const gaps: Gap[] = [];
  let runStart = -1;
  const close = (end: number): void => {
    if (runStart >= 0 && end - runStart >= minLen) {
      const startMs = (runStart * 1000) / rate;
      const endMs = (end * 1000) / rate;
      gaps.push({ start: runStart, end, startMs, endMs, durationMs: endMs - startMs });
    }
    runStart = -1;
  };
  for (let i = 0; i < samples.length; i++) {
    if (Math.abs(samples[i]!) < limit) {
      if (runStart < 0) runStart = i;
    } else {
      close(i);
    }
  }
  close(samples.length);
  return gaps;
}

/** Frequency from positive-going zero crossings (linearly interpolated): exact for a clean tone. */
export function zeroCrossingFrequency(samples: Samples, rate: number, from = 0, to = samples.length): number {
  let first = -1;
  let last = -1;
  let count = 0;
  for (let i = from + 1; i < to; i++) {
    const a = samples[i - 1]!;
    const b = samples[i]!;
    if (a < 0 && b >= 0) {
      const t = i - 1 + -a / (b - a);
      if (first < 0) first = t;
      last = t;
      count++;
    }
  }
  return count < 2 ? 0 : ((count - 1) * rate) / (last - first);
}

/** A sine tone of `n` samples, rounded to Int16. */
export function sine(freqHz: number, rate: number, n: number, amplitude = 10000, phase = 0): Int16Array {
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(amplitude * Math.sin(phase + (2 * Math.PI * freqHz * i) / rate));
  return out;
}

/** A test signal: sum of sines, each `amplitude` (in sample units), as Float64Array. */
export function sines(freqs: readonly number[], rate: number, count: number, amplitude: number, phase = 0): Float64Array {
  const out = new Float64Array(count);
  for (const f of freqs) {
    for (let i = 0; i < count; i++) out[i]! += amplitude * Math.sin((2 * Math.PI * f * i) / rate + phase);
  }
  return out;
}
