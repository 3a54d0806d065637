/** Codec-test helpers: sweeps, noise, speech, SNR against a reference, external tools (ffmpeg, espeak-ng, sox). Tones, levels and tone detection: tests/support/audio-analysis.ts. */
import { dominantFrequency } from '../../support/audio-analysis.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Linear sweep f0 → f1 Hz. */
export function sweep(f0: number, f1: number, rate: number, n: number, amplitude = 12000): Int16Array {
  const out = new Int16Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    out[i] = Math.round(amplitude * Math.sin(phase));
    phase += (2 * Math.PI * (f0 + ((f1 - f0) * i) / n)) / rate;
  }
  return out;
}

/** Deterministic white noise (LCG). */
export function noise(n: number, amplitude = 8000, seed = 1): Int16Array {
  const out = new Int16Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = Math.round(((s / 2 ** 32) * 2 - 1) * amplitude);
  }
  return out;
}

/** SNR in dB of `test` against `ref`, comparing ref[i] with test[i + delay]. */
export function snrDb(ref: ArrayLike<number>, test: ArrayLike<number>, from = 0, to = ref.length, delay = 0): number {
  let s = 0;
  let e = 0;
  for (let i = from; i < to; i++) {
    s += ref[i]! ** 2;
    e += (ref[i]! - test[i + delay]!) ** 2;
  }
  return 10 * Math.log10(s / Math.max(e, 1e-9));
}

/** Frequency (Hz) of the largest magnitude bin of a Hann-windowed, zero-padded FFT of x[from..to). */
export function peakFrequency(x: ArrayLike<number>, rate: number, from = 0, to = x.length): number {
  return dominantFrequency(Array.prototype.slice.call(x, from, to) as number[], rate);
}

export function withTmp<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-codec-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function toInt16(buf: Buffer): Int16Array {
  const copy = new Uint8Array(buf.length & ~1);
  copy.set(buf.subarray(0, copy.length));
  return new Int16Array(copy.buffer);
}

/** Spoken English from espeak-ng, resampled by sox to `rate` Hz mono s16. */
export function speech(rate: number, text = 'The quick brown fox jumps over the lazy dog. Nimbus phone is calling you now.'): Int16Array {
  return withTmp((dir) => {
    const wav = join(dir, 'speech.wav');
    execFileSync('espeak-ng', ['-w', wav, text]);
    const raw = execFileSync('sox', [wav, '-t', 'raw', '-e', 'signed-integer', '-b', '16', '-c', '1', '-r', String(rate), '-'], {
      maxBuffer: 1 << 26,
    });
    return toInt16(raw);
  });
}

export function ffmpeg(args: string[], input?: Uint8Array): Buffer {
  return execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', ...args], { input, maxBuffer: 1 << 26 });
}

export { readFileSync, writeFileSync, join };
