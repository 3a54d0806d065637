/**
 * Quality and cost of the 48 ↔ 8 kHz converters (figures, not pass/fail): the polyphase Resampler
 * (241 taps) in JavaScript, and the same filter in float32 run by the WebAssembly SIMD kernel the
 * audio path uses. A sweep of tones through each direction measures
 * - passband gain (100 Hz – 3.2 kHz: ripple; 3.4 and 3.6 kHz: the edge),
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

function measure(make: (from: number, to: number) => RateConverter): Record<string, string> {
  const down = (f: number) => run(make(RATE, 8000), tone(f, RATE, RATE), 960);
  const pass: number[] = [];
  for (let f = 100; f <= 3200; f += 100) pass.push(db(amplitude(down(f), 8000, f, 800, 8000)));
  const edge = [3400, 3600].map((f) => db(amplitude(down(f), 8000, f, 800, 8000)).toFixed(2));
  let transition = -200;
  for (let f = 4000; f < 4800; f += 100) transition = Math.max(transition, db(strongest(down(f), 8000, 800, 8000)));
  let stop = -200;
  for (let f = 4800; f < 24000; f += 700) stop = Math.max(stop, db(strongest(down(f), 8000, 800, 8000)));
  let image = -200;
  const upPass: number[] = [];
  for (let f = 100; f <= 3200; f += 300) {
    const y = run(make(8000, RATE), tone(f, 8000, 8000), 160);
    upPass.push(db(amplitude(y, RATE, f, 4800, 48000)));
    image = Math.max(image, db(strongest(y, RATE, 4800, 48000, 4000)));
  }
  const cost = (from: number, to: number, frame: number) => {
    const r = make(from, to);
    const x = tone(1000, from, frame);
    const y = new Int16Array(frame * 6);
    for (let i = 0; i < 500; i++) r.process(x, y);
    const t = performance.now();
    for (let i = 0; i < 2000; i++) r.process(x, y);
    return ((performance.now() - t) * 1000) / 2000;
  };
  return {
    'down: passband 0.1–3.2 kHz, dB': `${Math.min(...pass).toFixed(3)} … ${Math.max(...pass).toFixed(3)}`,
    'down: 3.4 / 3.6 kHz, dB': edge.join(' / '),
    'down: worst output for 4.0–4.8 kHz in, dB': transition.toFixed(1),
    'down: worst output for 4.8–23.9 kHz in, dB': stop.toFixed(1),
    'up: passband 0.1–3.1 kHz, dB': `${Math.min(...upPass).toFixed(3)} … ${Math.max(...upPass).toFixed(3)}`,
    'up: worst image above 4 kHz of a 0.1–3.1 kHz tone, dB': image.toFixed(1),
    'delay each way, ms': ((1000 * make(RATE, 8000).delay) / 8000 + (1000 * make(8000, RATE).delay) / RATE).toFixed(2) + ' (both)',
    'µs per 20 ms frame, down / up': `${cost(RATE, 8000, 960).toFixed(1)} / ${cost(8000, RATE, 160).toFixed(1)}`,
  };
}

export function run_(): void {
  console.log('48 ↔ 8 kHz converters (tones of 1 s at −10 dBFS; levels relative to the tone):');
  console.table({
    'polyphase, 241 taps, JavaScript (before)': measure((from, to) => new Resampler(from, to)),
    'same filter, WebAssembly SIMD (audio path)': measure((from, to) => createRateConverter(from, to)),
  });
}

export { run_ as run };

if (import.meta.url === `file://${process.argv[1]}`) run_();
