import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import wavefile from 'wavefile';
import { readPcm16Mono } from '../../../src-main/media/devices/wav-pcm16.js';
import { decodeWavMono } from '../../../src-main/media/devices/wav-source.js';

/** A WAV file built by wavefile (an independent writer), optionally with extra chunks. */
function wav(channels: number, rate: number, bits: string, samples: number[]): Uint8Array {
  const w = new wavefile.WaveFile();
  w.fromScratch(channels, rate, bits, samples);
  return w.toBuffer();
}

/** Inserts a chunk with an odd-sized body (padded) between "fmt " and "data". */
function withOddChunk(bytes: Uint8Array): Uint8Array {
  const dataAt = Buffer.from(bytes).indexOf('data');
  const extra = Buffer.concat([Buffer.from('junk'), Buffer.from([3, 0, 0, 0]), Buffer.from([1, 2, 3, 0])]);
  const out = Buffer.concat([bytes.subarray(0, dataAt), extra, bytes.subarray(dataAt)]);
  out.writeUInt32LE(out.length - 8, 4);
  return out;
}

const ramp = Array.from({ length: 960 }, (_, i) => ((i * 37) % 65536) - 32768);

describe('WAV read in place (mono 16-bit PCM)', () => {
  it('gives the same samples and rate as wavefile', () => {
    const bytes = wav(1, 16000, '16', ramp);
    const got = readPcm16Mono(bytes);
    assert.ok(got);
    assert.equal(got.rate, 16000);
    assert.deepEqual(Array.from(got.samples), ramp);
    assert.equal(got.samples.buffer, bytes.buffer, 'a view of the file, not a copy');
  });

  it('skips other chunks (odd sizes padded) and reads samples at an odd offset by copying', () => {
    const padded = withOddChunk(wav(1, 8000, '16', ramp));
    assert.deepEqual(Array.from(readPcm16Mono(padded)!.samples), ramp);
    const shifted = new Uint8Array(padded.length + 1).subarray(1);
    shifted.set(padded);
    const got = readPcm16Mono(shifted)!;
    assert.deepEqual(Array.from(got.samples), ramp);
    assert.notEqual(got.samples.buffer, shifted.buffer);
  });

  it('a data chunk longer than the file keeps the samples present', () => {
    const bytes = wav(1, 8000, '16', ramp).subarray(0, 44 + 100 * 2 + 1);
    assert.deepEqual(Array.from(readPcm16Mono(bytes)!.samples), ramp.slice(0, 100));
  });

  it('leaves stereo, 8-bit, µ-law, non-RIFF and truncated headers to the general decoder', () => {
    assert.equal(readPcm16Mono(wav(2, 8000, '16', [...ramp, ...ramp])), undefined);
    assert.equal(readPcm16Mono(wav(1, 8000, '8', ramp.map((v) => (v >> 8) + 128))), undefined);
    assert.equal(readPcm16Mono(wav(1, 8000, '8m', ramp.map((v) => v & 0xff))), undefined);
    assert.equal(readPcm16Mono(Buffer.from('not a wav file at all')), undefined);
    assert.equal(readPcm16Mono(wav(1, 8000, '16', ramp).subarray(0, 30)), undefined);
  });

  it('never throws on damaged files (seeded random bytes after a RIFF/WAVE header)', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    for (let n = 0; n < 2000; n++) {
      const bytes = Buffer.alloc(12 + (next() % 80));
      for (let i = 12; i < bytes.length; i++) bytes[i] = n % 2 ? next() : [0x66, 0x6d, 0x74, 0x20, 0x64, 0x61][next() % 6]!;
      bytes.write('RIFF', 0); bytes.write('WAVE', 8);
      const got = readPcm16Mono(bytes);
      if (got) assert.ok(got.samples.length * 2 <= bytes.length);
    }
  });

  it('decodeWavMono takes the fast path and resamples from the file rate', () => {
    const bytes = wav(1, 8000, '16', ramp);
    assert.equal(decodeWavMono(bytes, 8000).buffer, bytes.buffer);
    assert.equal(decodeWavMono(bytes, 16000).length, ramp.length * 2);
  });
});
