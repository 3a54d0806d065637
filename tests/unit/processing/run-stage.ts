/** Runs a scenario through the capture-processing stage frame by frame (20 ms at the scenario's rate), as the media worker does. */
import { createCaptureProcessor, type ProcessingSettings } from '../../../src-main/media/processing/capture-processor.js';
import type { Scenario } from '../../support/echo-fixture.js';

export const AEC_ONLY: ProcessingSettings = { aec: true, ns: 'off', agc: false };

export async function runStage(s: Scenario, settings: ProcessingSettings): Promise<{ out: Float64Array; echoRemoving: boolean[] }> {
  const frame = s.rate / 50;
  const stage = await createCaptureProcessor(settings, s.rate, frame);
  const out = new Float64Array(s.mic.length);
  const echoRemoving: boolean[] = [];
  const play = new Int16Array(frame), cap = new Int16Array(frame);
  for (let at = 0; at + frame <= s.mic.length; at += frame) {
    play.set(s.far.subarray(at, at + frame));
    cap.set(s.mic.subarray(at, at + frame));
    // Playback of a period is written before that period's capture is read (one duplex tick).
    stage.notePlayback(play);
    out.set(stage.processCapture(cap), at);
    echoRemoving.push(stage.stats().echoRemoving);
  }
  stage.dispose();
  return { out, echoRemoving };
}
