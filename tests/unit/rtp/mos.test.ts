/** E-model (ITU-T G.107, simplified): R and MOS-CQ against hand-computed values. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { delayImpairment, estimateMos, mosFromR, type MosInput } from '../../../src-main/media/rtp/mos.js';

const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) < 5e-6, `${what}: ${actual} ≠ ${expected}`);

// Worked by hand from the formulas in mos.ts (d = rtt/2 + 2·jitter):
//  G.711 perfect: R = 93.2; MOS = 1 + 3.262 + 93.2·33.2·6.8·7e-6 = 4.409286
//  G.711 1 %, 10 ms, 100 ms: d = 70, Id = 1.68, Ie,eff = 95·1/26.1 = 3.639847, R = 87.880153
//  G.711 0 %, 400 ms RTT: d = 200, Id = 4.8 + 0.11·22.7 = 7.297, R = 85.903
//  G.711 5 %, 20 ms, 200 ms: d = 140, Id = 3.36, Ie,eff = 475/30.1 = 15.780731, R = 74.059269
//  Opus  5 %, 20 ms, 200 ms: Ie,eff = 475/35 = 13.571429, R = 76.268571
//  G.711 100 %: Ie,eff = 9500/125.1 = 75.939249, R = 17.260751, MOS = 1.176862
//  G.711 2 s RTT: d = 1000, Id = 24 + 90.497 = 114.497, R = −21.297 → MOS 1
const table: Array<[MosInput, number, number]> = [
  [{ codec: 'PCMU', lossPercent: 0, jitterMs: 0, rttMs: 0 }, 93.2, 4.409286],
  [{ codec: 'PCMA', lossPercent: 1, jitterMs: 10, rttMs: 100 }, 87.880153, 4.283670],
  [{ codec: 'PCMU', lossPercent: 0, jitterMs: 0, rttMs: 400 }, 85.903, 4.226180],
  [{ codec: 'PCMU', lossPercent: 5, jitterMs: 20, rttMs: 200 }, 74.059269, 3.781144],
  [{ codec: 'G722', lossPercent: 5, jitterMs: 20, rttMs: 200 }, 74.059269, 3.781144],
  [{ codec: 'opus', lossPercent: 5, jitterMs: 20, rttMs: 200 }, 76.268571, 3.875518],
  [{ codec: 'opus', lossPercent: 2, jitterMs: 5, rttMs: 60 }, 86.3025, 4.238238],
  [{ codec: 'PCMU', lossPercent: 100, jitterMs: 0, rttMs: 0 }, 17.260751, 1.176862],
  [{ codec: 'PCMU', lossPercent: 0, jitterMs: 0, rttMs: 2000 }, -21.297, 1],
];

test('G.107 E-model: R and MOS-CQ table', () => {
  for (const [input, r, mos] of table) {
    const got = estimateMos(input);
    close(got.r, r, `R ${JSON.stringify(input)}`);
    close(got.mos, mos, `MOS ${JSON.stringify(input)}`);
  }
});

test('G.107 Annex B: MOS is 1 at R ≤ 0, 4.5 at R ≥ 100, never below 1, and monotonic in between', () => {
  assert.equal(mosFromR(1), 1); // the raw cubic gives 0.994 here
  assert.equal(mosFromR(-5), 1);
  assert.equal(mosFromR(0), 1);
  assert.equal(mosFromR(100), 4.5);
  assert.equal(mosFromR(120), 4.5);
  close(mosFromR(50), 1 + 1.75 + 50 * -10 * 50 * 7e-6, 'R 50');
  let previous = 1;
  for (let r = 1; r < 100; r++) {
    const m = mosFromR(r);
    assert.ok(m >= previous, `not monotonic at R ${r}`);
    previous = m;
  }
});

test('Id has its knee at 177.3 ms one-way delay', () => {
  close(delayImpairment(177.3), 0.024 * 177.3, 'at the knee');
  close(delayImpairment(277.3), 0.024 * 277.3 + 11, '100 ms past it');
});

test('loss percentages outside 0..100 are clamped', () => {
  assert.deepEqual(estimateMos({ codec: 'PCMU', lossPercent: -3, jitterMs: 0, rttMs: 0 }), estimateMos({ codec: 'PCMU', lossPercent: 0, jitterMs: 0, rttMs: 0 }));
  assert.deepEqual(estimateMos({ codec: 'PCMU', lossPercent: 300, jitterMs: 0, rttMs: 0 }), estimateMos({ codec: 'PCMU', lossPercent: 100, jitterMs: 0, rttMs: 0 }));
});
