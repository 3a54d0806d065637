import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ToneGenerator } from '../../../src-main/media/tones/tone-generator.js';
import {
  DTMF_HIGH_HZ, DTMF_LOW_HZ, TONE_PLANS, dtmfFrequencies, dtmfTonePlan, type TonePlan,
} from '../../../src-main/media/tones/tone-plans.js';
import { dominantFrequency, findGaps, goertzel, rms, rmsDbfs } from '../../support/audio-analysis.js';

/** Render `ms` of a plan in `frame`-sample buffers, as the engine would. */
function render(plan: TonePlan, rate: number, ms: number, frame = rate / 50): Int16Array {
  const gen = new ToneGenerator(plan, rate);
  const out = new Int16Array((rate * ms) / 1000);
  const buf = new Int16Array(frame);
  for (let i = 0; i < out.length; i += frame) {
    const n = Math.min(frame, out.length - i);
    gen.fill(buf, 0, n);
    out.set(buf.subarray(0, n), i);
  }
  return out;
}

/**
 * Gaps below -50 dBFS lasting ≥ 50 ms match `expected` (ms) within 2 ms: the 4 ms edge ramps and
 * the first zero crossing of a burst sit under the threshold for a moment.
 */
function assertGaps(s: Int16Array, rate: number, expected: Array<[number, number]>): void {
  const got = findGaps(s, rate, -50, 50).map((g) => [g.startMs, g.endMs] as const);
  assert.equal(got.length, expected.length, `gaps ${JSON.stringify(got)}`);
  got.forEach(([a, b], i) => {
    const [ea, eb] = expected[i]!;
    assert.ok(Math.abs(a - ea) <= 2 && Math.abs(b - eb) <= 2, `gap ${i}: [${a}, ${b}] vs [${ea}, ${eb}]`);
  });
}

const slice = (s: Int16Array, rate: number, fromMs: number, toMs: number): Int16Array =>
  s.subarray((fromMs * rate) / 1000, (toMs * rate) / 1000);

describe('ToneGenerator: call-progress cadences (E.180 Suppl. 2 / ETSI TR 101 041)', () => {
  it('US ringback: 440+480 Hz, 2 s on / 4 s off, repeating', () => {
    const rate = 8000;
    const s = render(TONE_PLANS.us.ringback, rate, 13_000);
    assertGaps(s, rate, [[2000, 6000], [8000, 12000]]);
    const burst = slice(s, rate, 6500, 7500);
    const amp = 32767 * 10 ** (-18 / 20);
    assert.ok(Math.abs(goertzel(burst, rate, 440) - amp) < 0.02 * amp);
    assert.ok(Math.abs(goertzel(burst, rate, 480) - amp) < 0.02 * amp);
    for (const f of [350, 400, 425, 620]) assert.ok(goertzel(burst, rate, f) < 0.01 * amp, `${f} Hz leaks`);
  });

  it('EU ringback at 48 kHz: 425 Hz, 1 s on / 4 s off, single component at -18 dBFS peak', () => {
    const rate = 48000;
    const s = render(TONE_PLANS.eu.ringback, rate, 11_000, 480);
    assertGaps(s, rate, [[1000, 5000], [6000, 10000]]);
    const burst = slice(s, rate, 5100, 5900);
    assert.ok(Math.abs(dominantFrequency(burst, rate) - 425) < 0.5);
    assert.ok(Math.abs(rmsDbfs(burst) - (-18 - 3.01)) < 0.05, `level ${rmsDbfs(burst)}`);
  });

  it('UK ringback: 400+450 Hz double burst 0.4/0.2/0.4/2.0 s', () => {
    const rate = 16000;
    const s = render(TONE_PLANS.uk.ringback, rate, 6000, 320);
    assertGaps(s, rate, [[400, 600], [1000, 3000], [3400, 3600], [4000, 6000]]);
    const burst = slice(s, rate, 3600, 4000);
    assert.ok(goertzel(burst, rate, 400) > 3000 && goertzel(burst, rate, 450) > 3000);
  });

  it('busy (US 480+620 0.5/0.5, EU 425 0.5/0.5) and call-waiting (EU 425 0.2/0.2/0.2/4.4)', () => {
    const rate = 8000;
    const us = render(TONE_PLANS.us.busy, rate, 2000);
    assertGaps(us, rate, [[500, 1000], [1500, 2000]]);
    assert.ok(goertzel(slice(us, rate, 1000, 1500), rate, 620) > 3500);
    const eu = render(TONE_PLANS.eu.busy, rate, 2000);
    assertGaps(eu, rate, [[500, 1000], [1500, 2000]]);
    assert.ok(Math.abs(dominantFrequency(slice(eu, rate, 0, 500), rate) - 425) < 1);
    const cw = render(TONE_PLANS.eu['call-waiting'], rate, 10_000);
    assertGaps(cw, rate, [[200, 400], [600, 5000], [5200, 5400], [5600, 10000]]);
  });

  it('is phase-continuous: odd buffer sizes give the same samples as one big buffer', () => {
    const rate = 8000;
    const whole = new Int16Array(rate * 3);
    new ToneGenerator(TONE_PLANS.us.ringback, rate).fill(whole);
    const pieces = new Int16Array(whole.length);
    const gen = new ToneGenerator(TONE_PLANS.us.ringback, rate);
    const sizes = [1, 37, 160, 7, 999, 2];
    for (let i = 0, k = 0; i < pieces.length; k++) i += gen.fill(pieces, i, Math.min(sizes[k % sizes.length]!, pieces.length - i));
    assert.deepEqual(pieces, whole);
    // No clicks: the largest step between samples stays within what the two sines can do.
    let maxStep = 0;
    for (let i = 1; i < whole.length; i++) maxStep = Math.max(maxStep, Math.abs(whole[i]! - whole[i - 1]!));
    const amp = 32767 * 10 ** (-18 / 20);
    assert.ok(maxStep <= amp * ((2 * Math.PI * (440 + 480)) / rate) + 2, `step ${maxStep}`);
  });

  it('mixInto adds the beep over call audio and saturates instead of wrapping', () => {
    const rate = 8000;
    const audio = new Int16Array(800).fill(30000);
    new ToneGenerator(TONE_PLANS.us['call-waiting'], rate, { levelDbfs: -6 }).mixInto(audio);
    assert.equal(Math.max(...audio), 32767);
    assert.ok(Math.min(...audio) > 30000 - 16500);
    const quiet = new Int16Array(800);
    new ToneGenerator(TONE_PLANS.us['call-waiting'], rate).mixInto(quiet);
    assert.ok(Math.abs(dominantFrequency(quiet, rate) - 440) < 1);
  });

  it('rejects frequencies above Nyquist and empty plans', () => {
    assert.throws(() => new ToneGenerator({ name: 'x', segments: [{ freqs: [5000], ms: 10 }], repeat: true }, 8000), RangeError);
    assert.throws(() => new ToneGenerator({ name: 'x', segments: [], repeat: true }, 8000), RangeError);
  });
});

describe('ToneGenerator: DTMF feedback (ITU-T Q.23)', () => {
  it('every key plays its row and column pair and nothing else', () => {
    const rate = 8000;
    const keys = '123A456B789C*0#D';
    for (const key of keys) {
      const pair = dtmfFrequencies(key)!;
      const s = render(dtmfTonePlan(key, 100), rate, 100);
      const body = slice(s, rate, 10, 90);
      for (const f of [...DTMF_LOW_HZ, ...DTMF_HIGH_HZ]) {
        const a = goertzel(body, rate, f);
        if (pair.includes(f)) assert.ok(a > 3500, `${key}: ${f} Hz at ${a}`);
        else assert.ok(a < 400, `${key}: ${f} Hz leaks ${a}`);
      }
    }
    assert.deepEqual(dtmfFrequencies('5'), [770, 1336]);
    assert.deepEqual(dtmfFrequencies('#'), [941, 1477]);
    assert.equal(dtmfFrequencies('E'), undefined);
    assert.throws(() => dtmfTonePlan('x'), RangeError);
  });

  it('is one-shot: sounds for its duration, then writes silence and reports done', () => {
    const rate = 16000;
    const gen = new ToneGenerator(dtmfTonePlan('7', 80, 40), rate);
    const out = new Int16Array(rate / 5).fill(1234);
    gen.fill(out);
    assert.equal(gen.done, true);
    assert.ok(rms(out.subarray(0, (rate * 80) / 1000)) > 3000);
    assert.equal(rms(out.subarray((rate * 81) / 1000)), 0);
    gen.reset();
    assert.equal(gen.done, false);
  });
});
