import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DelayEstimator } from '../../../src-main/media/jitter/delay-estimator.js';

test('delay estimator: the window kept sorted incrementally gives what sorting it each time gives (quantiles, minimum, shifts)', () => {
  const e = new DelayEstimator(100, 10);
  const win: number[] = [];
  let s = 7;
  for (let i = 0; i < 3000; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    const v = (s % 1000) / 10 + (i % 3 === 0 ? 5 : 0) + (i % 50 === 0 ? 80 : 0);
    e.add(v);
    win.push(v);
    if (win.length > 100) win.shift();
    if (i % 777 === 0) {
      e.shift(3.5);
      for (let k = 0; k < win.length; k++) win[k]! += 3.5;
    }
    const sorted = [...win].sort((a, b) => a - b);
    assert.ok(Math.abs(e.minTransitMs - sorted[0]!) < 1e-9, `min at ${i}`);
    for (const q of [0.5, 0.9, 0.99, 1]) {
      const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
      assert.ok(Math.abs(e.spreadMs(q) - (sorted[idx]! - sorted[0]!)) < 1e-9, `q ${q} at ${i}`);
    }
  }
  e.reset();
  assert.equal(e.spreadMs(0.9), 0);
  assert.equal(e.ready, false);
});
