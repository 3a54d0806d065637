/**
 * The local conference's N−1 mix: each member sends the microphone plus what every other member
 * played last period, saturating to 16 bits, and never its own audio.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConferenceMixer } from '../../../src-main/media/engine/conference-mixer.js';

const frame = (...v: number[]) => Int16Array.from(v);

describe('ConferenceMixer', () => {
  const played = new Map([['a', frame(100, -200, 30000)], ['b', frame(1, 2, 30000)], ['c', frame(-5, 5, -5)]]);
  const lastPlayed = (id: string) => played.get(id);

  it('mixes the microphone with every other member, not the member itself', () => {
    const m = new ConferenceMixer();
    m.set(['a', 'b', 'c']);
    assert.deepEqual([...m.mix(frame(10, 10, 0), 'a', lastPlayed)], [10 + 1 - 5, 10 + 2 + 5, 30000 - 5]);
    assert.deepEqual([...m.mix(frame(0, 0, 0), 'c', lastPlayed)], [101, -198, 32767]);
  });

  it('saturates at both ends and reuses its buffer', () => {
    const m = new ConferenceMixer();
    m.set(['x', 'y']);
    const loud = new Map([['y', frame(32767, -32768)]]);
    const first = m.mix(frame(100, -100), 'x', (id) => loud.get(id));
    assert.deepEqual([...first], [32767, -32768]);
    assert.equal(m.mix(frame(0, 0), 'x', (id) => loud.get(id)), first, 'same buffer each frame');
  });

  it('leaves out members that left or have no audio, and an empty set ends the conference', () => {
    const m = new ConferenceMixer();
    m.set(['a', 'b', 'gone']);
    m.delete('b');
    assert.equal(m.has('b'), false);
    assert.deepEqual([...m.mix(frame(1, 1, 1), 'gone', lastPlayed)], [101, -199, 30001]);
    m.set([]);
    assert.equal(m.has('a'), false);
  });
});
