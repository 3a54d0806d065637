/** The engine's FrameProcessing adapter around the capture stage (media/engine/echo-processing.ts). */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { EchoProcessing } from '../../../src-main/media/engine/echo-processing.js';
import { FRAME, makeScenario, RATE } from '../../support/echo-fixture.js';
import { erleDb } from '../../support/echo-metrics.js';
import { seededRandom } from '../../support/seeded-random.js';

/**
 * Waits until the stage built off the audio path is in place. Its WebAssembly compiles on V8's
 * background threads, so a count of event-loop turns is no bound on a loaded machine (1000 turns
 * once ran out before SpeexDSP was ready): poll every 5 ms, at most 20 s.
 */
async function ready(p: EchoProcessing): Promise<void> {
  for (let i = 0; i < 4000 && !p.stats(); i++) await sleep(5);
  assert.ok(p.stats(), 'stage never became ready');
}

describe('EchoProcessing (the engine seam)', () => {
  it('passes frames untouched until the stage is ready, then removes echo of what the engine played', async () => {
    const s = makeScenario({ seed: 81, durationS: 8 });
    const p = new EchoProcessing(RATE);
    p.configure({ aec: true, ns: 'off', agc: false });
    const first = s.mic.slice(0, FRAME);
    assert.equal(p.capture(first), first);
    await ready(p);
    const out = new Float64Array(s.mic.length);
    for (let at = 0; at + FRAME <= s.mic.length; at += FRAME) {
      // The engine's period: the mixed frame goes to the speaker, then the microphone's frame is read.
      p.playback(s.far.slice(at, at + FRAME));
      out.set(p.capture(s.mic.slice(at, at + FRAME)), at);
    }
    const steady = erleDb(s.echo, out, RATE, 4, 8);
    assert.ok(steady >= 30, `ERLE through the engine seam ${steady.toFixed(1)} dB`);
    assert.equal(p.stats()?.echoRemoving, true);
  });

  it('aec off, ns off, agc off: frames come back as they are; reset forgets the stage', async () => {
    const p = new EchoProcessing(RATE);
    p.configure({ aec: false, ns: 'off', agc: false });
    const f = new Int16Array(FRAME).fill(1234);
    p.capture(f);
    await ready(p);
    assert.equal(p.capture(f), f);
    assert.equal(p.stats()?.aec, false);
    p.reset();
    assert.equal(p.stats(), undefined);
  });

  it('noise suppression alone: frames pass untouched until RNNoise is loaded, then noise drops', async () => {
    const p = new EchoProcessing(RATE);
    p.configure({ aec: false, ns: 'high', agc: false });
    const rand = seededRandom(5);
    const noise = () => Int16Array.from({ length: FRAME }, () => Math.round((rand() * 2 - 1) * 300));
    const first = noise();
    assert.equal(p.capture(first), first);
    await ready(p);
    assert.equal(p.stats()?.ns, 'high');
    let inE = 0, outE = 0;
    for (let i = 0; i < 100; i++) {
      const f = noise();
      const out = p.capture(f);
      if (i < 50) continue;
      for (let j = 0; j < FRAME; j++) { inE += f[j]! ** 2; outE += out[j]! ** 2; }
    }
    assert.ok(10 * Math.log10(inE / Math.max(outE, 1)) >= 20, `white noise at -44 dBFS lowered ${(10 * Math.log10(inE / Math.max(outE, 1))).toFixed(1)} dB`);
  });

  it('NS low alone (SpeexDSP): frames pass untouched until its module is loaded, then white noise drops >= 12 dB', async () => {
    const p = new EchoProcessing(RATE);
    p.configure({ aec: false, ns: 'low', agc: false });
    const rand = seededRandom(6);
    const noise = () => Int16Array.from({ length: FRAME }, () => Math.round((rand() * 2 - 1) * 300));
    const first = noise();
    assert.equal(p.capture(first), first);
    await ready(p);
    assert.equal(p.stats()?.ns, 'low');
    let inE = 0, outE = 0;
    for (let i = 0; i < 150; i++) {
      const f = noise();
      const out = p.capture(f);
      if (i < 100) continue;
      for (let j = 0; j < FRAME; j++) { inE += f[j]! ** 2; outE += out[j]! ** 2; }
    }
    const db = 10 * Math.log10(inE / Math.max(outE, 1));
    // Speex's deepest attenuation is 15 dB.
    assert.ok(db >= 12 && db <= 16, `white noise at -44 dBFS lowered ${db.toFixed(1)} dB`);
  });

  it('new settings rebuild the stage (AEC on -> off)', async () => {
    const p = new EchoProcessing(RATE);
    p.configure({ aec: true, ns: 'low', agc: true });
    p.capture(new Int16Array(FRAME));
    await ready(p);
    assert.equal(p.stats()?.aec, true);
    p.configure({ aec: false, ns: 'high', agc: false });
    await ready(p);
    assert.deepEqual([p.stats()?.aec, p.stats()?.ns, p.stats()?.agc], [false, 'high', false]);
  });
});
