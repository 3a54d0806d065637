/** Paced silence in, discard out: a device for calls without audio hardware. */
import { PacedCapture, PacedPlayback, type PacedOptions } from './paced-device.js';

export class NullCapture extends PacedCapture {
  constructor(o: PacedOptions = {}) {
    super('null', o);
  }

  protected fill(frame: Int16Array): void {
    frame.fill(0);
  }
}

export class NullPlayback extends PacedPlayback {
  constructor(o: PacedOptions & { queueFrames?: number } = {}) {
    super('null', o);
  }

  protected sink(): void {
    // discarded
  }
}
