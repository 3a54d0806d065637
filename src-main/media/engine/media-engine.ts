/**
 * The host side of the media engine: starts the worker thread and turns its messages into
 * promises and events. Hosts (CLI, Electron main) use this; the SIP side only hands it the
 * negotiated StreamConfig.
 */
import { EventEmitter } from 'node:events';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DeviceSelection, HostToWorker, LocalTone, StreamConfig, StreamStats, WorkerToHost } from './protocol.js';

export interface MediaEngineEvents {
  dtmf: [stream: string, digit: string];
  'no-rtp': [stream: string, seconds: number];
  /** The worker ended this stream because its per-frame or per-packet work threw. */
  'stream-failed': [stream: string, reason: string];
  stats: [stream: string, stats: StreamStats];
  level: [inputDb: number, outputDb: number];
  device: [event: 'lost' | 'fallback', detail: string];
  error: [error: Error];
  /** The worker died unexpectedly; its streams are gone. The next request starts a new one. */
  crashed: [code: number | null];
}

type Request = HostToWorker extends infer M ? M extends { id: number } ? Omit<M, 'id'> : never : never;

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

/**
 * Supervised: when the worker dies unexpectedly, pending requests fail, `crashed` is emitted (the
 * core ends the calls that used it) and the next request starts a fresh worker.
 */
export class MediaEngine extends EventEmitter<MediaEngineEvents> {
  private worker: Worker | ChildProcess | EngineChannel | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private stopping = false;
  private closed = false;

  constructor(private readonly isolation: EngineIsolation = 'thread') {
    super();
    this.worker = this.launch();
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
    const worker = typeof isolation === 'function' ? isolation(fileURLToPath(url), execArgv)
      : isolation === 'thread' ? new Worker(url, { execArgv })
      : fork(url, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 2, 2, 'ipc'] });
    worker.on('message', (m: WorkerToHost) => this.onMessage(m));
    worker.on('error', (e: Error) => this.emit('error', e));
    worker.on('exit', (code: number | null) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const p of this.pending.values()) p.reject(new Error(`media worker exited (${code})`));
      this.pending.clear();
      if (!this.stopping) this.emit('crashed', code);
    });
    return worker;
  }

  openDevices(devices: DeviceSelection): Promise<void> {
    return this.request({ type: 'open-devices', devices }) as Promise<void>;
  }

  /** Stop capture, playback and the ringer (no call needs them). */
  closeDevices(): Promise<void> {
    return this.request({ type: 'close-devices' }) as Promise<void>;
  }

  /** Bind the RTP socket for a stream before the offer/answer (its port goes into SDP). */
  allocate(stream: string, address: string, port?: number): Promise<number> {
    return this.request({ type: 'allocate', stream, address, ...(port !== undefined ? { port } : {}) }) as Promise<number>;
  }

  start(stream: string, config: StreamConfig): Promise<void> {
    return this.request({ type: 'start', stream, config }) as Promise<void>;
  }

  update(stream: string, config: StreamConfig): Promise<void> {
    return this.request({ type: 'update', stream, config }) as Promise<void>;
  }

  /** Ends the stream; resolves with its final statistics. */
  stop(stream: string): Promise<StreamStats | undefined> {
    return this.request({ type: 'stop', stream }) as Promise<StreamStats | undefined>;
  }

  tone(stream: string, tone: LocalTone): void {
    this.post({ type: 'tone', stream, tone });
  }

  sendDtmf(stream: string, digits: string): void {
    this.post({ type: 'dtmf', stream, digits });
  }

  /** Play the ringtone (on the ring device when one is chosen) while an incoming call rings. */
  ring(on: boolean): void {
    this.post({ type: 'ring', on });
  }

  /** A local 3-way conference: each stream also carries what the others receive. */
  conference(streams: string[]): void {
    this.post({ type: 'conference', streams });
  }

  /** Microphone mute: silence is sent with unchanged timing. */
  mute(muted: boolean): void {
    this.post({ type: 'mute', muted });
  }

  listDevices(): Promise<unknown> {
    return this.request({ type: 'list-devices' });
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    this.stopping = true;
    await this.request({ type: 'shutdown' }).catch(() => undefined);
    if (worker instanceof Worker) await worker.terminate();
    else worker.kill();
  }

  private request(message: Request): Promise<unknown> {
    if (!this.running()) return Promise.reject(new Error('media worker is not running'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post({ ...message, id } as HostToWorker);
    });
  }

  /** Restarts a worker that died (unless shut down). */
  private running(): boolean {
    if (!this.worker && !this.closed) this.worker = this.launch();
    return this.worker !== undefined;
  }

  private post(message: HostToWorker): void {
    if (!this.running()) return;
    const worker = this.worker!;
    if (worker instanceof Worker) worker.postMessage(message);
    else if (!('send' in worker)) worker.postMessage(message);
    else if (worker.connected) worker.send(message);
  }

  private onMessage(m: WorkerToHost): void {
    switch (m.type) {
      case 'reply': {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (m.ok) p?.resolve(m.value);
        else p?.reject(new Error(m.error));
        return;
      }
      case 'dtmf': this.emit('dtmf', m.stream, m.digit); return;
      case 'no-rtp': this.emit('no-rtp', m.stream, m.seconds); return;
      case 'stream-failed': this.emit('stream-failed', m.stream, m.reason); return;
      case 'stats': this.emit('stats', m.stream, m.stats); return;
      case 'level': this.emit('level', m.inputDb, m.outputDb); return;
      case 'device': this.emit('device', m.event, m.detail); return;
    }
  }
}
