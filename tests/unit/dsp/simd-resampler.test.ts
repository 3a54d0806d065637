import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRateConverter } from '../../../src-main/media/dsp/rate-converter.js';
import { Resampler } from '../../../src-main/media/dsp/resampler.js';
import { FIR_WASM, firInstance, firModule } from '../../../src-main/media/dsp/simd-fir.js';
import { SimdResampler } from '../../../src-main/media/dsp/simd-resampler.js';
import { db, goertzel, rms, sine } from '../../support/audio-analysis.js';
import { resampleInFrames } from '../../support/resample-frames.js';

const module = firModule();

function noise(n: number, seed = 1): Int16Array {
  let s = seed;
  return Int16Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return ((s >>> 8) % 60000) - 30000;
  });
}

test('the kernel: Node 24 compiles the hand-assembled SIMD module, and fir() is a strided dot product', () => {
  assert.ok(module, 'WebAssembly SIMD available');
  const { fir, buffer } = firInstance(module, 4096);
  const f = new Float32Array(buffer);
  for (let i = 0; i < 8; i++) f[i] = i + 1; // taps at byte 0
  for (let i = 0; i < 16; i++) f[16 + i] = i; // x at byte 64
  fir(64, 8, 3, 0, 1, 256, 4); // three outputs, x stepping by 2, 8 taps
  const dot = (s: number) => [1, 2, 3, 4, 5, 6, 7, 8].reduce((a, h, k) => a + h * (s + k), 0);
  assert.deepEqual([f[64], f[65], f[66]], [dot(0), dot(2), dot(4)]);
  assert.ok(FIR_WASM.length < 256);
});

for (const [from, to, frame] of [[48000, 8000, 960], [48000, 16000, 960], [8000, 48000, 160], [16000, 48000, 320], [48000, 8000, 7], [8000, 48000, 13]] as const) {
  test(`${from} → ${to} in frames of ${frame}: the same samples as the JavaScript filter (±1 for float32), same count`, () => {
    const x = noise(from / 5, from + frame);
    const want = resampleInFrames(new Resampler(from, to), x, frame);
    const got = resampleInFrames(new SimdResampler(from, to, module!), x, frame);
    assert.equal(got.length, want.length);
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
    assert.ok(worst <= 1, `differs by ${worst}`);
    // Framing never changes the result: the same windows of the same floats.
    assert.deepEqual(resampleInFrames(new SimdResampler(from, to, module!), x, x.length), got);
  });
}

test('a frame longer than the memory was sized for: grown, history kept', () => {
  const x = noise(12000, 3);
  const want = resampleInFrames(new Resampler(48000, 8000), x, 6000);
  const r = new SimdResampler(48000, 8000, module!, 960);
  assert.deepEqual(resampleInFrames(r, x, 6000), resampleInFrames(new SimdResampler(48000, 8000, module!), x, 6000));
  const got = resampleInFrames(new SimdResampler(48000, 8000, module!, 960), x, 6000);
  assert.ok(got.every((v, i) => Math.abs(v - want[i]!) <= 1));
});

test('quality as the JavaScript filter: 1 kHz passes, 5 kHz is ≥ 60 dB down going to 8 kHz, no image ≥ −60 dB coming back', () => {
  const down = resampleInFrames(createRateConverter(48000, 8000), sine(1000, 48000, 48000), 960);
  assert.ok(Math.abs(db(rms(down, 800) / rms(sine(1000, 8000, 8000)))) < 0.05);
  const high = resampleInFrames(createRateConverter(48000, 8000), sine(5000, 48000, 48000), 960);
  assert.ok(db(rms(high, 800) / 7071) <= -60);
  const up = resampleInFrames(createRateConverter(8000, 48000), sine(1000, 8000, 8000), 160);
  for (const image of [7000, 9000, 15000, 17000]) assert.ok(db(goertzel(up, 48000, image, 4800, 28800) / 10000) <= -60);
});

test('full scale and DC: clamped to int16, never wrapped', () => {
  const r = new SimdResampler(8000, 48000, module!);
  const square = new Int16Array(160).map((_, i) => (i % 20 < 10 ? 32767 : -32768));
  const big = new Int16Array(960);
  r.process(square, big);
  r.process(square, big);
  assert.ok(big.some((v) => v === 32767) && big.some((v) => v === -32768));
  const dc = new SimdResampler(48000, 8000, module!);
  const out = new Int16Array(160);
  for (let i = 0; i < 5; i++) dc.process(new Int16Array(960).fill(32767), out);
  assert.ok(out.every((v) => v >= 32760));
});

test('reset() restarts as a fresh converter; a short output is refused', () => {
  const a = new SimdResampler(48000, 16000, module!);
  a.process(sine(3000, 48000, 961), new Int16Array(321));
  a.reset();
  const o1 = new Int16Array(320);
  const o2 = new Int16Array(320);
  a.process(sine(1000, 48000, 960), o1);
  new SimdResampler(48000, 16000, module!).process(sine(1000, 48000, 960), o2);
  assert.deepEqual(o1, o2);
  assert.throws(() => new SimdResampler(8000, 48000, module!).process(new Int16Array(160), new Int16Array(959)), /needs 960/);
});

test('the factory: SIMD for other rates, the JavaScript filter on request, a copy for equal rates', () => {
  assert.ok(createRateConverter(48000, 8000) instanceof SimdResampler);
  assert.ok(createRateConverter(16000, 48000) instanceof SimdResampler);
  assert.ok(createRateConverter(48000, 8000, { simd: false }) instanceof Resampler);
  const copy = createRateConverter(48000, 48000);
  const x = sine(440, 48000, 960);
  const y = new Int16Array(960);
  assert.equal(copy.process(x, y), 960);
  assert.deepEqual(y, x);
});
