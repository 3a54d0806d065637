/**
 * The media engine inside its worker: owns every call's AudioStream, the audio devices
 * (EngineDevices), local tones and the local conference (ConferenceMixer), and answers the host's
 * requests (protocol.ts). The capture clock drives sending; the playback device pulls one mixed
 * frame per period. An engine with devices open wakes once per period plus once per arriving
 * packet, and an idle one not at all (statistics run only while a stream exists).
 */
import type { Clock } from '../../util/clock.js';
import type { Random } from '../../util/random.js';
import type { PlaybackDevice } from '../devices/audio-device.js';
import { listDevices } from '../devices/index.js';
import { ToneGenerator } from '../tones/tone-generator.js';
import { TONE_PLANS } from '../tones/tone-plans.js';
import { AudioStream } from './audio-stream.js';
import { ConferenceMixer } from './conference-mixer.js';
import { EngineDevices } from './engine-devices.js';
import { passThrough, type FrameProcessing } from './frame-processing.js';
import { validProcessingSettings } from './processing-check.js';
import type { EngineNotices, NoticeMessage, Reply, RequestMessage, RequestType, WorkerToHost } from './protocol.js';

/** What the engine tells the host unasked (everything but replies). */
export type EngineEvent = Exclude<WorkerToHost, { type: 'reply' }>;

export interface EngineDeps {
  clock: Clock;
  random: Random;
  /** Rate of every device frame and of the mix, Hz. */
  deviceRate: number;
  /** RTCP CNAME (RFC 3550 §6.5.1). */
  cname: string;
  post(event: EngineEvent): void;
  /** Device-side audio processing (an echo canceller); pass-through by default. */
  processing?: FrameProcessing;
}

/** Call statistics to the host every this often while a stream exists, ms. */
const statsIntervalMs = 5000;

type Handlers = { [K in RequestType]: (m: RequestMessage<K>) => Reply<K> | Promise<Reply<K>> };

export class Engine {
  private readonly streams = new Map<string, AudioStream>();
  private readonly tones = new Map<string, ToneGenerator>();
  private readonly conference = new ConferenceMixer();
  private readonly devices: EngineDevices;
  private readonly processing: FrameProcessing;
  /** The host was told echo stays high with these devices (once per opening). */
  private echoAdvised = false;
  private mix = new Int32Array(960);
  private out = new Int16Array(960);
  private statsTimer: NodeJS.Timeout | undefined;
  private readonly lastPlayed = (id: string) => this.streams.get(id)?.lastPlayed;

  constructor(private readonly deps: EngineDeps) {
    this.processing = deps.processing ?? passThrough;
    this.devices = new EngineDevices(deps.deviceRate, {
      frame: (pcm) => this.onCapture(pcm),
      period: (device) => this.onPeriod(device),
      device: (event, detail) => deps.post({ type: 'device', event, detail }),
      level: (inputDb, outputDb) => deps.post({ type: 'level', inputDb, outputDb }),
    });
  }

  /** One handler per request type: each returns that request's reply. */
  private readonly handlers: Handlers = {
    'open-devices': (m) => {
      const processing = m.devices.processing;
      this.processing.configure?.(processing === undefined ? undefined : validProcessingSettings(processing));
      return this.devices.open(m.devices);
    },
    'close-devices': () => this.closeDevices(),
    'set-processing': (m) => this.setProcessing(m.processing),
    allocate: (m) => this.allocate(m.stream, m.address, m.port),
    start: (m) => this.stream(m.stream).start(m.config),
    update: (m) => this.stream(m.stream).start(m.config),
    stop: (m) => this.stop(m.stream),
    'list-devices': () => listDevices(),
    shutdown: () => this.shutdown(),
  };

  /** Answers one request with its reply value (rejects with the reason it failed). */
  async request<K extends RequestType>(m: RequestMessage<K>): Promise<Reply<K>> {
    const handler: (m: RequestMessage<K>) => Reply<K> | Promise<Reply<K>> = this.handlers[m.type];
    return handler(m);
  }

  notice(m: NoticeMessage): void {
    switch (m.type) {
      case 'tone': return this.setTone(m);
      case 'dtmf': this.streams.get(m.stream)?.sendDtmf(m.digits); return;
      case 'conference': this.conference.set(m.streams); return;
      case 'ring': this.devices.setRinging(m.on); return;
      case 'mute': this.devices.setMuted(m.muted); return;
    }
  }

  /** One captured frame: every stream sends it (a conference member sends its N−1 mix). */
  private onCapture(captured: Int16Array): void {
    const frame = this.processing.capture(captured);
    for (const s of this.streams.values()) {
      // One stream's failure ends that stream only; the others keep their audio.
      try {
        s.sendFrame(this.conference.has(s.id) ? this.conference.mix(frame, s.id, this.lastPlayed) : frame);
      } catch (e) {
        this.failStream(s.id, e);
      }
    }
  }

  /** One playback period: every stream's playout mixed, saturated, tones and ringer on top. */
  private onPeriod(device: PlaybackDevice): void {
    if (this.out.length !== device.frameSamples) {
      this.mix = new Int32Array(device.frameSamples);
      this.out = new Int16Array(device.frameSamples);
    }
    const mix = this.mix;
    const out = this.out;
    mix.fill(0);
    for (const s of this.streams.values()) {
      try {
        s.playout(mix);
      } catch (e) {
        this.failStream(s.id, e);
      }
    }
    for (let i = 0; i < mix.length; i++) {
      const v = mix[i]!;
      out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
    for (const t of this.tones.values()) t.mixInto(out);
    this.devices.mixRinger(out);
    this.processing.playback(out);
    device.write(out);
    this.devices.reportLevels(out);
  }

  private async allocate(id: string, address: string, port: number | undefined): Promise<number> {
    const post = this.deps.post;
    const events = {
      dtmf: (digit: string) => post({ type: 'dtmf', stream: id, digit }),
      noRtp: (seconds: number) => post({ type: 'no-rtp', stream: id, seconds }),
      failed: (error: unknown) => this.failStream(id, error),
    };
    const { clock, random, deviceRate, cname } = this.deps;
    const s = await AudioStream.open(id, address, port, { clock, random, deviceRate, cname, events });
    this.streams.get(id)?.close();
    this.streams.set(id, s);
    this.statsWhileStreaming();
    return s.localPort;
  }

  private stop(id: string): Reply<'stop'> {
    const s = this.streams.get(id);
    this.forget(id);
    const stats = s?.stats();
    s?.close();
    return stats && this.withProcessing(stats);
  }

  /**
   * A processing setting changed while devices are open: the stage is rebuilt off the audio path
   * (EchoProcessing.configure), and every stream's statistics go to the host at once, so a call's
   * "Removing echo" follows the change without waiting for the next report (the stage being
   * rebuilt reports nothing; the new one reports from the next period's statistics).
   */
  private setProcessing(processing: unknown): void {
    const settings = validProcessingSettings(processing);
    if (!this.processing.configure) throw new Error('this engine has no capture processing to configure');
    this.processing.configure(settings);
    this.postStats();
  }

  /**
   * Echo that stays high with two separate devices: the host is told once per opening of the
   * devices, so it can suggest a headset or one device for both (issue 17).
   */
  private adviseOnEcho(): void {
    if (this.echoAdvised) return;
    const p = this.processing.stats?.();
    const separate = this.devices.separateDevices;
    if (!p?.echoStaysHigh || !separate) return;
    this.echoAdvised = true;
    this.deps.post({ type: 'echo-high', ...separate, echoRemovedDb: p.echoRemovedDb });
  }

  /** A stream's statistics with the echo canceller's figures when it runs. */
  private withProcessing<T extends object>(stats: T): T & { echoRemoving?: boolean; echoRemovedDb?: number; echoStaysHigh?: boolean } {
    const p = this.processing.stats?.();
    return p?.aec ? { ...stats, echoRemoving: p.echoRemoving, echoRemovedDb: p.echoRemovedDb, echoStaysHigh: p.echoStaysHigh } : stats;
  }

  private async shutdown(): Promise<void> {
    for (const s of this.streams.values()) s.close();
    this.streams.clear();
    this.statsWhileStreaming();
    await this.closeDevices();
  }

  private async closeDevices(): Promise<void> {
    await this.devices.close();
    this.processing.reset();
    this.echoAdvised = false;
  }

  private setTone({ stream, tone }: EngineNotices['tone']): void {
    if (tone === 'none') this.tones.delete(stream);
    else this.tones.set(stream, new ToneGenerator(TONE_PLANS.us[tone], this.deps.deviceRate));
  }

  private stream(id: string): AudioStream {
    const s = this.streams.get(id);
    if (!s) throw new Error(`no media stream ${id}`);
    return s;
  }

  private forget(id: string): void {
    this.streams.delete(id);
    this.statsWhileStreaming();
    this.tones.delete(id);
    this.conference.delete(id);
  }

  /** A stream whose per-frame or per-packet work threw: closed and forgotten, the host told why. */
  private failStream(id: string, error: unknown): void {
    const s = this.streams.get(id);
    if (!s) return;
    this.forget(id);
    try {
      s.close();
    } catch {
      // its sockets may be gone already
    }
    this.deps.post({ type: 'stream-failed', stream: id, reason: error instanceof Error ? error.message : String(error) });
  }

  /** Call statistics every statsIntervalMs, only while a stream exists (an idle engine runs no timer). */
  private statsWhileStreaming(): void {
    if (this.streams.size === 0) {
      clearInterval(this.statsTimer);
      this.statsTimer = undefined;
      return;
    }
    this.statsTimer ??= setInterval(() => {
      this.postStats();
      this.adviseOnEcho();
    }, statsIntervalMs).unref();
  }

  /** Every started stream's statistics, with the echo canceller's figures, to the host. */
  private postStats(): void {
    for (const [id, s] of this.streams) {
      const stats = s.stats();
      if (stats) this.deps.post({ type: 'stats', stream: id, stats: this.withProcessing(stats) });
    }
  }
}
