/** RTCP-driven encoder settings change within bounds (RFC 3550 §6.4.1 fraction lost → Opus FEC). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LossReportFilter } from '../../../src-main/media/rtp/loss-report-filter.js';

test('a forged 100% loss report moves the encoder at most 10 points, capped at 30%, at most once per 2 s', () => {
  const f = new LossReportFilter();
  assert.equal(f.onReport(1, 0), 10);
  assert.equal(f.onReport(1, 500), undefined, 'too soon after the last change');
  assert.equal(f.onReport(1, 2000), 20);
  assert.equal(f.onReport(1, 4000), 30);
  assert.equal(f.onReport(1, 6000), undefined, 'capped at 30%');
  assert.equal(f.percent, 30);
});

test('real loss is followed, downwards too; junk is ignored', () => {
  const f = new LossReportFilter();
  assert.equal(f.onReport(0.04, 0), 4);
  assert.equal(f.onReport(0, 5000), 0);
  assert.equal(f.onReport(Number.NaN, 10_000), undefined);
  assert.equal(f.onReport(-3, 15_000), undefined, 'negative means 0: no change');
  assert.equal(f.percent, 0);
});
