/**
 * The engine's audio devices for the duration of the calls: capture, playback and the ringer,
 * chosen by a DeviceSelection. Paced (file, null) devices share one clock (PacedDuplex: each
 * period captures, then plays, as a full-duplex sound card's callback does); PortAudio devices
 * keep their own callbacks. Microphone mute and ringing asked for before the devices open are
 * applied when they do. Levels for the UI ride on the playback clock (no timer of their own).
 */
import type { CaptureDevice, PlaybackDevice } from '../devices/audio-device.js';
import { FileCapture, FilePlayback, LevelMeter, NullCapture, NullPlayback, PacedDuplex, PortAudioCapture, PortAudioPlayback, type PacedPlayback } from '../devices/index.js';
import type { DeviceSelection } from './protocol.js';
import { Ringer } from './ringer.js';

export interface DeviceHandlers {
  /** One captured frame (reused by the device: copy what is kept). */
  frame(pcm: Int16Array): void;
  /** The playback device wants its next frame: write one. */
  period(device: PlaybackDevice): void;
  device(event: 'lost' | 'fallback', detail: string): void;
  level(inputDb: number, outputDb: number): void;
}

/** Longest wait for the first captured frame after opening devices, ms. */
const deviceStartTimeoutMs = 3000;
/** How often the microphone and speaker levels are looked at while devices are open, ms. */
const levelIntervalMs = 100;
/** A level is reported when it moved by this much since the last report, dB (a meter shows no less). */
const levelStepDb = 1;

/** Two sound devices in use, by name: separate when both are known and differ (PortAudio names). */
export function separateDevices(input: string, output: string): { input: string; output: string } | undefined {
  return input && output && input !== output ? { input, output } : undefined;
}

export class EngineDevices {
  private capture: CaptureDevice | undefined;
  private playback: PlaybackDevice | undefined;
  private duplex: PacedDuplex | undefined;
  private ringer: Ringer | undefined;
  private ringing = false;
  private muted = false;
  /** Playback periods per level look, and the count so far. */
  private levelEvery = 5;
  /** Whether the host wants levels (DeviceSelection.levels). */
  private levels = true;
  private levelCount = 0;
  private lastInputDb = NaN;
  private lastOutputDb = NaN;
  private readonly outputMeter = new LevelMeter();

  constructor(private readonly deviceRate: number, private readonly handlers: DeviceHandlers) {}

  /**
   * The microphone and the speaker are two different sound devices (PortAudio names differ), as
   * with a laptop's own microphone and speakers or a USB microphone beside speakers: each has its
   * own clock, and the speaker is heard in the room. Undefined while closed or on file/null devices.
   */
  get separateDevices(): { input: string; output: string } | undefined {
    const c = this.capture, p = this.playback;
    if (!(c instanceof PortAudioCapture) || !(p instanceof PortAudioPlayback)) return undefined;
    return separateDevices(c.device, p.device);
  }

  /** Samples per playback period (the mix size), once open. */
  get frameSamples(): number | undefined {
    return this.playback?.frameSamples;
  }

  async open(sel: DeviceSelection): Promise<void> {
    await this.close();
    const rate = this.deviceRate;
    let capture: CaptureDevice;
    let playback: PlaybackDevice;
    if (sel.kind === 'portaudio') {
      capture = new PortAudioCapture({ rate, ...(sel.input ? { device: sel.input } : {}) });
      playback = new PortAudioPlayback({ rate, ...(sel.output ? { device: sel.output } : {}) });
    } else {
      capture = sel.kind === 'file' && sel.playFile ? new FileCapture({ path: sel.playFile, rate }) : new NullCapture({ rate });
      playback = sel.kind === 'file' && sel.recFile ? new FilePlayback({ path: sel.recFile, rate }) : new NullPlayback({ rate });
    }
    this.capture = capture;
    this.playback = playback;
    const h = this.handlers;
    for (const device of [capture, playback]) {
      device.on('device-lost', (e) => h.device('lost', `${e.device}: ${e.reason}`));
      device.on('fallback', (e) => h.device('fallback', `${e.requested} → ${e.using}: ${e.reason}`));
      device.on('error', (e) => h.device('lost', e.message));
    }
    if (sel.ringtone) {
      const ringDevice = sel.kind === 'portaudio' && sel.ring ? new PortAudioPlayback({ rate, device: sel.ring }) : undefined;
      this.ringer = await Ringer.open(sel.ringtone, rate, ringDevice, ringDevice !== undefined && sel.ringOnOutput === true);
      this.ringer.on = this.ringing;
    }
    capture.muted = this.muted;
    let firstFrame: () => void = () => {};
    const flowing = new Promise<void>((resolve) => (firstFrame = resolve));
    capture.onFrame = (frame) => {
      firstFrame();
      h.frame(frame);
    };
    this.levels = sel.levels !== false;
    this.levelEvery = Math.max(1, Math.round((levelIntervalMs * playback.rate) / playback.frameSamples / 1000));
    playback.onPeriod = () => h.period(playback);
    if (PacedDuplex.canPair(capture, playback)) {
      this.duplex = new PacedDuplex(capture, playback as PacedPlayback);
      await this.duplex.start();
    } else {
      await capture.start();
      await playback.start();
    }
    // A sound server can take a second or two before the microphone delivers: report the devices
    // ready once audio flows (bounded), so a call placed right after does not start mute.
    await Promise.race([flowing, new Promise((r) => setTimeout(r, deviceStartTimeoutMs))]);
  }

  async close(): Promise<void> {
    this.outputMeter.reset();
    this.lastInputDb = this.lastOutputDb = NaN;
    this.levelCount = 0;
    await this.duplex?.stop();
    this.duplex = undefined;
    await this.capture?.stop();
    await this.playback?.stop();
    await this.ringer?.close();
    this.capture = this.playback = undefined;
    this.ringer = undefined;
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    if (this.capture) this.capture.muted = muted;
  }

  setRinging(on: boolean): void {
    this.ringing = on;
    if (this.ringer) this.ringer.on = on;
  }

  /** The ringtone into a playback frame, while ringing. */
  mixRinger(out: Int16Array): void {
    this.ringer?.mixInto(out);
  }

  /** Every levelIntervalMs of playback (`out`: the frame just played): levels that moved go to the host. */
  reportLevels(out: Int16Array): void {
    if (!this.levels || ++this.levelCount < this.levelEvery || !this.capture) return;
    this.levelCount = 0;
    this.outputMeter.measure(out);
    const inputDb = this.capture.level.rmsDbfs;
    const outputDb = this.outputMeter.reading.rmsDbfs;
    if (Math.abs(inputDb - this.lastInputDb) < levelStepDb && Math.abs(outputDb - this.lastOutputDb) < levelStepDb) return;
    this.lastInputDb = inputDb;
    this.lastOutputDb = outputDb;
    this.handlers.level(inputDb, outputDb);
  }
}
