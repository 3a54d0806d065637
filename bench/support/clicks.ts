/**
 * Mouth-to-ear delay by clicks: an input WAV with one short click per second, and the delay of each
 * click in an output WAV that shares its timeline (one process, one clock), found as the peak of
 * the normalised cross-correlation between the click and the output.
 */
import { readWav, writeWav } from '../../tests/support/wav.js';

export const CLICK_RATE = 48000;
/** A click: 5 ms Hann-windowed 1 kHz burst (in band for 8 kHz codecs, sharp in time). */
const CLICK_SAMPLES = 240;
const CLICK_HZ = 1000;
const CLICK_PEAK = 16000;
/** First click, then one per second; the offset keeps clicks off 20 ms frame boundaries. */
const FIRST_CLICK_S = 0.5;
const CLICK_OFFSET_SAMPLES = 321;
/** Delays searched, ms. */
const MAX_DELAY_MS = 400;
/** Correlation below this means the click was not found (lost or concealed). */
const MIN_NCC = 0.8;

export function clickPositions(seconds: number): number[] {
  const out: number[] = [];
  for (let t = FIRST_CLICK_S; t + 1 <= seconds; t += 1) out.push(Math.round(t * CLICK_RATE) + CLICK_OFFSET_SAMPLES);
  return out;
}

export function writeClicksWav(file: string, seconds: number): string {
  const s = new Int16Array(seconds * CLICK_RATE);
  for (const at of clickPositions(seconds)) {
    for (let i = 0; i < CLICK_SAMPLES; i++) {
      const window = 0.5 * (1 - Math.cos((2 * Math.PI * i) / CLICK_SAMPLES));
      s[at + i] = Math.round(CLICK_PEAK * window * Math.sin((2 * Math.PI * CLICK_HZ * i) / CLICK_RATE));
    }
  }
  writeWav(file, s, CLICK_RATE);
  return file;
}

export interface ClickDelay {
  /** Click time in the input, s. */
  atS: number;
  /** Delay to the output, ms (NaN when not found). */
  delayMs: number;
  ncc: number;
}

/** The delay of every click of `input` in `output` (both 48 kHz mono). */
export function clickDelays(inputFile: string, outputFile: string): ClickDelay[] {
  const inp = readWav(inputFile);
  const out = readWav(outputFile);
  if (inp.rate !== CLICK_RATE || out.rate !== CLICK_RATE) throw new Error('clickDelays: expected 48 kHz WAVs');
  const x = inp.samples;
  const y = out.samples;
  const maxLag = (MAX_DELAY_MS * CLICK_RATE) / 1000;
  const result: ClickDelay[] = [];
  for (const at of clickPositions(x.length / CLICK_RATE)) {
    if (at + maxLag + CLICK_SAMPLES > y.length) break;
    let ex = 0;
    for (let i = 0; i < CLICK_SAMPLES; i++) ex += x[at + i]! ** 2;
    let best = 0;
    let bestLag = -1;
    for (let lag = 0; lag < maxLag; lag++) {
      let xy = 0;
      let ey = 0;
      for (let i = 0; i < CLICK_SAMPLES; i++) {
        const v = y[at + lag + i]!;
        xy += x[at + i]! * v;
        ey += v * v;
      }
      const ncc = ey > 0 ? xy / Math.sqrt(ex * ey) : 0;
      if (ncc > best) {
        best = ncc;
        bestLag = lag;
      }
    }
    result.push({ atS: at / CLICK_RATE, delayMs: best >= MIN_NCC ? (bestLag * 1000) / CLICK_RATE : NaN, ncc: best });
  }
  return result;
}
