import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  dominantFrequency, findGaps, goertzel, rms, rmsDbfs, sines, spectrum, toneSnrDb,
} from '../../support/audio-analysis.js';

/** Deterministic white noise in [-1, 1) (xorshift32). */
function noise(count: number, seed = 12345): Float64Array {
  const out = new Float64Array(count);
  let x = seed;
  for (let i = 0; i < count; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    out[i] = (x >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

describe('audio-analysis', () => {
  it('rms of a sine is A/√2; a full-scale Int16 sine reads -3.01 dBFS; silence is -Infinity', () => {
    const s = sines([1000], 8000, 8000, 1000);
    assert.ok(Math.abs(rms(s) - 1000 / Math.SQRT2) < 0.01);
    const full = Int16Array.from(sines([997], 48000, 48000, 32767));
    assert.ok(Math.abs(rmsDbfs(full) - -3.01) < 0.01, String(rmsDbfs(full)));
    assert.equal(rmsDbfs(new Int16Array(100)), -Infinity);
    assert.ok(Math.abs(rmsDbfs(sines([50], 1000, 1000, 0.1)) - (20 * Math.log10(0.1 / Math.SQRT2))) < 0.01);
    assert.equal(rms([]), 0);
  });

  it('dominantFrequency finds off-bin tones within 0.5 Hz at 8, 16 and 48 kHz', () => {
    for (const [rate, f] of [[8000, 425], [8000, 1633], [16000, 3141.5], [48000, 440], [48000, 11025.3]] as const) {
      const got = dominantFrequency(sines([f], rate, rate / 10, 0.5), rate);
      assert.ok(Math.abs(got - f) < 0.5, `${f} Hz at ${rate}: got ${got}`);
    }
  });

  it('dominantFrequency picks the stronger of two tones and survives -20 dB noise; NaN for silence', () => {
    const rate = 16000;
    const s = sines([697], rate, 3200, 0.5);
    const weak = sines([1209], rate, 3200, 0.2);
    const n = noise(3200);
    for (let i = 0; i < s.length; i++) s[i]! += weak[i]! + 0.05 * n[i]!;
    assert.ok(Math.abs(dominantFrequency(s, rate) - 697) < 1);
    assert.ok(Number.isNaN(dominantFrequency(new Float64Array(512), rate)));
  });

  it('goertzel reads the amplitude of each component and ~0 off-frequency', () => {
    const rate = 8000;
    const s = sines([697, 1209], rate, 800, 3000);
    assert.ok(Math.abs(goertzel(s, rate, 697) - 3000) < 30);
    assert.ok(Math.abs(goertzel(s, rate, 1209) - 3000) < 30);
    assert.ok(goertzel(s, rate, 941) < 60, `leak ${goertzel(s, rate, 941)}`);
    assert.ok(goertzel(s, rate, 1633) < 60);
    // A sub-range reads the same tone.
    assert.ok(Math.abs(goertzel(s, rate, 697, 400, 800) - 3000) < 60);
  });

  it('toneSnrDb measures added noise: a 0.01-rms noise on a 1-amplitude sine is ≈ 37 dB', () => {
    const rate = 8000;
    const s = sines([1000], rate, 8000, 1);
    const n = noise(8000, 99);
    const nr = rms(n);
    for (let i = 0; i < s.length; i++) s[i]! += (0.01 / nr) * n[i]!;
    const expected = 20 * Math.log10(1 / Math.SQRT2 / 0.01);
    const got = toneSnrDb(s, rate, 1000);
    assert.ok(Math.abs(got - expected) < 0.2, `snr ${got} vs ${expected}`);
    // DC offset is not noise; a clean tone is > 100 dB.
    const clean = sines([440], rate, 4000, 0.3);
    for (let i = 0; i < clean.length; i++) clean[i]! += 0.2;
    assert.ok(toneSnrDb(clean, rate, 440) > 100);
  });

  it('findGaps locates silent stretches to the sample, ignores zero crossings and short dips', () => {
    const rate = 8000;
    const s = new Float64Array(rate * 2);
    const tone = sines([425], rate, rate * 2, 0.3, Math.PI / 2); // peaks (not zero crossings) at the edges
    // Tone 0–500 ms, silence 500–800 ms, tone 800–1000 ms, 2 ms dip, tone to 1500, silence after.
    for (let i = 0; i < s.length; i++) {
      const ms = (i * 1000) / rate;
      const on = (ms < 500) || (ms >= 800 && ms < 1000) || (ms >= 1002 && ms < 1500);
      s[i] = on ? tone[i]! : 0.00001;
    }
    const gaps = findGaps(s, rate, -50, 20);
    assert.deepEqual(gaps.map((g) => [g.start, g.end]), [[4000, 6400], [12000, 16000]]);
    assert.deepEqual(gaps.map((g) => [g.startMs, g.endMs, g.durationMs]), [[500, 800, 300], [1500, 2000, 500]]);
    // Int16 input uses 32768 full scale by default.
    const i16 = Int16Array.from(s, (v) => Math.round(v * 32767));
    assert.equal(findGaps(i16, rate, -50, 20).length, 2);
    assert.equal(findGaps(sines([425], rate, 8000, 0.3), rate, -50, 5).length, 0);
  });

  it('spectrum zero-pads to a power of two ≥ 4× the input', () => {
    const { magnitudes, size } = spectrum(new Float64Array(160));
    assert.equal(size, 1024);
    assert.equal(magnitudes.length, 513);
  });
});
