/**
 * "Does this recording hold that tone?" for the audio interop tests: the call's audio window
 * (from the first sound, skipping 500 ms of start-up), its dominant frequency (FFT peak), its RMS
 * level and its gaps. The test tones are sines at -6 dBFS peak: -9 dBFS RMS.
 */
import assert from 'node:assert/strict';
import { dominantFrequency, findGaps, rmsDbfs, toneSnrDb } from '../../support/audio-analysis.js';
import type { MonoPcm } from '../../support/wav.js';

export const toneDbfs = -9;

/**
 * The part of a recording where the call's audio is: from the first sound, skipping 500 ms. With
 * `freq`, from the first 20 ms where that tone dominates (10 dB over the rest): a recording of the
 * speaker also holds the caller's local ringback (tones/tone-plans.ts), which ends at the answer,
 * before the far end's audio can arrive (after ICE checks, through TURN), and is not the far end.
 * A recording where the tone never dominates keeps the first sound (and then fails on frequency).
 */
export function callWindow(pcm: MonoPcm, seconds: number, freq?: number): Int16Array {
  const limit = 32768 * Math.pow(10, -40 / 20);
  const first = pcm.samples.findIndex((s) => Math.abs(s) > limit);
  assert.ok(first >= 0, 'the recording is silent');
  let from = first;
  if (freq !== undefined) {
    const block = Math.round(pcm.rate / 50);
    for (let i = first; i + block <= pcm.samples.length; i += block) {
      if (toneSnrDb(pcm.samples.subarray(i, i + block), pcm.rate, freq) > 10) { from = i; break; }
    }
  }
  const start = from + pcm.rate / 2;
  return pcm.samples.subarray(start, Math.min(pcm.samples.length, start + seconds * pcm.rate));
}

export interface ToneFigures { seconds: number; frequencyHz: number; levelDbfs: number; gaps: string[] }

/**
 * Asserts `seconds` of `freq` (±5 Hz) at about -9 dBFS (±3 dB) with no gap over 60 ms below
 * -40 dBFS; returns what it measured.
 */
export function assertTone(pcm: MonoPcm, freq: number, what: string, seconds = 2.5): ToneFigures {
  const window = callWindow(pcm, seconds, freq);
  const figures: ToneFigures = {
    seconds: window.length / pcm.rate,
    frequencyHz: dominantFrequency(window, pcm.rate),
    levelDbfs: rmsDbfs(window),
    gaps: findGaps(window, pcm.rate, -40, 60).map((g) => `${g.startMs.toFixed(0)}+${g.durationMs.toFixed(0)}ms`),
  };
  assert.ok(figures.seconds >= seconds * 0.95, `${what}: only ${figures.seconds.toFixed(2)} s of audio`);
  assert.ok(Math.abs(figures.frequencyHz - freq) < 5, `${what}: dominant ${figures.frequencyHz.toFixed(1)} Hz, expected ${freq}`);
  assert.ok(Math.abs(figures.levelDbfs - toneDbfs) < 3, `${what}: level ${figures.levelDbfs.toFixed(1)} dBFS, expected about ${toneDbfs}`);
  assert.deepEqual(figures.gaps, [], `${what}: gaps`);
  return figures;
}
