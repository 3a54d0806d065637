/** RFC 3550 A.1 (sequence tracking), A.3 (loss), A.8 (jitter), and RTT per §6.4.1. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_DROPOUT, ReceiverStats } from '../../../src-main/media/rtp/receiver-stats.js';
import { RoundTripEstimator, roundTripMs } from '../../../src-main/media/rtp/rtt.js';

const PCMU = 8000;
const PTIME = 20;
const TS_STEP = 160;

/** Feeds packets `seqs` (20 ms apart, timestamps following the sequence) from `startSeq`. */
function feed(stats: ReceiverStats, seqs: number[], startSeq = seqs[0]!, startMs = 0) {
  return seqs.map((seq) => {
    const n = (seq - startSeq + 0x10000) % 0x10000;
    return stats.onPacket(seq, (n * TS_STEP) >>> 0, startMs + n * PTIME);
  });
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => (from + i) % 0x10000);

test('RFC 3550 A.1: a source is valid after MIN_SEQUENTIAL (2) packets in sequence', () => {
  const s = new ReceiverStats(1, PCMU);
  assert.deepEqual(feed(s, [100, 101, 102]), ['probation', 'valid', 'valid']);
  assert.equal(s.packetsReceived, 2);
  assert.equal(s.expected, 2);
  assert.equal(s.cumulativeLost, 0);
  // A gap during probation restarts it.
  const t = new ReceiverStats(2, PCMU);
  assert.deepEqual(feed(t, [100, 105, 106, 107], 100), ['probation', 'probation', 'valid', 'valid']);
  assert.equal(t.extendedMax, 107);
});

test('RFC 3550 A.1: the extended sequence number counts cycles across 65535 → 0', () => {
  const s = new ReceiverStats(1, PCMU);
  feed(s, range(65530, 12), 65530);
  assert.equal(s.extendedMax, 0x10000 + 5);
  assert.equal(s.expected, 11);
  assert.equal(s.packetsReceived, 11);
  assert.equal(s.cumulativeLost, 0);
});

test('RFC 3550 A.1: reordering within MAX_MISORDER neither counts a cycle nor loss', () => {
  const s = new ReceiverStats(1, PCMU);
  assert.deepEqual(feed(s, [65533, 65534, 0, 65535, 1], 65533), ['probation', 'valid', 'valid', 'valid', 'valid']);
  assert.equal(s.extendedMax, 0x10000 + 1);
  assert.equal(s.cumulativeLost, 0);
});

test('RFC 3550 A.1: a jump beyond MAX_DROPOUT is bad once and a restart when the next follows', () => {
  const s = new ReceiverStats(1, PCMU);
  feed(s, range(10, 10), 10);
  const far = 10 + MAX_DROPOUT + 500;
  assert.equal(s.onPacket(far, 0, 1000), 'bad-sequence');
  assert.equal(s.extendedMax, 19);
  assert.equal(s.onPacket(far + 1, 160, 1020), 'valid');
  assert.equal(s.extendedMax, far + 1);
  assert.equal(s.expected, 1);
  assert.equal(s.packetsReceived, 1);
});

test('RFC 3550 A.3: cumulative and interval fraction lost', () => {
  const s = new ReceiverStats(0xabc, PCMU);
  // 100 packets with every 10th missing (10 lost of the 99 expected after probation's first packet).
  const seqs = range(1000, 100).filter((q) => q % 10 !== 5);
  feed(s, seqs, 1000);
  assert.equal(s.expected, 99);
  assert.equal(s.cumulativeLost, 10);
  const first = s.reportBlock(2000)!;
  assert.equal(first.ssrc, 0xabc);
  assert.equal(first.cumulativeLost, 10);
  assert.equal(first.fractionLost, Math.floor((10 * 256) / 99)); // 25
  assert.equal(first.highestSequence, 1099);
  // Next interval: 50 packets, none lost → fraction 0, cumulative unchanged.
  feed(s, range(1100, 50), 1000);
  const second = s.reportBlock(4000)!;
  assert.equal(second.fractionLost, 0);
  assert.equal(second.cumulativeLost, 10);
  // Then 20 expected, 5 lost → 64/256.
  feed(s, range(1150, 20).filter((q) => q % 4 !== 0), 1000);
  assert.equal(s.reportBlock(6000)!.fractionLost, 64);
});

test('RFC 3550 A.3: duplicates make cumulative loss negative and fraction lost 0', () => {
  const s = new ReceiverStats(1, PCMU);
  feed(s, [1, 2, 3, 3, 3], 1);
  assert.equal(s.cumulativeLost, -2);
  assert.equal(s.reportBlock(0)!.fractionLost, 0);
});

test('RFC 3550 A.8: constant transit gives zero jitter, even across the 2^32 timestamp wrap', () => {
  const s = new ReceiverStats(1, PCMU);
  const ts0 = 0xffffffff - 10 * TS_STEP;
  for (let i = 0; i < 30; i++) s.onPacket(i, (ts0 + i * TS_STEP) >>> 0, 5000 + i * PTIME);
  assert.equal(s.jitter, 0);
  assert.equal(s.jitterMs, 0);
});

test('RFC 3550 A.8: alternating ±10 ms arrival converges to 80 timestamp units (10 ms) with gain 1/16', () => {
  const s = new ReceiverStats(1, PCMU);
  const n = 200;
  for (let i = 0; i < n; i++) s.onPacket(i, i * TS_STEP, i * PTIME + (i % 2 === 0 ? 0 : 10));
  // Valid from packet 1; jitter updates from packet 2 on: n − 2 updates of |D| = 80.
  const expected = 80 * (1 - (15 / 16) ** (n - 2));
  assert.ok(Math.abs(s.jitterMs * 8 - expected) < 1e-9, `${s.jitterMs}`);
  assert.equal(s.jitter, 79);
  assert.ok(Math.abs(s.jitterMs - 10) < 0.01);
});

test('RFC 3550 §6.4.1: LSR and DLSR of the report block come from the last SR received', () => {
  const s = new ReceiverStats(1, PCMU);
  feed(s, [1, 2, 3], 1);
  assert.equal(s.reportBlock(100)!.lastSr, 0);
  assert.equal(s.reportBlock(100)!.delaySinceLastSr, 0);
  s.onSenderReport(0xb7052000, 1000);
  const block = s.reportBlock(3500)!;
  assert.equal(block.lastSr, 0xb7052000);
  assert.equal(block.delaySinceLastSr, 2.5 * 65536);
});

test('RFC 3550 §6.4.1 example: A 0xb710:8000, LSR 0xb705:2000, DLSR 0x0005:4000 → RTT 6.125 s', () => {
  assert.equal(roundTripMs(0xb7108000, 0xb7052000, 0x00054000), 6125);
  assert.equal(roundTripMs(0xb7108000, 0, 0x00054000), undefined);
  // Across the 16-bit seconds wrap of the compact form.
  assert.equal(roundTripMs(0x00018000, 0xffff8000, 0x00010000), 1000);
});

test('RoundTripEstimator: matches LSR to our sent SRs and ignores unknown ones', () => {
  const rtt = new RoundTripEstimator();
  rtt.onSenderReportSent(0x11110000, 1000);
  rtt.onSenderReportSent(0x22220000, 6000);
  assert.equal(rtt.onReportBlock({ lastSr: 0x11110000, delaySinceLastSr: 0x18000 }, 2600), 100); // 1600 − 1500
  assert.equal(rtt.onReportBlock({ lastSr: 0x33330000, delaySinceLastSr: 0 }, 7000), undefined);
  assert.equal(rtt.onReportBlock({ lastSr: 0, delaySinceLastSr: 0 }, 7000), undefined);
  assert.equal(rtt.onReportBlock({ lastSr: 0x22220000, delaySinceLastSr: 0x8000 }, 6700), 200);
  assert.equal(rtt.rttMs, 200);
  assert.equal(rtt.smoothedRttMs, 100 + (200 - 100) / 8);
  assert.deepEqual(rtt.toJSON(), { rttMs: 200, smoothedRttMs: 112.5, samples: 2 });
});
