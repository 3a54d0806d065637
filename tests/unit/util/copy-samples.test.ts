import assert from 'node:assert/strict';
import { it } from 'node:test';
import { copySamples, PrefixView } from '../../../src-main/util/copy-samples.js';

it('copySamples copies [from, to) of the source to the destination at an offset, nothing else', () => {
  const src = Int16Array.from([1, 2, 3, 4, 5]);
  const dst = new Int16Array(6).fill(-1);
  copySamples(dst, 2, src, 1, 4);
  assert.deepEqual([...dst], [-1, -1, 2, 3, 4, -1]);
  copySamples(dst, 0, src, 3, 3);
  assert.deepEqual([...dst], [-1, -1, 2, 3, 4, -1]);
});

it('PrefixView keeps one view while the length stays, and follows the array\'s contents', () => {
  const a = new Uint8Array(8);
  const v = new PrefixView(a);
  const first = v.of(3);
  assert.equal(v.of(3), first);
  a[1] = 7;
  assert.deepEqual([...v.of(3)], [0, 7, 0]);
  const longer = v.of(5);
  assert.notEqual(longer, first);
  assert.equal(longer.length, 5);
  assert.equal(longer.buffer, a.buffer);
});
