/**
 * Quality and cost of the 48 ↔ 8 and 48 ↔ 16 kHz converters (figures, not pass/fail): the
 * polyphase Resampler (Kaiser prototype) in JavaScript, and the same filter in float32 run by the WebAssembly SIMD kernel the
 * audio path uses. A sweep of tones through each direction measures
 * - passband gain (100 Hz – 3.2 kHz: ripple; 3.4 and 3.6 kHz: the edge; at 16 kHz, twice these),
 * - down: what is left of tones the 8 kHz side cannot carry, as the strongest component in the
 *   output (the tone itself folded, i.e. aliasing), for 4.0–4.8 kHz (the half-band's transition)
 *   and 4.8–23.9 kHz;
 * - up: the strongest image above 4 kHz of tones from 100 Hz to 3.1 kHz, relative to the tone;
 * and the wall-clock cost of one 20 ms frame each way. Run: `node --import tsx bench/resampler-quality.ts`.
 */
import { Resampler } from '../src-main/media/dsp/resampler.js';
import { createRateConverter, type RateConverter } from '../src-main/media/dsp/rate-converter.js';

const RATE = 48000;

function tone(freq: number, rate: number, n: number): Int16Array {
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(10000 * Math.sin((2 * Math.PI * freq * i) / rate));
  return out;
}

function run(r: RateConverter, x: Int16Array, frame: number): Int16Array {
  const out = new Int16Array(Math.ceil((x.length * r.toRate) / r.fromRate) + 8);
  const tmp = new Int16Array(Math.ceil((frame * r.toRate) / r.fromRate) + 1);
  let o = 0;
  for (let i = 0; i < x.length; i += frame) {
    const n = r.process(x.subarray(i, i + frame), tmp);
    out.set(tmp.subarray(0, n), o);
    o += n;
  }
  return out.subarray(0, o);
}

/** Amplitude of `freq` in x[from, to) (Goertzel). */
function amplitude(x: Int16Array, rate: number, freq: number, from: number, to: number): number {
  const w = (2 * Math.PI * freq) / rate;
  const c = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (let i = from; i < to; i++) {
    const s = x[i]! + c * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  const n = to - from;
  return (2 * Math.sqrt(Math.max(0, s1 * s1 + s2 * s2 - c * s1 * s2))) / n;
}

const db = (a: number) => 20 * Math.log10(Math.max(a, 1e-9) / 10000);

/** The strongest sinusoid in x[from, to) on a 50 Hz grid (all that a 1 s tone can produce). */
function strongest(x: Int16Array, rate: number, from: number, to: number, above = 0): number {
  let best = 0;
  for (let f = 50; f < rate / 2; f += 50) if (f > above) best = Math.max(best, amplitude(x, rate, f, from, to));
  return best;
}

/**
 * One narrow rate's figures: the band edges scale with the rate (8 kHz: passband 0.1–3.2 kHz,
 * edge 3.4/3.6, transition 4.0–4.8, stop band from 4.8 kHz; 16 kHz: twice those).
 */
function measure(make: (from: number, to: number) => RateConverter, narrow: number): Record<string, string> {
  const k = narrow / 8000;
  const frame = narrow / 50;
  const down = (f: number) => run(make(RATE, narrow), tone(f, RATE, RATE), 960);
  const pass: number[] = [];
  for (let f = 100; f <= 3200 * k; f += 100 * k) pass.push(db(amplitude(down(f), narrow, f, 800 * k, narrow)));
  const edge = [3400 * k, 3600 * k].map((f) => db(amplitude(down(f), narrow, f, 800 * k, narrow)).toFixed(2));
  let transition = -200;
  for (let f = 4000 * k; f < 4800 * k; f += 100 * k) transition = Math.max(transition, db(strongest(down(f), narrow, 800 * k, narrow)));
  let stop = -200;
  for (let f = 4800 * k; f < 24000; f += 700) stop = Math.max(stop, db(strongest(down(f), narrow, 800 * k, narrow)));
  let image = -200;
  const upPass: number[] = [];
  for (let f = 100; f <= 3200 * k; f += 300 * k) {
    const y = run(make(narrow, RATE), tone(f, narrow, narrow), frame);
    upPass.push(db(amplitude(y, RATE, f, 4800, 48000)));
    image = Math.max(image, db(strongest(y, RATE, 4800, 48000, 4000 * k)));
  }
  const cost = (from: number, to: number, n: number) => {
    const r = make(from, to);
    const x = tone(1000, from, n);
    const y = new Int16Array(n * 6);
    for (let i = 0; i < 500; i++) r.process(x, y);
    const t = performance.now();
    for (let i = 0; i < 2000; i++) r.process(x, y);
    return ((performance.now() - t) * 1000) / 2000;
  };
  const khz = (f: number) => (f / 1000).toFixed(1);
  return {
    [`down: passband 0.1–${khz(3200 * k)} kHz, dB`]: `${Math.min(...pass).toFixed(3)} … ${Math.max(...pass).toFixed(3)}`,
    [`down: ${khz(3400 * k)} / ${khz(3600 * k)} kHz, dB`]: edge.join(' / '),
    [`down: worst output for ${khz(4000 * k)}–${khz(4800 * k)} kHz in, dB`]: transition.toFixed(1),
    [`down: worst output for ${khz(4800 * k)}–23.9 kHz in, dB`]: stop.toFixed(1),
    [`up: passband 0.1–${khz(3100 * k)} kHz, dB`]: `${Math.min(...upPass).toFixed(3)} … ${Math.max(...upPass).toFixed(3)}`,
    [`up: worst image above ${khz(4000 * k)} kHz of an in-band tone, dB`]: image.toFixed(1),
    'delay each way, ms': ((1000 * make(RATE, narrow).delay) / narrow + (1000 * make(narrow, RATE).delay) / RATE).toFixed(2) + ' (both)',
    'µs per 20 ms frame, down / up': `${cost(RATE, narrow, 960).toFixed(1)} / ${cost(narrow, RATE, frame).toFixed(1)}`,
  };
}

export function run_(): void {
  for (const narrow of [8000, 16000]) {
    console.log(`48 ↔ ${narrow / 1000} kHz converters (tones of 1 s at −10 dBFS; levels relative to the tone):`);
    console.table({
      'polyphase, JavaScript (files, no SIMD)': measure((from, to) => new Resampler(from, to), narrow),
      'same filter, WebAssembly SIMD (audio path)': measure((from, to) => createRateConverter(from, to), narrow),
    });
  }
}

export { run_ as run };

if (import.meta.url === `file://${process.argv[1]}`) run_();
