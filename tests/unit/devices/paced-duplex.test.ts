import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestClock } from '../../support/test-clock.js';
import { PacedCapture, PacedDuplex, PacedPlayback } from '../../../src-main/media/devices/paced-device.js';
import { NullCapture, NullPlayback } from '../../../src-main/media/devices/null-device.js';

class Source extends PacedCapture {
  prepared = false;
  n = 0;
  override async prepare(): Promise<void> {
    await new Promise((r) => setImmediate(r));
    this.prepared = true;
  }

  protected fill(frame: Int16Array): void {
    frame.fill(++this.n);
  }
}

class Sink extends PacedPlayback {
  prepared = false;
  readonly played: number[] = [];
  override async prepare(): Promise<void> {
    await new Promise((r) => setImmediate(r));
    this.prepared = true;
  }

  protected sink(frame: Int16Array): void {
    this.played.push(frame[0]!);
  }
}

test('duplex: one clock captures then plays each period; both prepared before the first period', async () => {
  const clock = new TestClock();
  const cap = new Source('src', { clock });
  const play = new Sink('sink', { clock });
  const order: string[] = [];
  cap.onFrame = (f) => {
    order.push(`capture ${f[0]}`);
    play.write(f); // what the engine would send comes back next period at the earliest
  };
  play.onPeriod = () => order.push('play');
  const duplex = new PacedDuplex(cap, play, clock);
  await duplex.start();
  assert.ok(cap.prepared && play.prepared);
  assert.equal(clock.pending, 1, 'one timer for both devices');
  clock.advance(60);
  assert.deepEqual(order, ['capture 1', 'play', 'capture 2', 'play', 'capture 3', 'play']);
  assert.deepEqual(play.played, [1, 2, 3]);
  assert.equal(cap.toJSON().frames, 3);
  assert.equal(play.toJSON().framesPlayed, 3);
  assert.equal(cap.toJSON().running, true);
  await duplex.stop();
  assert.equal(clock.pending, 0);
  assert.equal(cap.toJSON().running, false);
  assert.equal(play.toJSON().running, false);
});

test('duplex: only paced devices of one period pair up', () => {
  const a = new NullCapture({ frameMs: 20 });
  assert.equal(PacedDuplex.canPair(a, new NullPlayback({ frameMs: 20 })), true);
  assert.equal(PacedDuplex.canPair(a, new NullPlayback({ frameMs: 10 })), false);
  assert.equal(PacedDuplex.canPair(a, { onPeriod: undefined }), false);
  assert.throws(() => new PacedDuplex(a, new NullPlayback({ frameMs: 10 })), /period/);
});
