import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resampleOffline } from '../../../src-main/media/dsp/offline-resample.js';
import { decodeWavMono } from '../../../src-main/media/devices/wav-source.js';
import wavefile from 'wavefile';
import { wavBytes } from '../../support/wav.js';
import { db, rms, sine } from '../../support/audio-analysis.js';

/** SNR (dB) of `got` against the ideal tone, over the middle half (away from the ends). */
function snrAgainst(got: Int16Array, ideal: Int16Array): number {
  const a = got.length >> 2;
  const b = a * 3;
  const err = new Float64Array(b - a);
  for (let i = a; i < b; i++) err[i - a] = got[i]! - ideal[i]!;
  return db(rms(ideal, a, b) / rms(err));
}

for (const [from, to] of [[44100, 48000], [48000, 44100], [8000, 48000], [48000, 16000], [22050, 48000]] as const) {
  test(`file conversion ${from} → ${to}: a 1 kHz tone comes out in time and in level (SNR ≥ 60 dB vs the ideal tone)`, () => {
    const got = resampleOffline(sine(1000, from, from / 2), from, to);
    assert.equal(got.length, to / 2);
    const snr = snrAgainst(got, sine(1000, to, to / 2));
    assert.ok(snr >= 60, `SNR ${snr.toFixed(1)} dB (a delay or level error would show here)`);
  });
}

test('file conversion 48k → 44.1k removes a 23 kHz tone (≥ 60 dB) instead of folding it to 21.1 kHz', () => {
  const x = sine(23000, 48000, 24000);
  const got = resampleOffline(x, 48000, 44100);
  const left = db(rms(got, 1000, got.length - 1000) / rms(x));
  assert.ok(left <= -60, `only ${(-left).toFixed(1)} dB down`);
});

test('WAV decode: µ-law and 8-bit files to mono 48 kHz s16', () => {
  for (const convert of ['mulaw', '8bit'] as const) {
    const w = new wavefile.WaveFile();
    w.fromScratch(1, 16000, '16', sine(1000, 16000, 16000, 8000));
    if (convert === 'mulaw') w.toMuLaw();
    else w.toBitDepth('8');
    const got = decodeWavMono(w.toBuffer(), 48000, false);
    assert.equal(got.length, 48000);
    const snr = snrAgainst(got, sine(1000, 48000, 48000, 8000));
    assert.ok(snr >= 30, `${convert}: SNR ${snr.toFixed(1)} dB`); // both are ~8-bit codings
  }
});

test('WAV decode: stereo channels are averaged', () => {
  const tone = sine(1000, 8000, 8000, 8000);
  const stereo = new Int16Array(16000);
  for (let i = 0; i < 8000; i++) { stereo[2 * i] = tone[i]!; stereo[2 * i + 1] = 0; } // right channel silent
  const got = decodeWavMono(wavBytes(stereo, 8000, 2), 48000, false);
  assert.equal(got.length, 48000);
  assert.ok(Math.abs(db(rms(got, 12000, 36000) / (4000 / Math.SQRT2))) < 0.1, 'average of the two channels');
  assert.ok(snrAgainst(got, sine(1000, 48000, 48000, 4000)) >= 50);
});
