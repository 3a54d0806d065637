/**
 * The host side of the media engine: starts the worker thread and turns its messages into
 * promises and events. Hosts (CLI, Electron main) use this; the SIP side only hands it the
 * negotiated StreamConfig.
 *
 * The worker starts with the first request that needs it (a call allocating its stream, devices
 * opening, a device listing) and stops once it has neither streams nor open devices for
 * `idleStopMs`: an idle phone has no second isolate in memory and nothing of the engine's that can
 * wake up. Microphone mute and ringing asked for meanwhile are kept here and handed to the next
 * worker; tones, DTMF and conferences name streams, which an idle engine does not have.
 */
import { EventEmitter } from 'node:events';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { systemClock, type Clock, type TimerHandle } from '../../util/clock.js';
import type { AudioDeviceInfo } from '../devices/audio-device.js';
import type { ProcessingSettings } from '../processing/capture-processor.js';
import type { DeviceSelection, HostToWorker, LocalTone, OkReply, Reply, ReplyMessage, RequestDraft, RequestType, StreamConfig, StreamStats, WorkerToHost } from './protocol.js';

export interface MediaEngineEvents {
  dtmf: [stream: string, digit: string];
  'no-rtp': [stream: string, seconds: number];
  /** The worker ended this stream because its per-frame or per-packet work threw. */
  'stream-failed': [stream: string, reason: string];
  stats: [stream: string, stats: StreamStats];
  level: [inputDb: number, outputDb: number];
  device: [event: 'lost' | 'fallback', detail: string];
  /** Echo stays high with separate microphone and speaker devices (advice: a headset or one device). */
  'echo-high': [info: { input: string; output: string; echoRemovedDb: number }];
  error: [error: Error];
  /** The worker died unexpectedly; its streams are gone. The next request starts a new one. */
  crashed: [code: number | null];
}

/** A request waiting for its reply: settled by the reply that names its id. */
interface Pending {
  settle(reply: ReplyMessage): void;
  reject(error: Error): void;
}

/** The reply answers a request of this type (the worker names it in `to`). */
function isReplyTo<K extends RequestType>(reply: OkReply, type: K): reply is OkReply<K> {
  return reply.to === type;
}

/**
 * A port-like link to an engine worker that a host started itself: the Electron app runs it in a
 * `utilityProcess`, because the packaged app's `runAsNode: false` fuse makes `fork` impossible.
 * Messages are structured clones, as in the other two modes.
 */
export interface EngineChannel {
  postMessage(message: HostToWorker): void;
  on(event: 'message', listener: (message: WorkerToHost) => void): unknown;
  on(event: 'exit', listener: (code: number | null) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  kill(): void;
}

/** Starts the worker script (a file path; `execArgv` adds the TypeScript loader when running sources). */
export type EngineLauncher = (script: string, execArgv: string[]) => EngineChannel;

/**
 * Where the engine runs: a worker thread, a child process (the CLI uses one with PortAudio,
 * whose native library prints to stdout: in a child that output goes to our stderr and never
 * mixes with the JSON-lines events), or wherever a host's launcher puts it. All speak the same
 * structured-clone messages.
 */
export type EngineIsolation = 'thread' | 'process' | EngineLauncher;

/** The worker isolate's semi-space, MB (young generation: three of them). */
export const WORKER_SEMI_SPACE_MB = Number(process.env.NIMBUS_ENGINE_SEMI_SPACE_MB) || 1;

/** How long a worker with no stream and no open device lives on before it is stopped, ms. */
export const DEFAULT_IDLE_STOP_MS = 2000;

/**
 * Supervised: when the worker dies unexpectedly, pending requests fail, `crashed` is emitted (the
 * core ends the calls that used it) and the next request starts a fresh worker. A worker stopped
 * because it was idle is not a crash.
 */
export class MediaEngine extends EventEmitter<MediaEngineEvents> {
  private worker: Worker | ChildProcess | EngineChannel | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private stopping = false;
  private closed = false;
  /** What the worker holds: allocated streams and whether devices are open (asked for). */
  private readonly streams = new Set<string>();
  private devicesOpen = false;
  /** Applied to every new worker (it applies them when devices open). */
  private muted = false;
  private ringing = false;
  private idleTimer: TimerHandle | undefined;
  /** Workers started so far (diagnostics, tests). */
  launches = 0;

  constructor(
    private readonly isolation: EngineIsolation = 'thread',
    private readonly idleStopMs = DEFAULT_IDLE_STOP_MS,
    /** The idle stop's timer. */
    private readonly clock: Clock = systemClock(),
  ) {
    super();
  }

  /** A worker is running (it starts with the first request that needs one). */
  get isRunning(): boolean {
    return this.worker !== undefined;
  }

  /** The worker's process id when it runs in a child process (diagnostics, supervision tests). */
  get pid(): number | undefined {
    return this.worker && 'pid' in this.worker && typeof this.worker.pid === 'number' ? this.worker.pid : undefined;
  }

  private launch(): Worker | ChildProcess | EngineChannel {
    // From TypeScript sources (CLI via tsx) the worker needs the same loader; built JS does not.
    const fromSource = import.meta.url.endsWith('.ts');
    const url = new URL(fromSource ? './engine-worker.ts' : './engine-worker.js', import.meta.url);
    const execArgv = fromSource ? ['--import', 'tsx'] : [];
    const isolation = this.isolation;
    // A small young generation: the engine's garbage is a few objects per packet, and each
    // semi-space the default lets grow to 16 MB stays resident once touched.
    const young = `--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`;
    const worker = typeof isolation === 'function' ? isolation(fileURLToPath(url), [young, ...execArgv])
      : isolation === 'thread' ? new Worker(url, { execArgv, resourceLimits: { maxYoungGenerationSizeMb: 3 * WORKER_SEMI_SPACE_MB } })
      : fork(url, [], { execArgv: [young, ...execArgv], serialization: 'advanced', stdio: ['ignore', 2, 2, 'ipc'] });
    worker.on('message', (m: WorkerToHost) => {
      if (this.worker === worker) this.onMessage(m);
    });
    worker.on('error', (e: Error) => this.emit('error', e));
    worker.on('exit', (code: number | null) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.clock.clearTimeout(this.idleTimer);
      this.streams.clear();
      this.devicesOpen = false;
      for (const p of this.pending.values()) p.reject(new Error(`media worker exited (${code})`));
      this.pending.clear();
      if (!this.stopping) this.emit('crashed', code);
    });
    this.launches++;
    this.worker = worker;
    // State asked for while no worker ran (the worker applies it when devices open).
    if (this.muted) this.send({ type: 'mute', muted: true });
    if (this.ringing) this.send({ type: 'ring', on: true });
    return worker;
  }

  openDevices(devices: DeviceSelection): Promise<void> {
    this.devicesOpen = true;
    return this.request({ type: 'open-devices', devices });
  }

  /**
   * New capture processing (echo cancellation, noise suppression, gain control) for the devices
   * open now: the running call hears the change at once. With no devices open, or no worker, there
   * is nothing to change (the next openDevices carries the settings) and no worker is started.
   */
  setProcessing(processing: ProcessingSettings): Promise<void> {
    if (!this.devicesOpen || !this.worker) return Promise.resolve();
    return this.request({ type: 'set-processing', processing });
  }

  /** Stop capture, playback and the ringer (no call needs them). */
  closeDevices(): Promise<void> {
    this.devicesOpen = false;
    if (!this.worker) return Promise.resolve();
    return this.request({ type: 'close-devices' });
  }

  /** Bind the RTP socket for a stream before the offer/answer (its port goes into SDP). */
  allocate(stream: string, address: string, port?: number): Promise<number> {
    this.streams.add(stream);
    const allocated = this.request({ type: 'allocate', stream, address, ...(port !== undefined ? { port } : {}) });
    allocated.catch(() => {
      this.streams.delete(stream);
      this.stopWhenIdle();
    });
    return allocated;
  }

  start(stream: string, config: StreamConfig): Promise<void> {
    return this.request({ type: 'start', stream, config });
  }

  update(stream: string, config: StreamConfig): Promise<void> {
    return this.request({ type: 'update', stream, config });
  }

  /** Ends the stream; resolves with its final statistics. */
  stop(stream: string): Promise<StreamStats | undefined> {
    this.streams.delete(stream);
    if (!this.worker) return Promise.resolve(undefined);
    return this.request({ type: 'stop', stream });
  }

  tone(stream: string, tone: LocalTone): void {
    this.send({ type: 'tone', stream, tone });
  }

  sendDtmf(stream: string, digits: string): void {
    this.send({ type: 'dtmf', stream, digits });
  }

  /** Play the ringtone (on the ring device when one is chosen) while an incoming call rings. */
  ring(on: boolean): void {
    this.ringing = on;
    this.send({ type: 'ring', on });
  }

  /** A local 3-way conference: each stream also carries what the others receive. */
  conference(streams: string[]): void {
    this.send({ type: 'conference', streams });
  }

  /** Microphone mute: silence is sent with unchanged timing. */
  mute(muted: boolean): void {
    this.muted = muted;
    this.send({ type: 'mute', muted });
  }

  listDevices(): Promise<AudioDeviceInfo[]> {
    return this.request({ type: 'list-devices' });
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    this.clock.clearTimeout(this.idleTimer);
    const worker = this.worker;
    if (!worker) return;
    this.stopping = true;
    await this.request({ type: 'shutdown' }).catch(() => undefined);
    if (worker instanceof Worker) await worker.terminate();
    else worker.kill();
  }

  /** Sends one request (`message`: its type and body) and resolves with that request type's reply. */
  private request<M extends RequestDraft>(message: M): Promise<Reply<M['type']>> {
    if (!this.running()) return Promise.reject(new Error('media worker is not running'));
    this.clock.clearTimeout(this.idleTimer);
    const id = this.nextId++;
    const type = message.type;
    return new Promise<Reply<M['type']>>((resolve, reject) => {
      const settle = (reply: ReplyMessage) => {
        if (!reply.ok) reject(new Error(reply.error));
        else if (isReplyTo(reply, type)) resolve(reply.value);
        else reject(new Error(`media worker answered request ${id} (${type}) with another type`));
      };
      this.pending.set(id, { settle, reject });
      this.send({ ...message, id });
    });
  }

  /** Starts a worker if none runs (unless shut down): the first request, or the next after a crash. */
  private running(): boolean {
    if (!this.worker && !this.closed) this.launch();
    return this.worker !== undefined;
  }

  /** To the running worker, if there is one (messages without a reply never start a worker). */
  private send(message: HostToWorker): void {
    const worker = this.worker;
    if (!worker) return;
    if (worker instanceof Worker) worker.postMessage(message);
    else if (!('send' in worker)) worker.postMessage(message);
    else if (worker.connected) worker.send(message);
  }

  /** No stream, no devices, nothing pending: stop the worker after idleStopMs (the next request starts one). */
  private stopWhenIdle(): void {
    this.clock.clearTimeout(this.idleTimer);
    if (!this.worker || this.idleStopMs <= 0 || this.streams.size > 0 || this.devicesOpen || this.pending.size > 0) return;
    this.idleTimer = this.clock.setTimeout(() => {
      const worker = this.worker;
      if (!worker || this.streams.size > 0 || this.devicesOpen || this.pending.size > 0) return;
      this.worker = undefined; // its exit is not a crash
      if (worker instanceof Worker) void worker.terminate();
      else worker.kill();
    }, this.idleStopMs);
  }

  private onMessage(m: WorkerToHost): void {
    switch (m.type) {
      case 'reply': {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        p?.settle(m);
        this.stopWhenIdle();
        return;
      }
      case 'dtmf': this.emit('dtmf', m.stream, m.digit); return;
      case 'no-rtp': this.emit('no-rtp', m.stream, m.seconds); return;
      case 'stream-failed':
        this.streams.delete(m.stream);
        this.emit('stream-failed', m.stream, m.reason);
        this.stopWhenIdle();
        return;
      case 'stats': this.emit('stats', m.stream, m.stats); return;
      case 'level': this.emit('level', m.inputDb, m.outputDb); return;
      case 'device': this.emit('device', m.event, m.detail); return;
      case 'echo-high': this.emit('echo-high', { input: m.input, output: m.output, echoRemovedDb: m.echoRemovedDb }); return;
    }
  }
}
