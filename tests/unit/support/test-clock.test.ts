/** The one manual clock of the tests: order, nesting, clearing, nextDue. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestClock } from '../../support/test-clock.js';

test('due timers fire in (time, creation) order, each at its own time; later ones wait', () => {
  const clock = new TestClock();
  const fired: string[] = [];
  clock.setTimeout(() => fired.push(`b@${clock.now()}`), 20);
  clock.setTimeout(() => fired.push(`a@${clock.now()}`), 10);
  clock.setTimeout(() => fired.push(`c@${clock.now()}`), 20);
  clock.setTimeout(() => fired.push(`late@${clock.now()}`), 31);
  clock.advance(30);
  assert.deepEqual(fired, ['a@10', 'b@20', 'c@20']);
  assert.equal(clock.now(), 30);
  assert.equal(clock.pending, 1);
  assert.equal(clock.nextDue(), 31);
});

test('a timer set by a firing timer fires in the same advance when due; cleared ones never fire', () => {
  const clock = new TestClock();
  const fired: number[] = [];
  clock.setTimeout(() => clock.setTimeout(() => fired.push(clock.now()), 5), 10);
  const cleared = clock.setTimeout(() => fired.push(-1), 12);
  clock.setTimeout(() => fired.push(clock.now()), 0);
  clock.clearTimeout(cleared);
  assert.equal(clock.nextDue(), 0);
  clock.advance(15);
  assert.deepEqual(fired, [0, 15]);
  assert.equal(clock.pending, 0);
  assert.equal(clock.nextDue(), undefined);
});
