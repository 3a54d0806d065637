/**
 * Capture and playback driven by a FramePacer on an injected clock: the base of the file and null
 * devices (automation and tests). A subclass supplies where frames come from / go to.
 */
import { EventEmitter } from 'node:events';
import type { Clock } from '../../util/clock.js';
import { systemClock } from '../../util/clock.js';
import {
  DEFAULT_FRAME_MS, DEFAULT_RATE, frameSamplesOf,
  type CaptureDevice, type CaptureStats, type DeviceEventMap, type FrameFormat, type FrameHandler,
  type LevelReading, type PlaybackDevice, type PlaybackStats,
} from './audio-device.js';
import { FramePacer } from './frame-pacer.js';
import { LevelMeter } from './level-meter.js';
import { PlaybackQueue } from './playback-queue.js';

export interface PacedOptions extends FrameFormat {
  clock?: Clock;
}

export abstract class PacedCapture extends EventEmitter<DeviceEventMap> implements CaptureDevice {
  readonly rate: number;
  readonly frameSamples: number;
  onFrame: FrameHandler | undefined;
  muted = false;
  private readonly frame: Int16Array;
  private readonly meter = new LevelMeter();
  private readonly pacer: FramePacer;

  constructor(readonly name: string, o: PacedOptions) {
    super();
    this.rate = o.rate ?? DEFAULT_RATE;
    this.frameSamples = frameSamplesOf(o);
    this.frame = new Int16Array(this.frameSamples);
    this.pacer = new FramePacer(o.clock ?? systemClock(), o.frameMs ?? DEFAULT_FRAME_MS, this.deliver);
  }

  /** Writes the next frame of input into `frame`. */
  protected abstract fill(frame: Int16Array): void;

  get level(): Readonly<LevelReading> {
    return this.meter.reading;
  }

  async start(): Promise<void> {
    this.pacer.start();
  }

  async stop(): Promise<void> {
    this.pacer.stop();
  }

  private readonly deliver = (): void => {
    this.fill(this.frame);
    this.meter.measure(this.frame);
    if (this.muted) this.frame.fill(0);
    this.onFrame?.(this.frame);
  };

  toJSON(): CaptureStats {
    return {
      device: this.name, running: this.pacer.isRunning, frames: this.pacer.frames, muted: this.muted,
      level: { ...this.meter.reading }, reopens: 0,
    };
  }
}

/** Queue capacity of paced playback devices, in frames. */
export const PACED_QUEUE_FRAMES = 5;

export abstract class PacedPlayback extends EventEmitter<DeviceEventMap> implements PlaybackDevice {
  readonly rate: number;
  readonly frameSamples: number;
  onPeriod: (() => void) | undefined;
  protected readonly queue: PlaybackQueue;
  private readonly frame: Int16Array;
  private readonly pacer: FramePacer;

  constructor(readonly name: string, o: PacedOptions & { queueFrames?: number }) {
    super();
    this.rate = o.rate ?? DEFAULT_RATE;
    this.frameSamples = frameSamplesOf(o);
    this.frame = new Int16Array(this.frameSamples);
    this.queue = new PlaybackQueue(this.frameSamples * (o.queueFrames ?? PACED_QUEUE_FRAMES));
    this.pacer = new FramePacer(o.clock ?? systemClock(), o.frameMs ?? DEFAULT_FRAME_MS, this.play);
  }

  /** Receives every frame the device "plays" (silence where the queue ran dry). */
  protected abstract sink(frame: Int16Array): void;

  write(pcm: Int16Array): void {
    this.queue.write(pcm);
  }

  async start(): Promise<void> {
    this.pacer.start();
  }

  async stop(): Promise<void> {
    this.pacer.stop();
  }

  private readonly play = (): void => {
    this.onPeriod?.();
    this.queue.read(this.frame);
    this.sink(this.frame);
  };

  toJSON(): PlaybackStats {
    return {
      device: this.name, running: this.pacer.isRunning, framesPlayed: this.pacer.frames,
      framesQueued: this.queue.queued / this.frameSamples, underruns: this.queue.underruns,
      overflows: this.queue.overflows, reopens: 0,
    };
  }
}
