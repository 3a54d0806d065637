import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { simulate, steady, type Arrival } from './sim.js';

/**
 * Tables of arrivals (seq, RTP timestamp, arrival ms) against the expected decision per 20 ms tick
 * (PCMU: 160 units/frame). The target is pinned to 40 ms (minDelayMs) so the tables stay exact:
 * the first packet arrives at 0 and plays at the tick at 40 ms.
 */
const FIXED = { minDelayMs: 40, initialDelayMs: 40 };
const plays = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `play ${from + i}`);
const without = (arrivals: Arrival[], ...seqs: number[]): Arrival[] => arrivals.filter(([s]) => !seqs.includes(s));

describe('JitterBuffer: arrival tables', () => {
  it('in order: buffers the target delay, then plays one packet per tick', () => {
    const { ticks, jb } = simulate(FIXED, steady(10), { ticks: 12 });
    assert.deepEqual(ticks.map((t) => t.decision), ['-', '-', ...plays(0, 9)]);
    assert.deepEqual(ticks.slice(2).map((t) => t.timestamp), [...Array(10).keys()].map((i) => i * 160));
    const s = jb.stats();
    assert.deepEqual([s.state, s.received, s.played, s.concealed, s.late, s.lost, s.delayMs, s.targetMs], ['playing', 10, 10, 0, 0, 0, 40, 40]);
  });

  it('reorder by one: 4 before 3, both in time', () => {
    const a = steady(8);
    a[3]![2] = 85; // seq 3 arrives after seq 4 (80 ms); plays at 100 ms
    const { ticks, jb } = simulate(FIXED, a, { ticks: 10 });
    assert.deepEqual(ticks.map((t) => t.decision), ['-', '-', ...plays(0, 7)]);
    assert.equal(jb.stats().reordered, 1);
  });

  it('duplicates are counted and dropped, before and after playout', () => {
    const a: Arrival[] = [...steady(8), [2, 320, 50], [1, 160, 150]];
    const { ticks, jb } = simulate(FIXED, a, { ticks: 10 });
    assert.deepEqual(ticks.map((t) => t.decision), ['-', '-', ...plays(0, 7)]);
    assert.equal(jb.stats().duplicate, 2);
    assert.equal(jb.stats().played, 8);
  });

  it('a single loss is concealed with the next packet at hand (Opus FEC)', () => {
    const { ticks, jb } = simulate(FIXED, without(steady(8), 3), { ticks: 10 });
    assert.deepEqual(ticks.map((t) => t.decision), ['-', '-', ...plays(0, 2), 'conceal next 4', ...plays(4, 7)]);
    assert.equal(ticks[5]!.timestamp, 480, 'the concealed frame stands for ts 480');
    assert.deepEqual([jb.stats().lost, jb.stats().concealed], [1, 1]);
  });

  it('a burst loss conceals each frame; only the last one has the next packet', () => {
    const { ticks, jb } = simulate(FIXED, without(steady(10), 3, 4, 5), { ticks: 12 });
    assert.deepEqual(ticks.map((t) => t.decision),
      ['-', '-', ...plays(0, 2), 'conceal', 'conceal', 'conceal next 6', ...plays(6, 9)]);
    assert.deepEqual([jb.stats().lost, jb.stats().concealed], [3, 3]);
  });

  it('a loss longer than maxConcealMs turns into silence', () => {
    const { ticks } = simulate({ ...FIXED, maxConcealMs: 60 }, without(steady(12), 3, 4, 5, 6, 7), { ticks: 14 });
    assert.deepEqual(ticks.map((t) => t.decision),
      ['-', '-', ...plays(0, 2), 'conceal', 'conceal', 'conceal', '-', '-', ...plays(8, 11)]);
  });

  it('a late packet is concealed at its time, then counted late and dropped', () => {
    const a = steady(8);
    a[3]![2] = 115; // due at the 100 ms tick
    const { ticks, jb } = simulate(FIXED, a, { ticks: 10 });
    assert.deepEqual(ticks.map((t) => t.decision), ['-', '-', ...plays(0, 2), 'conceal next 4', ...plays(4, 7)]);
    assert.deepEqual([jb.stats().late, jb.stats().lost, jb.stats().played], [1, 1, 7]);
  });

  it('timestamp jump forward: re-syncs the timeline without a gap', () => {
    const a: Arrival[] = [...steady(5), ...steady(5, 5, 1_000_000, 100)];
    const { ticks, jb } = simulate(FIXED, a, { ticks: 12 });
    assert.deepEqual(ticks.map((t) => t.decision), ['-', '-', ...plays(0, 9)]);
    assert.deepEqual(ticks.slice(7).map((t) => t.timestamp), [1_000_000, 1_000_160, 1_000_320, 1_000_480, 1_000_640]);
    assert.deepEqual([jb.stats().resyncs, jb.stats().late, jb.stats().concealed], [1, 0, 0]);
  });

  it('timestamp jump backward (sender restarted its clock) re-syncs too', () => {
    const a: Arrival[] = [...steady(5, 0, 50_000), ...steady(5, 5, 0, 100)];
    const { ticks, jb } = simulate(FIXED, a, { ticks: 12 });
    assert.deepEqual(ticks.map((t) => t.decision), ['-', '-', ...plays(0, 9)]);
    assert.equal(jb.stats().resyncs, 1);
  });

  it('SSRC change: resets and buffers the new source from scratch', () => {
    const a: Arrival[] = [...steady(5), ...steady(5, 7000, 90_000, 100).map(([s, t, at]): Arrival => [s, t, at, false, 0xbeef])];
    const { ticks, jb } = simulate(FIXED, a, { ticks: 12 });
    assert.deepEqual(ticks.map((t) => t.decision), ['-', '-', ...plays(0, 2), '-', '-', ...plays(7000, 7004)]);
    assert.equal(jb.stats().ssrcChanges, 1);
  });

  it('wrap-around: sequence 65535 → 0 and timestamp 2^32 → 0, reordered across the wrap', () => {
    const a = steady(8, 65532, 2 ** 32 - 3 * 160);
    [a[3]![2], a[4]![2]] = [a[4]![2], a[3]![2]]; // 0 arrives before 65535
    const { ticks, jb } = simulate(FIXED, a, { ticks: 10 });
    assert.deepEqual(ticks.map((t) => t.decision), ['-', '-', ...plays(65532, 65535), ...plays(0, 3)]);
    assert.deepEqual(ticks.slice(2).map((t) => t.timestamp), a.map((x) => x[1]));
    assert.deepEqual([jb.stats().reordered, jb.stats().lost, jb.stats().resyncs], [1, 0, 0]);
  });

  it('talk spurts: the sender\'s silence (DTX) plays as silence, the marker packet resumes at the same delay', () => {
    // Spurt 1: seq 0–4; silence 200 ms with nothing sent; spurt 2 (marker) ts and arrival 300 ms on.
    const a: Arrival[] = [...steady(5), ...steady(3, 5, 15 * 160, 300)];
    a[5]![3] = true;
    const { ticks } = simulate({ ...FIXED, maxConcealMs: 40 }, a, { ticks: 20 });
    assert.deepEqual(ticks.map((t) => t.decision),
      ['-', '-', ...plays(0, 4), 'conceal', 'conceal', '-', '-', '-', '-', '-', '-', '-', '-', ...plays(5, 7)]);
    assert.equal(ticks.find((t) => t.decision === 'play 5')!.atMs, 340, 'ts 2400 → 300 ms + 40 ms delay');
  });

  it('DTX with consecutive sequence numbers: concealed only until the next packet shows it was silence', () => {
    // Until packet 5 arrives (200 ms), an empty buffer looks like loss: conceal; then it is silence.
    const a: Arrival[] = [...steady(5), [5, 10 * 160, 200, true], [6, 11 * 160, 220]];
    const { ticks, jb } = simulate(FIXED, a, { ticks: 14 });
    assert.deepEqual(ticks.map((t) => t.decision),
      ['-', '-', ...plays(0, 4), 'conceal', 'conceal', 'conceal', '-', '-', 'play 5', 'play 6']);
    assert.deepEqual([jb.stats().lost, jb.stats().concealed, jb.stats().underflows], [0, 3, 1]);
  });

  it('DTX with comfort-noise-free gaps already buffered (early packet) is pure silence', () => {
    // Packet 5 (after a 100 ms pause) arrives 60 ms early: the gap is known to be silence.
    const a: Arrival[] = [...steady(5), [5, 10 * 160, 140, true], [6, 11 * 160, 220]];
    const { ticks, jb } = simulate(FIXED, a, { ticks: 14 });
    assert.deepEqual(ticks.map((t) => t.decision), ['-', '-', ...plays(0, 4), '-', '-', '-', '-', '-', 'play 5', 'play 6']);
    assert.deepEqual([jb.stats().lost, jb.stats().concealed], [0, 0]);
  });
});
