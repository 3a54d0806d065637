import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { frameSamples } from '../../../src-main/media/codecs/codec.js';
import { G722, G722Encoder, G722Synthesis } from '../../../src-main/media/codecs/g722.js';
import { rms, sine } from '../../support/audio-analysis.js';
import { ffmpeg, join, noise, peakFrequency, readFileSync, speech, sweep, toInt16, withTmp, writeFileSync } from './signal.js';

/** ffmpeg's G.722 encoder (libavcodec adpcm_g722, bit-exact to the ITU-T test vectors). */
function ffmpegEncode(pcm: Int16Array): Uint8Array {
  return withTmp((dir) => {
    const raw = join(dir, 'in.raw');
    const g722 = join(dir, 'out.g722');
    writeFileSync(raw, new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength));
    ffmpeg(['-f', 's16le', '-ar', '16000', '-ac', '1', '-i', raw, '-acodec', 'g722', '-f', 'g722', g722]);
    return new Uint8Array(readFileSync(g722));
  });
}

function ffmpegDecode(bits: Uint8Array): Int16Array {
  return withTmp((dir) => {
    const g722 = join(dir, 'in.g722');
    writeFileSync(g722, bits);
    return toInt16(ffmpeg(['-f', 'g722', '-i', g722, '-f', 's16le', '-']));
  });
}

function encodeFrames(pcm: Int16Array): Uint8Array {
  const enc = G722.createEncoder();
  const n = frameSamples(G722, 20);
  const out = new Uint8Array(pcm.length / 2);
  for (let at = 0; at < pcm.length; at += n) assert.equal(enc.encode(pcm.subarray(at, at + n), out.subarray(at / 2)), n / 2);
  return out;
}

function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** Whole 20 ms frames of 16 kHz audio. */
const trim = (x: Int16Array): Int16Array => x.subarray(0, x.length - (x.length % 320));

const signals: Array<[string, () => Int16Array]> = [
  ['sine sweep 50 Hz → 7.9 kHz', () => sweep(50, 7900, 16000, 3 * 16000)],
  ['white noise', () => noise(2 * 16000, 10000)],
  ['full-scale noise (exercises the limiters)', () => noise(16000, 32767, 7)],
  ['speech (espeak-ng)', () => trim(speech(16000))],
];

describe('G.722 (ITU-T G.722 64 kbit/s) bit-exactness against ffmpeg', () => {
  for (const [name, make] of signals) {
    it(`encoder output equals ffmpeg's octet for octet: ${name}`, () => {
      const pcm = make();
      const ours = encodeFrames(pcm);
      const theirs = ffmpegEncode(pcm);
      assert.ok(theirs.length >= ours.length);
      assert.equal(firstDifference(ours, theirs.subarray(0, ours.length)), -1);
    });

    it(`decoder output equals ffmpeg's sample for sample: ${name}`, () => {
      const bits = encodeFrames(make());
      const dec = G722.createDecoder();
      const ours = new Int16Array(bits.length * 2);
      for (let at = 0; at < bits.length; at += 160) assert.equal(dec.decode(bits.subarray(at, at + 160), ours.subarray(at * 2)), 320);
      const theirs = ffmpegDecode(bits);
      assert.equal(theirs.length, ours.length);
      assert.equal(firstDifference(ours, theirs), -1);
    });
  }
});

describe('G.722 signal', () => {
  for (const freq of [1000, 6000]) {
    it(`a ${freq} Hz tone survives encode/decode at its frequency and level`, () => {
      const pcm = sine(freq, 16000, 16000, 10000);
      const dec = new G722Synthesis();
      const bits = new Uint8Array(8000);
      new G722Encoder().encode(pcm, bits);
      const out = new Int16Array(16000);
      assert.equal(dec.decode(bits, out), 16000);
      assert.ok(Math.abs(peakFrequency(out, 16000, 4000, 12000) - freq) < 4);
      const gainDb = 20 * Math.log10(rms(out, 4000, 12000) / rms(pcm, 4000, 12000));
      assert.ok(Math.abs(gainDb) < 1, `level ${gainDb.toFixed(2)} dB`);
    });
  }

  it('descriptor: RFC 3551 pt 9, RTP clock 8000 (§4.5.2), 16 kHz audio, 320 samples ↔ 160 octets per 20 ms', () => {
    assert.equal(G722.staticPayloadType, 9);
    assert.equal(G722.rtpClockRate, 8000);
    assert.equal(G722.sampleRate, 16000);
    assert.equal(frameSamples(G722, 20), 320);
    const out = new Uint8Array(200);
    assert.equal(G722.createEncoder().encode(new Int16Array(320), out), 160);
  });

  it('reset() returns the encoder to its initial state', () => {
    const pcm = noise(640, 9000, 3);
    const enc = new G722Encoder();
    const a = new Uint8Array(320);
    const b = new Uint8Array(320);
    enc.encode(pcm, a);
    enc.reset();
    enc.encode(pcm, b);
    assert.deepEqual(b, a);
  });
});
