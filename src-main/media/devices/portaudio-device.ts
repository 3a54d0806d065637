/**
 * Capture and playback on PortAudio (naudiodon2). Devices are chosen by name; a missing name falls
 * back to the default device (`fallback` event). A device that fails or goes silent mid-call
 * (no frame for `stallMs`, or none within `startupMs` of opening) is abandoned: `device-lost`, then the default device is opened,
 * retried every `retryMs` until it works or stop() is called.
 *
 *   idle ──start()──▶ running ──error/stall──▶ lost ──reopen ok──▶ running
 *     ▲                  │                      │ reopen fails: `error`, retry
 *     └──── stop() ◀─────┴──────────────────────┘              (stopped = idle)
 *
 * The native side allocates a Buffer and a Promise per frame (naudiodon2's design); frames are
 * copied into preallocated buffers here, and nothing on this path logs or locks.
 */
import { EventEmitter } from 'node:events';
import type { Clock, TimerHandle } from '../../util/clock.js';
import { systemClock } from '../../util/clock.js';
import {
  DEFAULT_RATE, frameSamplesOf,
  type CaptureDevice, type CaptureStats, type DeviceEventMap, type FrameFormat, type FrameHandler,
  type LevelReading, type PlaybackDevice, type PlaybackStats,
} from './audio-device.js';
import { LevelMeter } from './level-meter.js';
import { PlaybackQueue } from './playback-queue.js';
import {
  loadPortAudio, selectDevice, SAMPLE_FORMAT_INT16,
  type Direction, type PaBinding, type PaStream, type PaStreamOptions,
} from './portaudio-binding.js';

/** Testbed finding: smaller output buffers underflow on PulseAudio's ALSA plugin (~1.75 s gaps). */
export const OUTPUT_FRAMES_PER_BUFFER = 960;
/** Chunks the native queue holds. */
export const NATIVE_MAX_QUEUE = 2;
export const DEFAULT_STALL_MS = 1000;
/** Grace for the first frame after opening (PulseAudio's ALSA plugin takes ~1.6 s to start output). */
export const DEFAULT_STARTUP_MS = 4000;
/** Frames after which a new stream counts as flowing (the first few only fill buffers, then it may pause). */
export const FLOWING_FRAMES = 10;
export const DEFAULT_RETRY_MS = 1000;
/** How long stop() waits for the native stream to close (a dead stream never does). */
export const QUIT_TIMEOUT_MS = 1000;

export interface PortAudioOptions extends FrameFormat {
  /** Device name; undefined = the default device. */
  device?: string;
  clock?: Clock;
  /** Injected for tests; default: naudiodon2, loaded on first start(). */
  binding?: PaBinding;
  /** No frame for this long (once frames flowed) = device lost. */
  stallMs?: number;
  /** No first frame for this long after opening = device lost. */
  startupMs?: number;
  retryMs?: number;
}

export enum PaState { Idle = 'idle', Running = 'running', Lost = 'lost' }

abstract class PortAudioDevice extends EventEmitter<DeviceEventMap> {
  readonly rate: number;
  readonly frameSamples: number;
  state = PaState.Idle;
  /** Name of the device in use. */
  device = '';
  reopens = 0;
  protected readonly clock: Clock;
  private binding: PaBinding | undefined;
  private stream: PaStream | undefined;
  /** Bumped whenever a stream is abandoned: its pending callbacks then do nothing. */
  protected gen = 0;
  private lastProgress = 0;
  /** Frames moved since the stream was opened. */
  private moved = 0;
  private watchdog: TimerHandle | undefined;

  constructor(private readonly dir: Direction, protected readonly o: PortAudioOptions) {
    super();
    this.rate = o.rate ?? DEFAULT_RATE;
    this.frameSamples = frameSamplesOf(o);
    this.clock = o.clock ?? systemClock();
    this.binding = o.binding;
  }

  /** Moves frames while `gen` is current. */
  protected abstract pump(stream: PaStream, gen: number): Promise<void>;

  async start(): Promise<void> {
    if (this.state !== PaState.Idle) return;
    this.binding ??= loadPortAudio();
    this.open(this.o.device); // throws when no device at all can be opened
    this.arm();
  }

  async stop(): Promise<void> {
    this.state = PaState.Idle;
    this.clock.clearTimeout(this.watchdog);
    this.watchdog = undefined;
    await this.abandon();
  }

  protected progress(): void {
    this.lastProgress = this.clock.now();
    this.moved++;
  }

  /** The stream failed: report, abandon it, reopen the default device. */
  protected lost(reason: string): void {
    if (this.state !== PaState.Running) return;
    this.emit('device-lost', { device: this.device, reason });
    this.state = PaState.Lost;
    void this.abandon();
    this.reopen();
  }

  private open(name: string | undefined): void {
    const b = this.binding!;
    let sel = selectDevice(b, this.dir, name);
    let stream: PaStream;
    try {
      stream = this.create(b, sel.deviceId);
    } catch (e) {
      if (sel.deviceId === -1) throw e;
      sel = { ...selectDevice(b, this.dir, undefined), fallbackReason: `"${sel.name}" failed to open: ${(e as Error).message}` };
      stream = this.create(b, -1);
    }
    if (sel.fallbackReason && name !== undefined) {
      this.emit('fallback', { requested: name, using: sel.name, reason: sel.fallbackReason });
    }
    this.device = sel.name;
    this.stream = stream;
    this.state = PaState.Running;
    const gen = ++this.gen;
    this.lastProgress = this.clock.now();
    this.moved = 0;
    this.pump(stream, gen).catch((e: unknown) => {
      if (gen === this.gen) this.lost(e instanceof Error ? e.message : String(e));
    });
  }

  private create(b: PaBinding, deviceId: number): PaStream {
    const opts: PaStreamOptions = {
      deviceId, sampleRate: this.rate, channelCount: 1, sampleFormat: SAMPLE_FORMAT_INT16,
      framesPerBuffer: this.dir === 'output' ? Math.max(OUTPUT_FRAMES_PER_BUFFER, this.frameSamples) : this.frameSamples,
      maxQueue: NATIVE_MAX_QUEUE, closeOnError: false,
    };
    const s = b.create(this.dir === 'input' ? { inOptions: opts } : { outOptions: opts });
    s.start();
    return s;
  }

  private reopen(): void {
    const requested = this.o.device;
    const before = this.device;
    try {
      this.open(undefined);
      this.reopens++;
      if (requested !== undefined) {
        this.emit('fallback', { requested, using: this.device, reason: `"${before}" was lost` });
      }
    } catch (e) {
      this.emit('error', new Error(`reopening the default ${this.dir} device failed: ${(e as Error).message}`));
    }
  }

  /** Checks for a stalled device and retries a lost one, every retryMs/stallMs. */
  private arm(): void {
    const stall = this.o.stallMs ?? DEFAULT_STALL_MS;
    const period = Math.min(stall / 2, this.o.retryMs ?? DEFAULT_RETRY_MS);
    this.watchdog = this.clock.setTimeout(() => {
      switch (this.state) {
        case PaState.Idle:
          return;
        case PaState.Running: {
          const limit = this.moved >= FLOWING_FRAMES ? stall : (this.o.startupMs ?? DEFAULT_STARTUP_MS);
          if (this.clock.now() - this.lastProgress >= limit) this.lost(`no audio for ${limit} ms`);
          break;
        }
        case PaState.Lost:
          this.reopen();
          break;
      }
      this.arm();
    }, period);
  }

  /** Closes the current stream without trusting it to close (a dead device can hang quit()). */
  private async abandon(): Promise<void> {
    const s = this.stream;
    this.stream = undefined;
    this.gen++;
    if (!s) return;
    let timer: TimerHandle | undefined;
    const timeout = new Promise<void>((r) => { timer = this.clock.setTimeout(r, QUIT_TIMEOUT_MS); });
    await Promise.race([s.quit('ABORT').catch(() => undefined), timeout]);
    this.clock.clearTimeout(timer);
  }
}

export class PortAudioCapture extends PortAudioDevice implements CaptureDevice {
  onFrame: FrameHandler | undefined;
  muted = false;
  frames = 0;
  private readonly frame: Int16Array;
  private readonly frameBytes: Uint8Array;
  private readonly meter = new LevelMeter();

  constructor(o: PortAudioOptions = {}) {
    super('input', o);
    this.frame = new Int16Array(this.frameSamples);
    this.frameBytes = new Uint8Array(this.frame.buffer);
  }

  get level(): Readonly<LevelReading> {
    return this.meter.reading;
  }

  protected async pump(stream: PaStream, gen: number): Promise<void> {
    const bytes = this.frameBytes.length;
    while (gen === this.gen) {
      const r = await stream.read(bytes);
      if (gen !== this.gen) return;
      if (r.err) {
        this.emit('error', new Error(r.err));
        continue;
      }
      if (r.finished || !r.buf || r.buf.length !== bytes) return this.lost('capture stream ended');
      this.frameBytes.set(r.buf); // s16 little-endian, as the host
      this.progress();
      this.meter.measure(this.frame);
      if (this.muted) this.frame.fill(0);
      this.frames++;
      this.onFrame?.(this.frame);
    }
  }

  toJSON(): CaptureStats {
    return {
      device: this.device, running: this.state !== PaState.Idle, frames: this.frames, muted: this.muted,
      level: { ...this.meter.reading }, reopens: this.reopens,
    };
  }
}

export interface PortAudioPlaybackOptions extends PortAudioOptions {
  /** Queue capacity, frames (default 5). */
  queueFrames?: number;
}

export class PortAudioPlayback extends PortAudioDevice implements PlaybackDevice {
  onPeriod: (() => void) | undefined;
  framesPlayed = 0;
  private readonly queue: PlaybackQueue;
  private readonly frame: Int16Array;
  private readonly frameBuf: Buffer;

  constructor(o: PortAudioPlaybackOptions = {}) {
    super('output', o);
    this.frame = new Int16Array(this.frameSamples);
    this.frameBuf = Buffer.from(this.frame.buffer);
    this.queue = new PlaybackQueue(this.frameSamples * (o.queueFrames ?? 5));
  }

  write(pcm: Int16Array): void {
    this.queue.write(pcm);
  }

  protected async pump(stream: PaStream, gen: number): Promise<void> {
    while (gen === this.gen) {
      this.onPeriod?.();
      this.queue.read(this.frame);
      this.framesPlayed++;
      const err = await stream.write(this.frameBuf); // copied before write() returns
      if (gen !== this.gen) return;
      if (err) this.emit('error', new Error(err));
      this.progress();
    }
  }

  toJSON(): PlaybackStats {
    return {
      device: this.device, running: this.state !== PaState.Idle, framesPlayed: this.framesPlayed,
      framesQueued: this.queue.queued / this.frameSamples, underruns: this.queue.underruns,
      overflows: this.queue.overflows, reopens: this.reopens,
    };
  }
}

export { listPortAudioDevices as listDevices } from './portaudio-binding.js';
