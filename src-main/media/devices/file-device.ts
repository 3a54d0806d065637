/**
 * Real-time-paced file devices for automation and tests. Capture plays a WAV (converted once at
 * start to mono s16 at the device rate) in a loop; playback records what the device would have
 * played — including silence on underrun — to a WAV, finalized on stop.
 */
import type { PacedOptions } from './paced-device.js';
import { PacedCapture, PacedPlayback } from './paced-device.js';
import { loadWavMono } from './wav-source.js';
import { copySamples } from '../../util/copy-samples.js';
import { WavFileWriter } from './wav-writer.js';

export interface FileCaptureOptions extends PacedOptions {
  path: string;
  /** Start again at the end (default); otherwise silence follows the end. */
  loop?: boolean;
}

export class FileCapture extends PacedCapture {
  private samples: Int16Array | undefined;
  private pos = 0;
  private readonly loop: boolean;
  /** Passes through the whole file so far. */
  loops = 0;

  constructor(private readonly o: FileCaptureOptions) {
    super(o.path, o);
    this.loop = o.loop ?? true;
  }

  override async prepare(): Promise<void> {
    this.samples ??= await loadWavMono(this.o.path, this.rate, this.loop);
  }

  protected fill(frame: Int16Array): void {
    const src = this.samples!;
    let o = 0;
    while (o < frame.length) {
      if (this.pos >= src.length) {
        if (src.length > 0) this.loops++;
        if (!this.loop || src.length === 0) {
          frame.fill(0, o);
          return;
        }
        this.pos = 0;
      }
      const n = Math.min(frame.length - o, src.length - this.pos);
      copySamples(frame, o, src, this.pos, this.pos + n);
      o += n;
      this.pos += n;
    }
  }
}

export interface FilePlaybackOptions extends PacedOptions {
  path: string;
  queueFrames?: number;
}

export class FilePlayback extends PacedPlayback {
  private writer: WavFileWriter | undefined;

  constructor(private readonly o: FilePlaybackOptions) {
    super(o.path, o);
  }

  override async prepare(): Promise<void> {
    this.writer ??= await WavFileWriter.create(this.o.path, this.rate);
  }

  /** Stops pacing, writes what is buffered and finalizes the WAV header. */
  override async stop(): Promise<void> {
    await super.stop();
    const w = this.writer;
    this.writer = undefined;
    if (!w) return;
    try {
      await w.close();
    } catch (e) {
      this.emit('error', e instanceof Error ? e : new Error(String(e)));
    }
  }

  protected sink(frame: Int16Array): void {
    this.writer?.append(frame);
  }
}
