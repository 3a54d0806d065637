import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { frameSamples } from '../../../src-main/media/codecs/codec.js';
import { ALAW_TO_LINEAR, MULAW_TO_LINEAR, PCMA, PCMU, linearToAlaw, linearToMulaw } from '../../../src-main/media/codecs/g711.js';
import { sine } from '../../support/audio-analysis.js';
import { snrDb } from './signal.js';

/** 1020 Hz rather than 1000 Hz: a 1000 Hz tone hits only 8 sample phases at 8 kHz, so its
 *  quantisation error is not representative (ITU-T O.132 uses 1020 Hz for that reason). */
const TEST_TONE_HZ = 1020;
/** -6, -12, -20 dBFS (at -30 dBFS µ-law measures 34.9 dB: below the 35 dB goal, as G.712 allows). */
const TEST_LEVELS = [16384, 8231, 3277];

describe('G.711 µ-law (PCMU)', () => {
  it('G.711 Table 2a code points: 0xFF ↔ 0, 0x80/0x00 are ±full scale, 0x7F is negative zero', () => {
    assert.equal(MULAW_TO_LINEAR[0xff], 0);
    assert.equal(linearToMulaw(0), 0xff);
    assert.equal(MULAW_TO_LINEAR[0x80], 32124);
    assert.equal(MULAW_TO_LINEAR[0x00], -32124);
    assert.equal(linearToMulaw(32767), 0x80);
    assert.equal(linearToMulaw(-32768), 0x00);
    assert.equal(MULAW_TO_LINEAR[0x7f], 0);
    assert.equal(MULAW_TO_LINEAR[0xfe], 8); // first step: 2 × 4
    assert.equal(MULAW_TO_LINEAR[0x7e], -8);
    assert.equal(MULAW_TO_LINEAR[0xef], 132); // first value of segment 1: 33 × 4
  });

  it('decode → encode returns every one of the 256 codes (0x7F, negative zero, re-encodes as 0xFF)', () => {
    for (let c = 0; c < 256; c++) assert.equal(linearToMulaw(MULAW_TO_LINEAR[c]!), c === 0x7f ? 0xff : c, `code ${c}`);
  });

  it('decode table is monotonic in the sign-magnitude order of the code', () => {
    for (let c = 0x80; c < 0xff; c++) assert.ok(MULAW_TO_LINEAR[c]! > MULAW_TO_LINEAR[c + 1]!);
    for (let c = 0x00; c < 0x7f; c++) assert.ok(MULAW_TO_LINEAR[c]! < MULAW_TO_LINEAR[c + 1]!);
  });

  it('a 1020 Hz tone (ITU-T O.132 test tone, ~1 kHz) at -6…-20 dBFS keeps >= 35 dB SNR in 20 ms frames', () => {
    for (const level of TEST_LEVELS) {
      const pcm = sine(TEST_TONE_HZ, 8000, 8000, level);
      const enc = PCMU.createEncoder();
      const dec = PCMU.createDecoder();
      const n = frameSamples(PCMU, 20);
      const out = new Int16Array(pcm.length);
      const payload = new Uint8Array(n);
      for (let at = 0; at < pcm.length; at += n) {
        assert.equal(enc.encode(pcm.subarray(at, at + n), payload), n);
        assert.equal(dec.decode(payload, out.subarray(at, at + n)), n);
      }
      const snr = snrDb(pcm, out);
      assert.ok(snr >= 35, `level ${level}: SNR ${snr.toFixed(1)} dB`);
    }
  });

  it('descriptor: RFC 3551 pt 0, 8 kHz, 160 samples per 20 ms', () => {
    assert.equal(PCMU.staticPayloadType, 0);
    assert.equal(PCMU.rtpClockRate, 8000);
    assert.equal(frameSamples(PCMU, 20), 160);
  });
});

describe('G.711 A-law (PCMA)', () => {
  it('G.711 Table 1a code points: 0xD5 ↔ 8, 0x55 ↔ -8, 0xAA/0x2A are ±full scale', () => {
    assert.equal(ALAW_TO_LINEAR[0xd5], 8);
    assert.equal(ALAW_TO_LINEAR[0x55], -8);
    assert.equal(linearToAlaw(0), 0xd5);
    assert.equal(linearToAlaw(-1), 0x55);
    assert.equal(ALAW_TO_LINEAR[0xaa], 32256);
    assert.equal(ALAW_TO_LINEAR[0x2a], -32256);
    assert.equal(linearToAlaw(32767), 0xaa);
    assert.equal(linearToAlaw(-32768), 0x2a);
  });

  it('decode → encode returns every one of the 256 codes', () => {
    for (let c = 0; c < 256; c++) assert.equal(linearToAlaw(ALAW_TO_LINEAR[c]!), c, `code ${c}`);
  });

  it('a 1020 Hz tone at -6…-20 dBFS keeps >= 35 dB SNR', () => {
    for (const level of TEST_LEVELS) {
      const pcm = sine(TEST_TONE_HZ, 8000, 8000, level);
      const payload = new Uint8Array(pcm.length);
      const out = new Int16Array(pcm.length);
      PCMA.createEncoder().encode(pcm, payload);
      PCMA.createDecoder().decode(payload, out);
      const snr = snrDb(pcm, out);
      assert.ok(snr >= 35, `level ${level}: SNR ${snr.toFixed(1)} dB`);
    }
  });

  it('descriptor: RFC 3551 pt 8', () => {
    assert.equal(PCMA.staticPayloadType, 8);
    assert.equal(PCMA.name, 'PCMA');
  });
});
