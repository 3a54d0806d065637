/** Runs a scenario through the capture-processing stage frame by frame, as the media worker does. */
import { createCaptureProcessor, type ProcessingSettings } from '../../../src-main/media/processing/capture-processor.js';
import { FRAME, RATE, type Scenario } from '../../support/echo-fixture.js';

export const AEC_ONLY: ProcessingSettings = { aec: true, ns: 'off', agc: false };

export async function runStage(s: Scenario, settings: ProcessingSettings): Promise<{ out: Float64Array; echoRemoving: boolean[] }> {
  const stage = await createCaptureProcessor(settings, RATE, FRAME);
  const out = new Float64Array(s.mic.length);
  const echoRemoving: boolean[] = [];
  const play = new Int16Array(FRAME), cap = new Int16Array(FRAME);
  for (let at = 0; at + FRAME <= s.mic.length; at += FRAME) {
    play.set(s.far.subarray(at, at + FRAME));
    cap.set(s.mic.subarray(at, at + FRAME));
    // Playback of a period is written before that period's capture is read (one duplex tick).
    stage.notePlayback(play);
    out.set(stage.processCapture(cap), at);
    echoRemoving.push(stage.stats().echoRemoving);
  }
  stage.dispose();
  return { out, echoRemoving };
}
