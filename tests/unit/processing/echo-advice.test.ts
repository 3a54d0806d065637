/**
 * "Echo stays high" (issue 17: a notice suggests a headset or one device when capture and playback
 * devices differ and echo stays high): the capture stage's detection on seeded rooms, and the rule
 * for when two devices count as separate.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CaptureProcessor, createCaptureProcessor, ECHO_HIGH_SECONDS, type ProcessingSettings } from '../../../src-main/media/processing/capture-processor.js';
import type { EchoCanceller } from '../../../src-main/media/processing/echo-canceller.js';
import { separateDevices } from '../../../src-main/media/engine/engine-devices.js';
import { FRAME, makeScenario, RATE, type Scenario } from '../../support/echo-fixture.js';
import { AEC_ONLY } from './run-stage.js';

/** A canceller that cannot follow the devices (as with a drift or delay beyond its reach): removes nothing. */
const stuck: EchoCanceller = { engine: 'stuck', notePlayback() {}, process(c, o) { o.set(c); }, dispose() {} };

/** echoStaysHigh after each second of the scenario. */
function perSecond(stage: CaptureProcessor, s: Scenario): boolean[] {
  const seen: boolean[] = [];
  const play = new Int16Array(FRAME), cap = new Int16Array(FRAME);
  for (let at = 0, n = 1; at + FRAME <= s.mic.length; at += FRAME, n++) {
    play.set(s.far.subarray(at, at + FRAME));
    cap.set(s.mic.subarray(at, at + FRAME));
    stage.notePlayback(play);
    stage.processCapture(cap);
    if ((n * FRAME) % RATE === 0) seen.push(stage.stats().echoStaysHigh);
  }
  return seen;
}

describe('echo stays high (the headset advice)', () => {
  it('a canceller that removes nothing from a loud echo: reported once the far end has played for 10 s, not before', () => {
    const s = makeScenario({ seed: 91, durationS: 14 });
    const seen = perSecond(new CaptureProcessor(AEC_ONLY, { aec: stuck }, FRAME, RATE), s);
    assert.equal(ECHO_HIGH_SECONDS, 10);
    // Far-end speech has pauses (they do not count), so the report comes at 10 s or a little later.
    assert.deepEqual(seen.slice(0, 9), new Array(9).fill(false), JSON.stringify(seen));
    assert.equal(seen.at(-1), true, JSON.stringify(seen));
  });

  it('AEC3 removing the same echo: never reported', async () => {
    const s = makeScenario({ seed: 91, durationS: 14 });
    const stage = await createCaptureProcessor(AEC_ONLY, RATE, FRAME);
    const seen = perSecond(stage, s);
    stage.dispose();
    assert.ok(seen.every((v) => !v), JSON.stringify(seen));
  });

  it('a headset (the speaker barely reaches the microphone): not reported even when nothing is removed', () => {
    const s = makeScenario({ seed: 92, durationS: 14, echoGainDb: -45 });
    const seen = perSecond(new CaptureProcessor(AEC_ONLY, { aec: stuck }, FRAME, RATE), s);
    assert.ok(seen.every((v) => !v), JSON.stringify(seen));
  });

  it('echo cancellation off: never reported (there is no canceller to judge)', () => {
    const off: ProcessingSettings = { aec: false, ns: 'off', agc: false };
    const s = makeScenario({ seed: 91, durationS: 12 });
    assert.ok(perSecond(new CaptureProcessor(off, {}, FRAME, RATE), s).every((v) => !v));
  });

  it('devices are separate when both names are known and differ', () => {
    assert.deepEqual(separateDevices('MacBook Pro Microphone', 'MacBook Pro Speakers'), { input: 'MacBook Pro Microphone', output: 'MacBook Pro Speakers' });
    assert.equal(separateDevices('Jabra Evolve 40', 'Jabra Evolve 40'), undefined);
    assert.equal(separateDevices('pulse', 'pulse'), undefined);
    assert.equal(separateDevices('', 'Speakers'), undefined);
  });
});
