/**
 * The interop tone check (tests/interop/support/tone-check.ts): its window starts at the far end's
 * tone, not at the caller's local ringback before it; gaps, wrong tones and silence still fail.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sine, sines } from '../../support/audio-analysis.js';
import { assertTone } from '../../interop/support/tone-check.js';

const rate = 48000;
const amplitude = 32768 * Math.SQRT2 * 10 ** (-9 / 20); // -9 dBFS RMS
const ms = (n: number) => Math.round((rate * n) / 1000);

function recording(...parts: Int16Array[]): { rate: number; samples: Int16Array; channels: number } {
  const samples = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { samples.set(p, o); o += p.length; }
  return { rate, samples, channels: 1 };
}

const ringback = (n: number) => Int16Array.from(sines([440, 480], rate, ms(n), amplitude / 4), (v) => Math.round(v));
const tone = (freq: number, n: number) => sine(freq, rate, ms(n), amplitude);
const silence = (n: number) => new Int16Array(ms(n));

describe('tone check of the interop recordings', () => {
  it('a short local ringback, then silence until ICE through TURN connects, then the far end: the window starts at the far end', () => {
    const figures = assertTone(recording(ringback(40), silence(700), tone(700, 3500)), 700, 'heard');
    assert.ok(Math.abs(figures.frequencyHz - 700) < 1);
  });

  it('a gap in the far end\'s audio still fails', () => {
    assert.throws(() => assertTone(recording(ringback(40), silence(700), tone(700, 1500), silence(200), tone(700, 2000)), 700, 'heard'), /gaps/);
  });

  it('the wrong tone, or only ringback, still fails', () => {
    assert.throws(() => assertTone(recording(silence(100), tone(1000, 3500)), 700, 'heard'), /dominant/);
    assert.throws(() => assertTone(recording(ringback(4000)), 700, 'heard'));
    assert.throws(() => assertTone(recording(silence(1000)), 700, 'heard'), /silent/);
  });
});
