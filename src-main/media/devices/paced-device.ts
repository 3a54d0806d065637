/**
 * Capture and playback driven by a FramePacer on an injected clock: the base of the file and null
 * devices (automation and tests). A subclass supplies where frames come from / go to. Each device
 * can run on its own pacer (start()), or a PacedDuplex drives a capture and a playback from one
 * clock, as a full-duplex sound card's callback does: one wake-up per period instead of two.
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

/** Capture frames per level measurement (5 × 20 ms: as often as the engine reports levels). */
export const METER_EVERY = 5;

export interface PacedOptions extends FrameFormat {
  clock?: Clock;
}

/**
 * What paced capture and playback share: the frame format, the frame buffer, and a pacer that runs
 * `period` once per frame on its own, unless a PacedDuplex drives the device.
 */
abstract class PacedDevice extends EventEmitter<DeviceEventMap> {
  readonly rate: number;
  readonly frameSamples: number;
  readonly frameMs: number;
  protected readonly frame: Int16Array;
  protected frames = 0;
  private readonly pacer: FramePacer;
  /** Driven by a PacedDuplex (its own pacer stays stopped). */
  private driven = false;

  constructor(readonly name: string, o: PacedOptions) {
    super();
    this.rate = o.rate ?? DEFAULT_RATE;
    this.frameSamples = frameSamplesOf(o);
    this.frameMs = o.frameMs ?? DEFAULT_FRAME_MS;
    this.frame = new Int16Array(this.frameSamples);
    this.pacer = new FramePacer(o.clock ?? systemClock(), this.frameMs, () => this.period());
  }

  /** One period of the device (deliver a frame, or play one). */
  protected abstract period(): void;

  /** Gets the device ready (e.g. reads or creates the file) without starting the clock. */
  async prepare(): Promise<void> {}

  async start(): Promise<void> {
    await this.prepare();
    this.pacer.start();
  }

  async stop(): Promise<void> {
    this.pacer.stop();
    this.driven = false;
  }

  /** From now on a PacedDuplex drives the device (stop() ends that). */
  drive(): void {
    this.driven = true;
  }

  protected get running(): boolean {
    return this.pacer.isRunning || this.driven;
  }
}

export abstract class PacedCapture extends PacedDevice implements CaptureDevice {
  onFrame: FrameHandler | undefined;
  muted = false;
  private readonly meter = new LevelMeter();
  /** The level is measured on one frame in METER_EVERY (the UI reads it every 100 ms). */
  private sinceMeter = METER_EVERY;

  /** Writes the next frame of input into `frame`. */
  protected abstract fill(frame: Int16Array): void;

  get level(): Readonly<LevelReading> {
    return this.meter.reading;
  }

  protected period(): void {
    this.deliver();
  }

  /** One period: the next frame goes to onFrame. Called by the own pacer or a PacedDuplex. */
  readonly deliver = (): void => {
    this.frames++;
    this.fill(this.frame);
    if (++this.sinceMeter >= METER_EVERY) {
      this.sinceMeter = 0;
      this.meter.measure(this.frame);
    }
    if (this.muted) this.frame.fill(0);
    this.onFrame?.(this.frame);
  };

  toJSON(): CaptureStats {
    return {
      device: this.name, running: this.running, frames: this.frames, muted: this.muted,
      level: { ...this.meter.reading }, reopens: 0,
    };
  }
}

/** Queue capacity of paced playback devices, in frames. */
export const PACED_QUEUE_FRAMES = 5;

export abstract class PacedPlayback extends PacedDevice implements PlaybackDevice {
  onPeriod: (() => void) | undefined;
  protected readonly queue: PlaybackQueue;

  constructor(name: string, o: PacedOptions & { queueFrames?: number }) {
    super(name, o);
    this.queue = new PlaybackQueue(this.frameSamples * (o.queueFrames ?? PACED_QUEUE_FRAMES));
  }

  /** Receives every frame the device "plays" (silence where the queue ran dry). */
  protected abstract sink(frame: Int16Array): void;

  write(pcm: Int16Array): void {
    this.queue.write(pcm);
  }

  protected period(): void {
    this.play();
  }

  /** One period: the engine may write the next frame (onPeriod), then one frame is played. */
  readonly play = (): void => {
    this.frames++;
    this.onPeriod?.();
    this.queue.read(this.frame);
    this.sink(this.frame);
  };

  toJSON(): PlaybackStats {
    return {
      device: this.name, running: this.running, framesPlayed: this.frames,
      framesQueued: this.queue.queued / this.frameSamples, underruns: this.queue.underruns,
      overflows: this.queue.overflows, reopens: 0,
    };
  }
}

/**
 * One clock for a paced capture and a paced playback of the same period, as a full-duplex sound
 * card's callback: each period first captures (the engine encodes and sends), then plays (the
 * engine mixes what arrived and the device plays it). One wake-up per period instead of two, and
 * no phase between two clocks. Both devices are prepared before the clock starts, so their first
 * frames share one instant (file devices: sample n of the recording is period n of the capture).
 */
export class PacedDuplex {
  private readonly pacer: FramePacer;

  constructor(readonly capture: PacedCapture, readonly playback: PacedPlayback, clock: Clock = systemClock()) {
    if (capture.frameMs !== playback.frameMs) throw new RangeError(`duplex: capture period ${capture.frameMs} ms ≠ playback period ${playback.frameMs} ms`);
    this.pacer = new FramePacer(clock, capture.frameMs, this.period);
  }

  /** Two devices of one period, both paced, share one clock; anything else keeps its own. */
  static canPair(capture: unknown, playback: unknown): capture is PacedCapture {
    return capture instanceof PacedCapture && playback instanceof PacedPlayback && capture.frameMs === playback.frameMs;
  }

  private readonly period = (): void => {
    this.capture.deliver();
    this.playback.play();
  };

  async start(): Promise<void> {
    await this.capture.prepare();
    await this.playback.prepare();
    this.capture.drive();
    this.playback.drive();
    this.pacer.start();
  }

  /** Stops the clock, then each device (a file playback finalises its recording). */
  async stop(): Promise<void> {
    this.pacer.stop();
    await this.capture.stop();
    await this.playback.stop();
  }

  get skipped(): number {
    return this.pacer.skipped;
  }
}
