import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { frameSamples } from '../../../src-main/media/codecs/codec.js';
import { OPUS, OpusDecoder, OpusEncoder, opusBinding } from '../../../src-main/media/codecs/opus.js';
import { opusFrameSamples48k, opusPacketHasFec } from '../../../src-main/media/codecs/opus-packet.js';
import { rms, sine } from '../../support/audio-analysis.js';
import { peakFrequency, speech } from './signal.js';

const F = 960; // 20 ms at 48 kHz

function encodeAll(pcm: Int16Array, enc: OpusEncoder): Uint8Array[] {
  const buf = new Uint8Array(1275);
  const packets: Uint8Array[] = [];
  for (let at = 0; at + F <= pcm.length; at += F) packets.push(buf.slice(0, enc.encode(pcm.subarray(at, at + F), buf)));
  return packets;
}

/** SNR (dB) over the given frames of `test` against the loss-free decode `ref`. */
function framesSnr(ref: Int16Array, test: Int16Array, frames: number[]): number {
  let s = 0;
  let e = 0;
  for (const f of frames) for (let i = f * F; i < (f + 1) * F; i++) {
    s += ref[i]! ** 2;
    e += (ref[i]! - test[i]!) ** 2;
  }
  return 10 * Math.log10(s / Math.max(e, 1e-9));
}

describe('Opus via the nimbus-opus binding', () => {
  before(() => opusBinding());

  it('binds the libopus shipped with @discordjs/opus', () => {
    assert.match(opusBinding().version(), /^libopus 1\.\d/);
  });

  it('a 1 kHz tone survives encode/decode at its frequency and level', () => {
    const pcm = sine(1000, 48000, 48000, 10000);
    const enc = new OpusEncoder();
    const dec = new OpusDecoder();
    const out = new Int16Array(pcm.length);
    for (const [f, p] of encodeAll(pcm, enc).entries()) assert.equal(dec.decode(p, out.subarray(f * F, (f + 1) * F)), F);
    assert.ok(Math.abs(peakFrequency(out, 48000, 9600, 48000) - 1000) < 3);
    const gainDb = 20 * Math.log10(rms(out, 9600, 48000) / rms(pcm, 9600, 48000));
    assert.ok(Math.abs(gainDb) < 1, `level ${gainDb.toFixed(2)} dB`);
  });

  it('rejects illegal frame sizes with a RangeError instead of aborting the process (RFC 6716 §2.1.4)', () => {
    const enc = new OpusEncoder();
    const out = new Uint8Array(1275);
    for (const bad of [0, 100, 959, 961, 3840]) assert.throws(() => enc.encode(new Int16Array(bad), out), RangeError);
    for (const ms of OPUS.ptimes) assert.ok(enc.encode(new Int16Array(frameSamples(OPUS, ms)), out) > 0, `${ms} ms`);
    const raw = opusBinding();
    const h = raw.createEncoder(48000, 1, 2048);
    assert.throws(() => raw.encode(h, new Int16Array(1000), 1000, out), RangeError);
    assert.throws(() => raw.encode(h, new Int16Array(480), 960, out), RangeError); // pcm shorter than frame
  });

  it('conceals exactly the missing duration and touches nothing beyond it', () => {
    const pcm = sine(440, 48000, 10 * F, 8000);
    const dec = new OpusDecoder();
    const out = new Int16Array(F);
    for (const p of encodeAll(pcm, new OpusEncoder())) dec.decode(p, out);
    for (const samples of [120, 480, 960, 1920]) {
      const buf = new Int16Array(samples + 100).fill(7777);
      assert.equal(dec.conceal(buf, samples), samples);
      assert.ok(buf.subarray(samples).every((v) => v === 7777), `${samples}: wrote past the gap`);
    }
    assert.throws(() => dec.conceal(new Int16Array(2000), 100), RangeError);
    assert.throws(() => dec.conceal(new Int16Array(500), 960), RangeError);
  });

  it('a corrupt packet decodes to 0 samples and is counted', () => {
    const dec = new OpusDecoder();
    assert.equal(dec.decode(new Uint8Array([0x0b]), new Int16Array(F)), 0); // code 3 without frame count
    assert.equal(dec.toJSON().decodeErrors, 1);
  });

  it('in-band FEC recovers lost speech frames far better than PLC alone (10% loss)', () => {
    const pcm = speech(48000);
    const packets = encodeAll(pcm, new OpusEncoder({ packetLossPercent: 20 }));
    const ref = new Int16Array(packets.length * F);
    const clean = new OpusDecoder();
    packets.forEach((p, f) => clean.decode(p, ref.subarray(f * F, (f + 1) * F)));
    const lost = packets.map((_, f) => f).filter((f) => f % 10 === 5 && f + 1 < packets.length);
    const run = (useFec: boolean): { out: Int16Array; dec: OpusDecoder } => {
      const dec = new OpusDecoder();
      const out = new Int16Array(ref.length);
      packets.forEach((p, f) => {
        const dst = out.subarray(f * F, (f + 1) * F);
        if (lost.includes(f)) assert.equal(dec.conceal(dst, F, useFec ? packets[f + 1] : undefined), F);
        else dec.decode(p, dst);
      });
      return { out, dec };
    };
    const fec = run(true);
    const plc = run(false);
    const fecSnr = framesSnr(ref, fec.out, lost);
    const plcSnr = framesSnr(ref, plc.out, lost);
    assert.ok(fecSnr > plcSnr + 6, `FEC ${fecSnr.toFixed(1)} dB vs PLC ${plcSnr.toFixed(1)} dB`);
    assert.ok(fec.dec.toJSON().fecRecovered > lost.length / 2);
    assert.equal(plc.dec.toJSON().concealed, lost.length);
  });

  it('FEC flag follows the encoder setting', () => {
    const pcm = speech(48000).subarray(0, 50 * F);
    const withFec = encodeAll(pcm, new OpusEncoder({ fec: true, packetLossPercent: 20 }));
    const without = encodeAll(pcm, new OpusEncoder({ fec: false }));
    assert.ok(withFec.filter(opusPacketHasFec).length > withFec.length / 2);
    assert.equal(without.filter(opusPacketHasFec).length, 0);
  });

  it('adapts FEC to the loss the peer reports: none on a clean path, LBRR once loss appears', () => {
    const pcm = speech(48000).subarray(0, 50 * F);
    const clean = new OpusEncoder();
    clean.adaptToLoss(0);
    assert.equal(encodeAll(pcm, clean).filter(opusPacketHasFec).length, 0);
    const lossy = new OpusEncoder();
    lossy.adaptToLoss(0);
    lossy.adaptToLoss(4);
    const packets = encodeAll(pcm, lossy);
    assert.ok(packets.filter(opusPacketHasFec).length > packets.length / 2);
  });
});

describe('Opus packet inspection (RFC 6716 §3.1, §4.2.3)', () => {
  it('frame durations by TOC config (Table 2)', () => {
    assert.equal(opusFrameSamples48k(1 << 3), 960); // SILK NB 20 ms
    assert.equal(opusFrameSamples48k(3 << 3), 2880); // SILK NB 60 ms
    assert.equal(opusFrameSamples48k(13 << 3), 960); // hybrid FB 20 ms
    assert.equal(opusFrameSamples48k(16 << 3), 120); // CELT NB 2.5 ms
    assert.equal(opusFrameSamples48k(31 << 3), 960); // CELT FB 20 ms
  });

  it('reads the LBRR flag after the VAD bits of the first frame', () => {
    const silk20 = 1 << 3; // config 1, mono, code 0
    assert.equal(opusPacketHasFec(new Uint8Array([silk20, 0b1100_0000, 0])), true); // VAD=1, LBRR=1
    assert.equal(opusPacketHasFec(new Uint8Array([silk20, 0b1000_0000, 0])), false);
    const silk60 = 3 << 3; // 3 SILK frames: VAD VAD VAD LBRR
    assert.equal(opusPacketHasFec(new Uint8Array([silk60, 0b0001_0000, 0])), true);
    assert.equal(opusPacketHasFec(new Uint8Array([silk60, 0b1110_0000, 0])), false);
    const stereo = silk20 | 0x04; // mid: VAD LBRR, side: VAD LBRR
    assert.equal(opusPacketHasFec(new Uint8Array([stereo, 0b0001_0000, 0])), true);
    const celt = 31 << 3;
    assert.equal(opusPacketHasFec(new Uint8Array([celt, 0xff, 0xff])), false);
    const code2 = silk20 | 2; // first frame length byte, then data
    assert.equal(opusPacketHasFec(new Uint8Array([code2, 1, 0b0100_0000, 0])), true);
    const code3 = silk20 | 3; // frame count byte: CBR, padding (1 byte), 2 frames
    assert.equal(opusPacketHasFec(new Uint8Array([code3, 0x42, 0, 0b0100_0000, 0, 0, 0])), true);
    assert.equal(opusPacketHasFec(new Uint8Array([silk20])), false);
  });
});
