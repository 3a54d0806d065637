import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { G711Concealer } from '../../../src-main/media/codecs/plc-g711.js';
import { PCMU } from '../../../src-main/media/codecs/g711.js';
import { G722 } from '../../../src-main/media/codecs/g722.js';
import type { CodecDescriptor } from '../../../src-main/media/codecs/codec.js';
import { maxStep, rms, sine } from '../../support/audio-analysis.js';
import { peakFrequency, snrDb } from './signal.js';

/** Runs `pcm` through codec in 20 ms frames, concealing the frames listed in `lost`. */
function playWithLoss(codec: CodecDescriptor, pcm: Int16Array, lost: Set<number>): Int16Array {
  const n = (codec.sampleRate * 20) / 1000;
  const enc = codec.createEncoder();
  const dec = codec.createDecoder();
  const out = new Int16Array(pcm.length);
  const payload = new Uint8Array(n);
  for (let f = 0; f * n < pcm.length; f++) {
    const bytes = enc.encode(pcm.subarray(f * n, (f + 1) * n), payload);
    const dst = out.subarray(f * n, (f + 1) * n);
    if (lost.has(f)) assert.equal(dec.conceal(dst, n), n);
    else dec.decode(payload.subarray(0, bytes), dst);
  }
  return out;
}

const AMP = 12000;

for (const codec of [PCMU, G722]) {
  const rate = codec.sampleRate;
  const frame = (rate * 20) / 1000;
  describe(`G.711 Appendix I concealment via ${codec.name} (${rate} Hz)`, () => {
    it('a 200 Hz tone keeps its frequency through a 40 ms gap, without clicks at either join', () => {
      const pcm = sine(200, rate, rate / 2, AMP);
      const reference = playWithLoss(codec, pcm, new Set());
      const out = playWithLoss(codec, pcm, new Set([10, 11]));
      const gapStart = 10 * frame;
      const gapEnd = 12 * frame;
      const f = peakFrequency(out, rate, gapStart, gapEnd);
      assert.ok(Math.abs(f - 200) <= 5, `peak ${f} Hz`);
      // The first 10 ms are pure waveform substitution: they continue the tone almost exactly.
      const snr = snrDb(reference, out, gapStart, gapStart + frame / 2);
      assert.ok(snr > 20, `substitution SNR ${snr.toFixed(1)} dB`);
      // No step at the joins larger than the tone's own largest sample-to-sample step (+10%).
      const natural = maxStep(reference, frame, gapStart);
      const win = rate / 100;
      assert.ok(maxStep(out, gapStart - win, gapStart + win) <= natural * 1.1, 'start join');
      assert.ok(maxStep(out, gapEnd - win, gapEnd + win) <= natural * 1.1, 'end join');
    });

    it('a 150 Hz tone (pitch not a whole number of samples) joins without clicks', () => {
      const pcm = sine(150, rate, rate / 2, AMP);
      const reference = playWithLoss(codec, pcm, new Set());
      const out = playWithLoss(codec, pcm, new Set([7]));
      const natural = maxStep(reference, frame, 7 * frame);
      const win = rate / 100;
      assert.ok(maxStep(out, 7 * frame - win, 7 * frame + win) <= natural * 1.1, 'start join');
      assert.ok(maxStep(out, 8 * frame - win, 8 * frame + win) <= natural * 1.1, 'end join');
      assert.ok(Math.abs(peakFrequency(out, rate, 7 * frame, 8 * frame) - 150) <= 8);
    });

    it('long losses fade: 20% per 10 ms after the first 10 ms, silence from 60 ms', () => {
      const pcm = sine(200, rate, rate, AMP);
      const out = playWithLoss(codec, pcm, new Set([10, 11, 12, 13, 14]));
      const ten = rate / 100;
      const start = 10 * frame;
      const levels = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => rms(out, start + k * ten, start + (k + 1) * ten));
      const full = rms(pcm, 0, frame);
      assert.ok(Math.abs(levels[0]! / full - 1) < 0.1, `first 10 ms at ${(levels[0]! / full).toFixed(2)} of full level`);
      for (let k = 1; k < 6; k++) {
        assert.ok(levels[k]! < levels[k - 1]!, `10 ms block ${k} quieter than ${k - 1}`);
        const expected = 1 - 0.2 * (k - 0.5); // mid-block gain of the linear ramp
        assert.ok(Math.abs(levels[k]! / full - expected) < 0.08, `block ${k}: ${(levels[k]! / full).toFixed(2)} vs ${expected}`);
      }
      for (let k = 6; k < 10; k++) assert.equal(levels[k], 0, `block ${k} silent`);
    });
  });
}

describe('G711Concealer', () => {
  it('conceals exactly the requested number of samples, any count, and reports its state', () => {
    const plc = new G711Concealer(8000);
    const tone = sine(200, 8000, 800, AMP);
    plc.receive(tone, tone.length);
    assert.equal(plc.state, 'receiving');
    const out = new Int16Array(37).fill(12345);
    assert.equal(plc.conceal(out, 37), 37);
    assert.equal(plc.state, 'concealing');
    assert.ok(out.every((v) => v !== 12345));
    const more = new Int16Array(100);
    plc.conceal(more, 100);
    plc.receive(tone.subarray(0, 160), 160);
    assert.equal(plc.state, 'receiving');
    assert.deepEqual(plc.toJSON(), { gaps: 1, concealedSamples: 137, lastPitch: 40 });
  });

  it('with no history it conceals silence', () => {
    const plc = new G711Concealer(16000);
    const out = new Int16Array(320).fill(1);
    plc.conceal(out, 320);
    assert.ok(out.every((v) => v === 0));
  });
});
