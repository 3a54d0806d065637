/**
 * The engine's FrameProcessing with the capture stage (media/processing): echo cancellation
 * against the frames written to the speaker, then noise suppression and gain control. The stage
 * is built off the audio path (its WebAssembly loads asynchronously) when devices open with new
 * settings, or on the first frame of a new length; until it is ready, and whenever every stage is
 * off, frames pass untouched. A stage that throws is dropped for this device session (pass-through)
 * rather than stopping the audio.
 */
import { createCaptureProcessor, preloadProcessing, type CaptureProcessor, type ProcessingSettings, type ProcessingStats } from '../processing/capture-processor.js';
import type { FrameProcessing } from './frame-processing.js';

const PASS_THROUGH: ProcessingSettings = { aec: false, ns: 'off', agc: false };

export class EchoProcessing implements FrameProcessing {
  private stage: CaptureProcessor | undefined;
  private settings: ProcessingSettings = PASS_THROUGH;
  private frameSamples = 0;
  /** Bumped by every rebuild: a slower, older build never replaces a newer one. */
  private generation = 0;
  private failed = false;

  constructor(private readonly rate: number, private readonly onError: (e: Error) => void = () => {}) {}

  /**
   * Settings for the devices being opened (from the host's open-devices request). None given: no
   * processing (file and null devices have no acoustic path; the core sends settings for real ones).
   */
  configure(settings: ProcessingSettings | undefined): void {
    const next = settings ?? PASS_THROUGH;
    // The noise suppressor's model loads now, as the devices open, rather than after their first
    // frame; a failure shows when the stage is built (onError), so it is not reported twice.
    preloadProcessing(next).catch(() => {});
    const same = next.aec === this.settings.aec && next.ns === this.settings.ns && next.agc === this.settings.agc;
    this.settings = next;
    if (!same && this.frameSamples) this.rebuild();
  }

  capture(frame: Int16Array): Int16Array {
    if (frame.length !== this.frameSamples) {
      this.frameSamples = frame.length;
      this.rebuild();
      return frame;
    }
    const stage = this.stage;
    if (!stage || this.failed) return frame;
    try {
      return stage.processCapture(frame);
    } catch (e) {
      this.fail(e);
      return frame;
    }
  }

  playback(frame: Int16Array): void {
    if (!this.stage || this.failed || frame.length !== this.frameSamples) return;
    try {
      this.stage.notePlayback(frame);
    } catch (e) {
      this.fail(e);
    }
  }

  reset(): void {
    this.generation++;
    this.stage?.dispose();
    this.stage = undefined;
    this.frameSamples = 0;
    this.failed = false;
  }

  stats(): ProcessingStats | undefined {
    return this.stage && !this.failed ? this.stage.stats() : undefined;
  }

  private rebuild(): void {
    const generation = ++this.generation;
    this.stage?.dispose();
    this.stage = undefined;
    this.failed = false;
    const { settings, frameSamples } = this;
    const nsFailed = (e: Error) => this.onError(new Error(`noise suppression (its module did not load: ${e.message}); echo cancellation and gain control still run`));
    createCaptureProcessor(settings, this.rate, frameSamples, nsFailed).then((stage) => {
      if (generation !== this.generation) stage.dispose();
      else this.stage = stage;
    }, (e: unknown) => this.onError(e instanceof Error ? e : new Error(String(e))));
  }

  private fail(e: unknown): void {
    this.failed = true;
    this.onError(new Error(`audio processing stopped: ${e instanceof Error ? e.message : String(e)}`));
  }
}
