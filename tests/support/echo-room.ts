/**
 * Acoustic echo path for tests: a shoebox room's impulse response from the image-source model
 * (Allen & Berkley, JASA 65(4), 1979), a soft-clipping loudspeaker, clock drift between the
 * loudspeaker and microphone clocks, and FFT convolution. Everything is deterministic.
 */
import { fft } from './audio-analysis.js';

export interface Room {
  /** Room size, metres [x, y, z]. */
  size: readonly [number, number, number];
  /** Loudspeaker and microphone positions, metres. */
  speaker: readonly [number, number, number];
  mic: readonly [number, number, number];
  /** Wall pressure reflection coefficient, 0..1 (0.9 ≈ an office, RT60 ~0.3 s). */
  reflection: number;
}

const SPEED_OF_SOUND = 343; // m/s

/**
 * Impulse response of `room` at `rate`, `lengthMs` long. Each image source contributes
 * reflection^(walls crossed) / distance at its delay, spread by a 16-tap windowed sinc for the
 * fractional part of the delay.
 */
export function imageSourceRir(room: Room, rate: number, lengthMs: number): Float64Array {
  const n = Math.round((rate * lengthMs) / 1000);
  const h = new Float64Array(n);
  const maxDist = (SPEED_OF_SOUND * lengthMs) / 1000;
  const orders = room.size.map((l) => Math.ceil(maxDist / l) + 1);
  const [ox, oy, oz] = orders as [number, number, number];
  const images = (axis: 0 | 1 | 2, order: number): { pos: number; walls: number }[] => {
    const out: { pos: number; walls: number }[] = [];
    const l = room.size[axis];
    const s = room.speaker[axis];
    for (let m = -order; m <= order; m++) {
      out.push({ pos: 2 * m * l + s, walls: Math.abs(2 * m) });
      out.push({ pos: 2 * m * l - s, walls: Math.abs(2 * m - 1) });
    }
    return out;
  };
  const ix = images(0, ox), iy = images(1, oy), iz = images(2, oz);
  const [mx, my, mz] = room.mic;
  for (const a of ix) {
    const dx = a.pos - mx;
    for (const b of iy) {
      const dy = b.pos - my;
      for (const c of iz) {
        const dz = c.pos - mz;
        const d = Math.sqrt(dx * dx + dy * dy + dz * dz);
        if (d > maxDist) continue;
        const gain = room.reflection ** (a.walls + b.walls + c.walls) / Math.max(d, 0.1);
        const t = (d / SPEED_OF_SOUND) * rate;
        const t0 = Math.floor(t);
        for (let k = -7; k <= 8; k++) {
          const i = t0 + k;
          if (i < 0 || i >= n) continue;
          const x = i - t;
          const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
          const win = 0.5 + 0.5 * Math.cos((Math.PI * x) / 8.5);
          h[i] = h[i]! + gain * sinc * win;
        }
      }
    }
  }
  return h;
}

/** Linear convolution x * h (length x.length), overlap-add with a radix-2 FFT. */
export function convolve(x: Float64Array, h: Float64Array): Float64Array {
  let size = 1;
  while (size < 2 * h.length) size <<= 1;
  const block = size - h.length + 1;
  const hr = new Float64Array(size), hi = new Float64Array(size);
  hr.set(h);
  fft(hr, hi);
  const y = new Float64Array(x.length);
  const re = new Float64Array(size), im = new Float64Array(size);
  for (let start = 0; start < x.length; start += block) {
    re.fill(0); im.fill(0);
    re.set(x.subarray(start, Math.min(x.length, start + block)));
    fft(re, im);
    // Multiply, then inverse FFT by conjugating in and out.
    for (let k = 0; k < size; k++) {
      const r = re[k]! * hr[k]! - im[k]! * hi[k]!;
      const i = re[k]! * hi[k]! + im[k]! * hr[k]!;
      re[k] = r; im[k] = -i;
    }
    fft(re, im);
    for (let k = 0; k < size && start + k < y.length; k++) y[start + k] = y[start + k]! + re[k]! / size;
  }
  return y;
}

/** Loudspeaker overdrive: tanh soft clipping with `drive` (1 = mild, 3 = harsh), peak kept at `limit`. */
export function softClip(x: Float64Array, drive: number, limit: number): Float64Array {
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = (limit * Math.tanh((drive * x[i]!) / limit)) / Math.tanh(drive);
  return y;
}

/**
 * The signal as a clock running `ppm` parts per million fast samples it: y[n] = x(n·(1 + ppm·1e-6)),
 * cubic (Catmull-Rom) interpolation.
 */
export function drift(x: Float64Array, ppm: number): Float64Array {
  const ratio = 1 + ppm * 1e-6;
  const y = new Float64Array(x.length);
  for (let n = 0; n < y.length; n++) {
    const t = n * ratio;
    const i = Math.floor(t);
    const f = t - i;
    const p0 = x[i - 1] ?? 0, p1 = x[i] ?? 0, p2 = x[i + 1] ?? 0, p3 = x[i + 2] ?? 0;
    y[n] = p1 + 0.5 * f * (p2 - p0 + f * (2 * p0 - 5 * p1 + 4 * p2 - p3 + f * (3 * (p1 - p2) + p3 - p0)));
  }
  return y;
}

/** x delayed by `samples` (zeros shifted in), same length. */
export function delay(x: Float64Array, samples: number): Float64Array {
  const y = new Float64Array(x.length);
  if (samples < x.length) y.set(x.subarray(0, x.length - samples), samples);
  return y;
}
