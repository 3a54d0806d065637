import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Unwrapper } from '../../../src-main/media/jitter/rtp-unwrap.js';
import { DelayEstimator } from '../../../src-main/media/jitter/delay-estimator.js';
import { DelayController } from '../../../src-main/media/jitter/delay-controller.js';
import { PacketSlots, SLOT_FILLED } from '../../../src-main/media/jitter/packet-slots.js';

describe('Unwrapper (RFC 3550 §A.1 extended sequence numbers)', () => {
  it('16-bit: counts through the wrap and keeps late packets before it', () => {
    const u = new Unwrapper(16);
    assert.deepEqual([65534, 65535, 0, 65533, 1, 2].map((v) => u.unwrap(v)), [65534, 65535, 65536, 65533, 65537, 65538]);
  });

  it('32-bit: timestamps wrap at 2^32', () => {
    const u = new Unwrapper(32);
    assert.deepEqual([2 ** 32 - 160, 0, 160, 2 ** 32 - 320].map((v) => u.unwrap(v)), [2 ** 32 - 160, 2 ** 32, 2 ** 32 + 160, 2 ** 32 - 320]);
  });

  it('a backward jump keeps counting continuously from where it landed', () => {
    const u = new Unwrapper(16);
    u.unwrap(100);
    assert.deepEqual([40000, 40001, 65535, 0, 99, 100, 101].map((v) => u.unwrap(v)), [-25536, -25535, -1, 0, 99, 100, 101]);
    u.reset();
    assert.equal(u.unwrap(7), 7);
  });
});

describe('DelayEstimator', () => {
  it('spread quantile and minimum transit over the window; RFC 3550 jitter of a steady stream is 0', () => {
    const e = new DelayEstimator(10, 5);
    for (const t of [100, 100, 100, 100]) e.add(t);
    assert.equal(e.ready, false);
    for (const t of [130, 110, 105, 100, 100, 120]) e.add(t);
    assert.equal(e.ready, true);
    assert.equal(e.minTransitMs, 100);
    assert.equal(e.spreadMs(1), 30);
    assert.equal(e.spreadMs(0.9), 20);
    assert.equal(e.spreadMs(0.5), 0);
    for (let i = 0; i < 10; i++) e.add(90); // the window slides: old values leave
    assert.equal(e.spreadMs(1), 0);
    assert.equal(e.minTransitMs, 90);
    const steady = new DelayEstimator();
    for (let i = 0; i < 50; i++) steady.add(42);
    assert.equal(steady.jitterMs, 0);
  });

  it('RFC 3550 jitter converges to the mean |D| of alternating transits', () => {
    const e = new DelayEstimator();
    for (let i = 0; i < 400; i++) e.add(i % 2 ? 10 : 0);
    assert.ok(Math.abs(e.jitterMs - 10) < 0.01, String(e.jitterMs));
  });
});

describe('DelayController', () => {
  const make = () => new DelayController({ frameMs: 20, minDelayMs: 20, maxDelayMs: 200, initialDelayMs: 60, dropWaitMs: 3000, insertWaitMs: 100 });

  it('target = clamp(spread + frame); band [target − 5, target + 25] ms', () => {
    const c = make();
    c.update(0, NaN, 500);
    assert.deepEqual([c.targetMs, c.want], [60, 'none'], 'no measurements yet');
    c.update(0, 30, 50);
    assert.deepEqual([c.targetMs, c.want], [50, 'none']);
    c.update(0, 30, 44);
    assert.equal(c.want, 'insert');
    c.update(0, 30, 76);
    assert.equal(c.want, 'drop');
    c.update(0, 500, 0);
    assert.equal(c.targetMs, 200);
    c.update(0, 0, 20);
    assert.equal(c.targetMs, 20);
  });

  it('mid-speech drops wait dropWaitMs, less when far above target; the wait survives blips', () => {
    const c = make();
    c.update(0, 0, 50); // target 20, excess 30 ms
    assert.equal(c.want, 'drop');
    assert.equal(c.dropDue(2999, 50), false);
    c.update(1000, 0, 40); // back in the band for a moment
    c.update(2000, 0, 50);
    assert.equal(c.dropDue(3000, 50), true, 'waiting since 0');
    c.adjusted();
    c.update(3000, 0, 100); // excess 80 ms: 3 frames over → a third of the wait
    assert.equal(c.dropDue(3999, 100), false);
    assert.equal(c.dropDue(4000, 100), true);
    assert.equal(c.dropDue(3000, 121), true, 'more than 4 frames over: at once');
    assert.equal(c.excessFrames(100), 4);
  });
});

describe('PacketSlots', () => {
  it('copies payloads, finds by extended sequence, reuses the view while the length holds', () => {
    const s = new PacketSlots(4, 8);
    const src = Uint8Array.of(1, 2, 3);
    s.store(5, 800, 800, true, src);
    src[0] = 9;
    const i = s.find(5, SLOT_FILLED);
    assert.deepEqual([...s.payload(i)], [1, 2, 3], 'a copy, not the caller\'s buffer');
    assert.equal(s.payload(i), s.payload(i));
    assert.equal(s.find(9, SLOT_FILLED), -1, 'same slot, other packet');
    s.store(9, 1440, 1440, false, new Uint8Array(20));
    assert.equal(s.payload(s.find(9, SLOT_FILLED)).length, 8, 'clipped to maxPayload');
    assert.throws(() => new PacketSlots(6, 8), RangeError);
  });
});
