/**
 * Whole-signal resampling, done once when a file is opened (not on the audio path): integer ratios
 * through the polyphase Resampler, any other ratio (44.1k → 48k) by band-limited interpolation with a
 * tabulated Kaiser-windowed sinc (Smith, "Digital Audio Resampling", §3). The filter delay is
 * removed, and the ends are padded with the signal's other end when it will be looped (`periodic`,
 * so the loop point stays seamless), else with zeros.
 */
import { KAISER_BETA, Resampler, TAPS_PER_PHASE, besselI0 } from './resampler.js';

/** Zero crossings of the sinc on each side, and table entries per crossing. */
const HALF_WIDTH = 32;
const TABLE_STEPS = 512;
/** Cut-off as a fraction of the lower Nyquist frequency. */
const CUTOFF = 0.9;

function extend(x: Int16Array, pad: number, periodic: boolean): Int16Array {
  const ext = new Int16Array(x.length + 2 * pad);
  if (periodic) {
    ext.set(x.subarray(x.length - pad), 0);
    ext.set(x.subarray(0, pad), pad + x.length);
  }
  ext.set(x, pad);
  return ext;
}

function viaPolyphase(x: Int16Array, from: number, to: number, periodic: boolean): Int16Array {
  const r = new Resampler(from, to, 0);
  const pad = Math.min(x.length, TAPS_PER_PHASE * r.factor);
  const ext = extend(x, pad, periodic);
  const out = new Int16Array(r.outputLength(ext.length));
  r.process(ext, out);
  const start = Math.round((pad * to) / from + r.delay);
  return out.slice(start, start + Math.floor((x.length * to) / from));
}

let table: Float64Array | undefined;
/** Windowed sinc sampled at 1/TABLE_STEPS of a zero crossing, from 0 to HALF_WIDTH. */
function sincTable(): Float64Array {
  if (table) return table;
  const n = HALF_WIDTH * TABLE_STEPS + 2;
  table = new Float64Array(n);
  const i0b = besselI0(KAISER_BETA);
  for (let i = 0; i < n; i++) {
    const t = i / TABLE_STEPS;
    const r = Math.min(1, t / HALF_WIDTH);
    const w = besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / i0b;
    table[i] = (t === 0 ? 1 : Math.sin(Math.PI * t) / (Math.PI * t)) * w;
  }
  return table;
}

function viaSinc(x: Int16Array, from: number, to: number, periodic: boolean): Int16Array {
  const tab = sincTable();
  const scale = Math.min(1, to / from) * CUTOFF; // sinc stretch when decimating
  const reach = Math.ceil(HALF_WIDTH / scale);
  const pad = Math.min(x.length, reach + 1);
  const ext = extend(x, pad, periodic);
  const out = new Int16Array(Math.floor((x.length * to) / from));
  for (let i = 0; i < out.length; i++) {
    const t = pad + (i * from) / to; // position in ext
    const c = Math.floor(t);
    let acc = 0;
    for (let k = c - reach + 1; k <= c + reach; k++) {
      if (k < 0 || k >= ext.length) continue;
      const u = Math.abs(t - k) * scale * TABLE_STEPS;
      const j = Math.floor(u);
      if (j >= tab.length - 1) continue;
      const h = tab[j]! + (u - j) * (tab[j + 1]! - tab[j]!);
      acc += h * ext[k]!;
    }
    const v = Math.round(acc * scale);
    out[i] = v < -32768 ? -32768 : v > 32767 ? 32767 : v;
  }
  return out;
}

export function resampleOffline(x: Int16Array, from: number, to: number, periodic = false): Int16Array {
  if (from === to || x.length === 0) return x;
  const hi = Math.max(from, to);
  const lo = Math.min(from, to);
  return Number.isInteger(hi / lo) ? viaPolyphase(x, from, to, periodic) : viaSinc(x, from, to, periodic);
}
