/**
 * Metrics for echo cancellation on a scenario whose components are known (echo-fixture.ts):
 * ERLE (echo return loss enhancement, ITU-T G.168 §3.4: the echo's level at the microphone over
 * what is left of it after the canceller), near-end level change, and added latency.
 */
import type { Samples } from './audio-analysis.js';

/** 20 ms analysis frames at 48 kHz. */
const FRAME = 960;

const energy = (x: Samples, from: number, to: number): number => {
  let e = 0;
  for (let i = from; i < to; i++) e += x[i]! * x[i]!;
  return e;
};

const dbOf = (ratio: number): number => 10 * Math.log10(ratio);

/**
 * ERLE over [fromS, toS): echo energy at the microphone over output energy, both summed over the
 * 20 ms frames where the echo is above `activeDbfs` (pauses in the far end's speech don't count).
 * Used only where the near end is silent, so the output holds residual echo and noise.
 */
export function erleDb(echo: Samples, out: Samples, rate: number, fromS: number, toS: number, activeDbfs = -50): number {
  const floor = FRAME * (32768 * 10 ** (activeDbfs / 20)) ** 2;
  let e = 0, r = 0;
  const end = Math.min(echo.length, out.length, Math.round(toS * rate));
  for (let at = Math.round(fromS * rate); at + FRAME <= end; at += FRAME) {
    const ee = energy(echo, at, at + FRAME);
    if (ee < floor) continue;
    e += ee;
    r += energy(out, at, at + FRAME);
  }
  if (e === 0) throw new Error(`no echo above ${activeDbfs} dBFS in ${fromS}–${toS} s`);
  return dbOf(e / Math.max(r, 1e-9));
}

/** ERLE per `windowS` window from 0 to the end (for reports and convergence curves). */
export function erleOverTime(echo: Samples, out: Samples, rate: number, windowS = 0.5): { atS: number; erleDb: number }[] {
  const points: { atS: number; erleDb: number }[] = [];
  const dur = Math.min(echo.length, out.length) / rate;
  for (let t = 0; t + windowS <= dur + 1e-9; t += windowS) {
    try {
      points.push({ atS: t, erleDb: erleDb(echo, out, rate, t, t + windowS) });
    } catch {
      // no echo in this window
    }
  }
  return points;
}

/**
 * Lag (samples, 0..maxLag) at which `out` best matches `ref` (normalised cross-correlation over
 * [from, to) of ref): the delay the processing adds to near-end speech.
 */
export function addedLatency(ref: Samples, out: Samples, from: number, to: number, maxLag: number): number {
  let best = 0, bestScore = -Infinity;
  const er = energy(ref, from, to);
  for (let lag = 0; lag <= maxLag; lag++) {
    let c = 0;
    for (let i = from; i < to && i + lag < out.length; i++) c += ref[i]! * out[i + lag]!;
    const score = c / Math.sqrt(er * Math.max(energy(out, from + lag, Math.min(out.length, to + lag)), 1e-9));
    if (score > bestScore) { bestScore = score; best = lag; }
  }
  return best;
}

/**
 * Double talk by sign inversion: the stage runs twice, on echo + near (`out`) and on echo − near
 * (`outInverted`). Half their sum is what is left of the echo, half their difference is the near
 * end as processed (a suppressor's level-dependent gains make this an estimate: near-end leakage
 * into the sum only lowers the echo removed). Over [from, to), outputs shifted by `lag`: the near
 * end's level change, dB (0 = kept whole), and the echo removed (echo energy at the microphone over
 * the residual's), dB. With `nearActiveDbfs`, only the 20 ms frames where the near end is above
 * that level count (the pauses between its words left out).
 */
export function doubleTalk(near: Samples, echo: Samples, out: Samples, outInverted: Samples, from: number, to: number, lag: number, nearActiveDbfs?: number): { nearChangeDb: number; echoRemovedDb: number } {
  const floor = nearActiveDbfs === undefined ? -Infinity : FRAME * (32768 * 10 ** (nearActiveDbfs / 20)) ** 2;
  let e = 0, n = 0, residual = 0, kept = 0;
  for (let at = from; at < to; at += FRAME) {
    const end = Math.min(to, at + FRAME);
    if (energy(near, at, end) < floor) continue;
    for (let i = at; i < end; i++) {
      const a = out[i + lag]!, b = outInverted[i + lag]!;
      e += echo[i]! * echo[i]!;
      n += near[i]! * near[i]!;
      residual += ((a + b) / 2) ** 2;
      kept += ((a - b) / 2) ** 2;
    }
  }
  if (n === 0) throw new Error(`no near-end frame above ${nearActiveDbfs} dBFS in ${from}–${to}`);
  return { nearChangeDb: dbOf(kept / n), echoRemovedDb: dbOf(e / Math.max(residual, 1e-9)) };
}

/** Level of `out` over that of `ref` on [from, to), dB (both same scale). */
export function levelChangeDb(ref: Samples, out: Samples, from: number, to: number, lag = 0): number {
  return dbOf(energy(out, from + lag, to + lag) / energy(ref, from, to));
}
