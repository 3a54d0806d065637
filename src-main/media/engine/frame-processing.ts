/**
 * The one place where the engine touches device audio: every captured microphone frame passes
 * `capture` before any stream sends it, and every frame written to the speaker passes `playback`
 * first (after mixing, tones and ringer). An echo canceller plugs in here: `playback` gives it
 * the far-end reference as it reaches the speaker, `capture` returns the near end with the echo
 * removed. The default passes audio through untouched. Both run on the audio clock: no
 * allocation, no waiting.
 */
import type { ProcessingSettings, ProcessingStats } from '../processing/capture-processor.js';

export interface FrameProcessing {
  /** A captured frame (device rate, mono s16); returns the frame the streams send (may be `frame`). */
  capture(frame: Int16Array): Int16Array;
  /** A frame about to be written to the playback device (device rate, mono s16). */
  playback(frame: Int16Array): void;
  /** Devices closed: forget any state tied to them. */
  reset(): void;
  /** Settings for the devices being opened. */
  configure?(settings: ProcessingSettings | undefined): void;
  /** What a call's statistics show (echo being removed). */
  stats?(): ProcessingStats | undefined;
}

export const passThrough: FrameProcessing = {
  capture: (frame) => frame,
  playback: () => {},
  reset: () => {},
};
