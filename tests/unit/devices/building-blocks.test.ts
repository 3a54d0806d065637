import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Clock } from '../../../src-main/util/clock.js';
import { TestClock } from '../../support/test-clock.js';
import { LevelMeter, SILENCE_DBFS } from '../../../src-main/media/devices/level-meter.js';
import { PlaybackQueue } from '../../../src-main/media/devices/playback-queue.js';
import { FramePacer } from '../../../src-main/media/devices/frame-pacer.js';
import { frameSamplesOf } from '../../../src-main/media/devices/audio-device.js';
import { sine } from '../../support/audio-analysis.js';

test('level meter: full-scale square 0 dBFS, −6 dBFS sine (RMS −9.03), silence at the floor', () => {
  const m = new LevelMeter();
  m.measure(new Int16Array(960).map((_, i) => (i % 48 < 24 ? 32767 : -32768)));
  assert.ok(Math.abs(m.reading.rmsDbfs) < 0.01 && Math.abs(m.reading.peakDbfs) < 0.01, JSON.stringify(m.reading));
  m.measure(sine(1000, 48000, 960, 16384, Math.PI / 2));
  assert.ok(Math.abs(m.reading.rmsDbfs - -9.03) < 0.02, `rms ${m.reading.rmsDbfs}`);
  assert.ok(Math.abs(m.reading.peakDbfs - -6.02) < 0.01, `peak ${m.reading.peakDbfs}`);
  m.measure(new Int16Array(960));
  assert.deepEqual(m.reading, { rmsDbfs: SILENCE_DBFS, peakDbfs: SILENCE_DBFS });
});

test('frame size: 20 ms at 48 kHz is 960 samples, 10 ms at 8 kHz is 80; fractions are refused', () => {
  assert.equal(frameSamplesOf({}), 960);
  assert.equal(frameSamplesOf({ rate: 8000, frameMs: 10 }), 80);
  assert.throws(() => frameSamplesOf({ rate: 44100, frameMs: 0.5 }), /not whole samples/);
});

test('playback queue: FIFO across wrap-around; idle before the first write is not an underrun', () => {
  const q = new PlaybackQueue(7);
  const out = new Int16Array(3);
  assert.equal(q.read(out), 0);
  assert.equal(q.underruns, 0);
  let next = 1;
  const expect: number[] = [];
  for (let round = 0; round < 10; round++) {
    const chunk = Int16Array.from({ length: 3 }, () => next++);
    q.write(chunk);
    expect.push(...chunk);
    assert.equal(q.read(out), 3);
    assert.deepEqual([...out], expect.splice(0, 3));
  }
  assert.equal(q.underruns, 0);
  assert.equal(q.overflows, 0);
});

test('playback queue: underrun pads silence and counts; overflow drops the oldest samples', () => {
  const q = new PlaybackQueue(6);
  q.write(Int16Array.of(1, 2));
  const out = new Int16Array(4);
  assert.equal(q.read(out), 2);
  assert.deepEqual([...out], [1, 2, 0, 0]);
  assert.equal(q.underruns, 1);
  q.write(Int16Array.of(1, 2, 3, 4));
  q.write(Int16Array.of(5, 6, 7, 8)); // 8 > 6: 1 and 2 go
  assert.equal(q.overflows, 1);
  assert.equal(q.queued, 6);
  assert.equal(q.read(out), 4);
  assert.deepEqual([...out], [3, 4, 5, 6]);
  q.write(Int16Array.from({ length: 10 }, (_, i) => 100 + i)); // longer than capacity: keep the newest 6
  const all = new Int16Array(6);
  q.read(all);
  assert.deepEqual([...all], [104, 105, 106, 107, 108, 109]);
  q.clear();
  assert.equal(q.read(out), 0);
  assert.equal(q.underruns, 1, 'cleared queue is idle again');
});

/** A clock whose timers fire late by a pattern of delays (ms), as a loaded event loop does. */
function lateClock(base: TestClock, lateness: (n: number) => number): Clock {
  let n = 0;
  return {
    now: () => base.now(),
    setTimeout: (fn, ms) => base.setTimeout(fn, ms + lateness(n++)),
    clearTimeout: (h) => base.clearTimeout(h),
  };
}

test('frame pacer: 50 frames per second of 20 ms, each at its due time', () => {
  const clock = new TestClock();
  const at: number[] = [];
  const p = new FramePacer(clock, 20, () => at.push(clock.now()));
  p.start();
  clock.advance(1000);
  assert.equal(at.length, 50);
  assert.deepEqual(at.slice(0, 3), [20, 40, 60]);
  p.stop();
  clock.advance(1000);
  assert.equal(at.length, 50);
  assert.equal(clock.pending, 0);
});

test('frame pacer: timers late by 0–9 ms do not drift (absolute schedule): 60 s → 3000 frames', () => {
  const base = new TestClock();
  let frames = 0;
  const p = new FramePacer(lateClock(base, (n) => (n * 7) % 10), 20, () => frames++);
  p.start();
  base.advance(60_000);
  // Relative scheduling would have drifted to ~2450; only the last frame (due at 60 000) may be pending.
  assert.ok(frames >= 2999, `got ${frames}`);
  base.advance(10);
  assert.equal(frames, 3000);
  assert.equal(p.skipped, 0);
});

test('frame pacer: a 130 ms stall delivers the missed frames at once; beyond maxCatchUp they are skipped', () => {
  const base = new TestClock();
  const times: number[] = [];
  const p = new FramePacer(lateClock(base, (n) => (n === 3 ? 130 : 0)), 20, () => times.push(base.now()), 5);
  p.start();
  base.advance(200);
  // frames due at 20, 40, 60, then the timer for 80 fires at 210: over by 7 periods, 5 caught up.
  assert.deepEqual(times, [20, 40, 60]);
  base.advance(10);
  assert.equal(times.length, 8);
  assert.equal(p.skipped, 2);
  base.advance(790);
  assert.equal(p.frames + p.skipped, 50, 'still on the absolute schedule');
});

test('frame pacer: whole-millisecond timers; a wake under 1 ms early still delivers (no second wake)', () => {
  const clock = new TestClock();
  const asked: number[] = [];
  const early = {
    now: () => clock.now(),
    // Fire 0.6 ms before what was asked, as a millisecond loop clock can.
    setTimeout: (fn: () => void, ms: number) => (asked.push(ms), clock.setTimeout(fn, ms - 0.6)),
    clearTimeout: (h: { id: number } | undefined) => clock.clearTimeout(h),
  };
  clock.advance(0.3);
  let frames = 0;
  const p = new FramePacer(early, 20, () => frames++);
  p.start();
  clock.advance(1000);
  assert.equal(frames, 50);
  assert.ok(asked.every((ms) => Number.isInteger(ms)), `delays ${asked.slice(0, 5).join(', ')}`);
  assert.equal(asked.length, frames + 1, 'one timer per period (and the next one pending)');
  p.stop();
});
