import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Resampler, designLowPass } from '../../../src-main/media/dsp/resampler.js';
import { db, goertzel, maxStep, rms, sine, zeroCrossingFrequency } from '../../support/audio-analysis.js';
import { resampleInFrames } from '../../support/resample-frames.js';

const RATE = 48000;
const SECOND = sine(1000, RATE, RATE);

for (const codecRate of [8000, 16000]) {
  test(`1 kHz tone keeps frequency and level through 48k → ${codecRate} → 48k (20 ms frames)`, () => {
    const down = new Resampler(RATE, codecRate);
    const up = new Resampler(codecRate, RATE);
    const mid = resampleInFrames(down, SECOND, 960);
    assert.equal(mid.length, codecRate);
    const back = resampleInFrames(up, mid, (codecRate * 20) / 1000);
    assert.equal(back.length, RATE);
    const skip = 4800; // 100 ms: well past both filters' delay
    const f = zeroCrossingFrequency(back, RATE, skip);
    assert.ok(Math.abs(f - 1000) < 0.5, `frequency ${f}`);
    const fMid = zeroCrossingFrequency(mid, codecRate, skip / (RATE / codecRate));
    assert.ok(Math.abs(fMid - 1000) < 0.5, `codec-rate frequency ${fMid}`);
    const gain = db(rms(back, skip, skip + 38400) / rms(SECOND, skip, skip + 38400)); // 800 ms = 800 cycles
    assert.ok(Math.abs(gain) <= 0.5, `level change ${gain.toFixed(3)} dB`);
    const midGain = db(rms(mid, 800, 800 + codecRate / 2) / rms(SECOND, skip, skip + RATE / 2));
    assert.ok(Math.abs(midGain) <= 0.5, `codec-rate level change ${midGain.toFixed(3)} dB`);
  });
}

for (const [freq, codecRate] of [[6000, 8000], [5000, 8000], [12000, 16000], [10000, 16000]] as const) {
  test(`${freq} Hz is removed going 48k → ${codecRate} (≥ 60 dB down, aliasing included)`, () => {
    const tone = sine(freq, RATE, RATE);
    const out = resampleInFrames(new Resampler(RATE, codecRate), tone, 960);
    const alias = codecRate - freq; // where the tone would fold to
    const skip = codecRate / 10;
    const left = db(rms(out, skip) / rms(tone));
    assert.ok(left <= -60, `${freq} Hz only ${(-left).toFixed(1)} dB down`);
    const aliasAmp = goertzel(out, codecRate, alias, skip, skip + codecRate / 2);
    assert.ok(db(aliasAmp / 10000) <= -60, `alias at ${alias} Hz: ${db(aliasAmp / 10000).toFixed(1)} dB`);
  });
}

test('interpolation 8k → 48k leaves no image of a 1 kHz tone (7 kHz, 9 kHz ≥ 60 dB down)', () => {
  const tone = sine(1000, 8000, 8000);
  const out = resampleInFrames(new Resampler(8000, RATE), tone, 160);
  for (const image of [7000, 9000, 15000, 17000]) {
    const a = goertzel(out, RATE, image, 4800, 4800 + 24000);
    assert.ok(db(a / 10000) <= -60, `image ${image} Hz at ${db(a / 10000).toFixed(1)} dB`);
  }
});

test('frame boundaries are seamless: framed output equals one-shot output, no clicks', () => {
  for (const [from, to, frame] of [[48000, 8000, 960], [48000, 16000, 480], [8000, 48000, 160], [16000, 48000, 320], [48000, 8000, 7], [8000, 48000, 13]] as const) {
    const x = sine(1000, from, from / 2);
    const whole = resampleInFrames(new Resampler(from, to), x, x.length);
    const framed = resampleInFrames(new Resampler(from, to), x, frame);
    assert.deepEqual(framed, whole, `${from}→${to} in frames of ${frame}`);
    // A 1 kHz tone of amplitude 10000 moves at most 2π·1000·10000/rate per sample (+ rounding).
    const bound = (2 * Math.PI * 1000 * 10000) / to + 2;
    const settled = Math.ceil(2 * new Resampler(from, to).delay); // past the onset transient
    const step = maxStep(framed, settled);
    assert.ok(step <= bound, `${from}→${to}: max step ${step} > ${bound.toFixed(0)}`);
  }
});

test('48k → 48k is a copy; the filter has unit DC gain and is linear phase', () => {
  const r = new Resampler(48000, 48000);
  const x = sine(440, 48000, 960);
  const y = new Int16Array(960);
  assert.equal(r.process(x, y), 960);
  assert.deepEqual(y, x);
  const h = designLowPass(6);
  assert.equal(h.length, 241);
  assert.equal(new Resampler(48000, 8000).delay, 20);
  assert.equal(new Resampler(8000, 48000).delay, 120);
  assert.ok(Math.abs(h.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  for (let i = 0; i < h.length; i++) assert.ok(Math.abs(h[i]! - h[h.length - 1 - i]!) < 1e-15);
});

test('DC and full-scale input: steady level, clamped without wrap-around', () => {
  const r = new Resampler(48000, 8000);
  const dc = new Int16Array(960).fill(32767);
  const out = new Int16Array(160);
  for (let i = 0; i < 5; i++) r.process(dc, out);
  assert.ok(out.every((v) => v >= 32760), 'DC passes at unit gain');
  const up = new Resampler(8000, 48000);
  const square = new Int16Array(160).map((_, i) => (i % 20 < 10 ? 32767 : -32768));
  const big = new Int16Array(960);
  up.process(square, big);
  up.process(square, big);
  // Gibbs overshoot is clamped to the int16 range, never wrapped to the opposite sign.
  assert.ok(maxStep(big) < 20000, `max step ${maxStep(big)}`);
});

test('rejects non-integer ratios and short outputs', () => {
  assert.throws(() => new Resampler(44100, 48000), /integer ratio/);
  const r = new Resampler(8000, 48000);
  assert.throws(() => r.process(new Int16Array(160), new Int16Array(959)), /needs 960/);
});

test('reset() clears history: output restarts as from a fresh resampler', () => {
  const x = sine(1000, 48000, 960);
  const a = new Resampler(48000, 16000);
  const o1 = new Int16Array(320);
  const o2 = new Int16Array(320);
  a.process(sine(3000, 48000, 961), new Int16Array(321));
  a.reset();
  a.process(x, o1);
  new Resampler(48000, 16000).process(x, o2);
  assert.deepEqual(o1, o2);
});
