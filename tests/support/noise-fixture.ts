/**
 * Seeded background noise for the noise-suppression tests: pink noise (−3 dB per octave, like a
 * fan, air conditioning or road rumble at a desk), from white noise through P. Kellet's three-pole
 * approximation of a 1/f filter. Same seed, same noise.
 */
import { seededRandom } from './seeded-random.js';
import type { Scenario } from './echo-fixture.js';

/** `n` samples of pink noise at `dbfs` RMS (s16 scale; a full-scale square wave is 0 dBFS). */
export function pinkNoise(seed: number, n: number, dbfs: number): Float64Array {
  const rand = seededRandom(seed);
  const y = new Float64Array(n);
  let b0 = 0, b1 = 0, b2 = 0, e = 0;
  for (let i = 0; i < n; i++) {
    const w = rand() * 2 - 1;
    b0 = 0.99765 * b0 + w * 0.099046;
    b1 = 0.963 * b1 + w * 0.2965164;
    b2 = 0.57 * b2 + w * 1.0526913;
    y[i] = b0 + b1 + b2 + w * 0.1848;
    e += y[i]! * y[i]!;
  }
  const g = (10 ** (dbfs / 20) * 32768) / Math.sqrt(e / n);
  for (let i = 0; i < n; i++) y[i] = y[i]! * g;
  return y;
}

/**
 * The scenario with `noise` added at the microphone. The noise takes the place of the echo
 * component (`echo`), so the echo metrics (doubleTalk, erleDb) read as noise removed.
 */
export function withNoise(s: Scenario, noise: Float64Array): Scenario {
  const mic = new Int16Array(s.mic.length);
  for (let i = 0; i < mic.length; i++) mic[i] = Math.max(-32768, Math.min(32767, Math.round(s.mic[i]! + noise[i]!)));
  return { ...s, mic, echo: noise };
}
