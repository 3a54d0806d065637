/**
 * "Who heard what" in a recording, for the e2e tests: where a tone is present (100 ms windows, as
 * the interop call-control tests count it), and a clean-tone check on its longest stretch —
 * frequency, level, gaps (as the interop `assertTone`) plus the tone's SNR.
 */
import assert from 'node:assert/strict';
import { dominantFrequency, findGaps, goertzel, rmsDbfs, toneSnrDb } from '../../support/audio-analysis.js';
import { readWav, type MonoPcm } from '../../support/wav.js';
import { toneDbfs } from '../../interop/support/tone-check.js';

const windowS = 0.1;
/** A window holds a tone when its Goertzel amplitude is above -30 dBFS (the tones are -6 dBFS sines). */
const presentAbove = 32768 * Math.pow(10, -30 / 20);

const pcmOf = (rec: string | MonoPcm): MonoPcm => (typeof rec === 'string' ? readWav(rec) : rec);

/** For each 100 ms window: is `freq` heard? */
export function presence(rec: string | MonoPcm, freq: number): boolean[] {
  const pcm = pcmOf(rec);
  const n = Math.round(pcm.rate * windowS);
  const out: boolean[] = [];
  for (let i = 0; i + n <= pcm.samples.length; i += n) out.push(goertzel(pcm.samples, pcm.rate, freq, i, i + n) > presentAbove);
  return out;
}

export interface Run { heard: boolean; startS: number; seconds: number }

/** Runs of `freq` heard or not, from its first appearance on. */
export function toneRuns(rec: string | MonoPcm, freq: number): Run[] {
  const out: Run[] = [];
  presence(rec, freq).forEach((heard, i) => {
    const last = out.at(-1);
    if (last && last.heard === heard) last.seconds = +(last.seconds + windowS).toFixed(1);
    else if (last || heard) out.push({ heard, startS: +(i * windowS).toFixed(1), seconds: windowS });
  });
  return out;
}

export const describeRuns = (runs: Run[]): string => runs.map((r) => `${r.heard ? 'tone' : 'quiet'} ${r.seconds}s`).join(', ');

/** The long runs only (tone ≥ `minTone` s, silence ≥ `minQuiet` s): brief dips are not events. */
export const longRuns = (runs: Run[], minTone = 0.8, minQuiet = 0.8): Run[] =>
  runs.filter((r) => r.seconds >= (r.heard ? minTone : minQuiet));

export interface ToneReport { seconds: number; frequencyHz: number; levelDbfs: number; snrDb: number; gaps: string[] }

/**
 * Asserts a clean `freq` tone for at least `minSeconds` in one stretch, measured on its longest
 * run less 200 ms at each end: ±5 Hz, -9 ±3 dBFS, no gap over 60 ms below -40 dBFS, SNR ≥ 15 dB.
 * (G.711 measures 37-39 dB here; one concealed 20 ms frame in 2 s costs about 20 dB of SNR, which
 * a loaded test machine can cause, so the floor catches distortion and loss, not one glitch.)
 */
export function checkTone(rec: string | MonoPcm, freq: number, what: string, minSeconds = 1.5, minSnrDb = 15): ToneReport {
  const pcm = pcmOf(rec);
  const longest = toneRuns(pcm, freq).filter((r) => r.heard).sort((a, b) => b.seconds - a.seconds)[0];
  assert.ok(longest, `${what}: ${freq} Hz never heard`);
  const start = Math.round((longest.startS + 0.2) * pcm.rate);
  const end = Math.round((longest.startS + longest.seconds - 0.2) * pcm.rate);
  const w = pcm.samples.subarray(start, Math.max(start, end));
  const r: ToneReport = {
    seconds: w.length / pcm.rate,
    frequencyHz: dominantFrequency(w, pcm.rate),
    levelDbfs: rmsDbfs(w),
    snrDb: toneSnrDb(w, pcm.rate, freq),
    gaps: findGaps(w, pcm.rate, -40, 60).map((g) => `${g.startMs.toFixed(0)}+${g.durationMs.toFixed(0)}ms`),
  };
  const said = `${what}: ${describeTone(r)}`;
  assert.ok(r.seconds >= minSeconds - 0.4, `${said}: expected ≥ ${minSeconds} s of ${freq} Hz in one stretch`);
  assert.ok(Math.abs(r.frequencyHz - freq) < 5, `${said}: expected ${freq} Hz`);
  assert.ok(Math.abs(r.levelDbfs - toneDbfs) < 3, `${said}: expected about ${toneDbfs} dBFS`);
  assert.deepEqual(r.gaps, [], `${said}: gaps`);
  assert.ok(r.snrDb >= minSnrDb, `${said}: expected an SNR ≥ ${minSnrDb} dB`);
  return r;
}

export const describeTone = (r: ToneReport): string =>
  `${r.frequencyHz.toFixed(1)} Hz, ${r.levelDbfs.toFixed(1)} dBFS, SNR ${r.snrDb.toFixed(1)} dB over ${r.seconds.toFixed(1)} s`;
