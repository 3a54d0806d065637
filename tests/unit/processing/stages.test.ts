/** The capture stage's plumbing: bypass, noise suppression, gain control, the echo indicator. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CaptureProcessor, createCaptureProcessor } from '../../../src-main/media/processing/capture-processor.js';
import { ExpanderNoiseSuppressor } from '../../../src-main/media/processing/noise-suppressor.js';
import { LevelGainControl } from '../../../src-main/media/processing/gain-control.js';
import { rmsDbfs } from '../../support/audio-analysis.js';
import { seededRandom } from '../../support/seeded-random.js';
import { FRAME, makeScenario, RATE } from '../../support/echo-fixture.js';
import { runStage } from './run-stage.js';

const noiseFrame = (rand: () => number, dbfs: number): Float32Array => {
  const a = 10 ** (dbfs / 20) * Math.sqrt(3);
  return Float32Array.from({ length: FRAME }, () => (rand() * 2 - 1) * a);
};
const levelDb = (f: Float32Array): number => 10 * Math.log10(f.reduce((s, v) => s + v * v, 0) / f.length);

describe('capture processing stage', () => {
  it('all off: bypassed, the captured frame comes back untouched', async () => {
    const stage = await createCaptureProcessor({ aec: false, ns: 'off', agc: false }, RATE, FRAME);
    const frame = Int16Array.from({ length: FRAME }, (_, i) => (i * 37) % 2000 - 1000);
    const copy = frame.slice();
    stage.notePlayback(frame);
    assert.equal(stage.bypassed, true);
    assert.equal(stage.processCapture(frame), frame);
    assert.deepEqual(frame, copy);
    assert.equal(stage.stats().echoRemoving, false);
  });

  it('a frame of the wrong length passes untouched (never blocks or throws on the audio path)', () => {
    const stage = new CaptureProcessor({ aec: false, ns: 'low', agc: false }, { ns: new ExpanderNoiseSuppressor('low') }, FRAME);
    const short = new Int16Array(FRAME / 2).fill(100);
    assert.equal(stage.processCapture(short), short);
  });

  for (const [level, atLeast] of [['low', 5], ['high', 12]] as const) {
    it(`noise suppression ${level}: steady noise in pauses drops ≥ ${atLeast} dB, speech-level frames pass within 1 dB`, () => {
      const ns = new ExpanderNoiseSuppressor(level);
      const rand = seededRandom(7);
      let f = noiseFrame(rand, -60);
      for (let i = 0; i < 100; i++) { f = noiseFrame(rand, -60); ns.process(f); }
      assert.ok(levelDb(f) <= -60 - atLeast, `noise after NS ${levelDb(f).toFixed(1)} dBFS`);
      // A talker 30 dB above the floor: a few frames to open, then untouched.
      for (let i = 0; i < 5; i++) { f = noiseFrame(rand, -30); ns.process(f); }
      const before = noiseFrame(rand, -30), after = before.slice();
      ns.process(after);
      assert.ok(Math.abs(levelDb(after) - levelDb(before)) <= 1, `speech changed ${(levelDb(after) - levelDb(before)).toFixed(2)} dB`);
    });
  }

  it('gain control: quiet speech (-38 dBFS) rises towards -20 dBFS within 10 s, loud frames never clip', () => {
    const agc = new LevelGainControl();
    const rand = seededRandom(9);
    let f = noiseFrame(rand, -38);
    for (let i = 0; i < 500; i++) { f = noiseFrame(rand, -38); agc.process(f); }
    assert.ok(levelDb(f) >= -24 && levelDb(f) <= -18, `level after AGC ${levelDb(f).toFixed(1)} dBFS (gain ${agc.gainDb.toFixed(1)} dB)`);
    const loud = Float32Array.from({ length: FRAME }, (_, i) => 0.9 * Math.sin(i / 5));
    agc.process(loud);
    assert.ok(Math.max(...loud.map(Math.abs)) <= 10 ** (-1 / 20) + 1e-6);
  });

  it('echo indicator: on while the far end plays and echo is removed, never with AEC off', async () => {
    const s = makeScenario({ seed: 71, durationS: 6 });
    const on = await runStage(s, { aec: true, ns: 'off', agc: false });
    const off = await runStage(s, { aec: false, ns: 'off', agc: false });
    const late = on.echoRemoving.slice(100);
    assert.ok(late.filter(Boolean).length >= 0.9 * late.length, `indicator on in ${late.filter(Boolean).length}/${late.length} frames`);
    assert.equal(off.echoRemoving.some(Boolean), false);
    // With AEC off the capture passes at its level (NS/AGC off): nothing else touches it.
    assert.ok(Math.abs(rmsDbfs(Int16Array.from(off.out)) - rmsDbfs(s.mic)) < 0.01);
  });
});
