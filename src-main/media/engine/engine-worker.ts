/**
 * The media worker thread: owns the audio devices and every call's AudioStream. The capture
 * device's clock drives sending; the playback device pulls one mixed frame per period. Paced
 * (file, null) devices share one clock: one tick per period captures, sends, mixes and plays, as
 * a full-duplex sound card's callback does (PortAudio devices keep their own callbacks). Levels
 * for the UI ride on that tick too: an engine with devices open wakes once per period plus once
 * per arriving packet, and an idle one not at all. Nothing on the host thread (UI, IPC, disk) can
 * delay either direction.
 */
import { parentPort } from 'node:worker_threads';
import { hostname } from 'node:os';
import { systemClock } from '../../util/clock.js';
import { cryptoRandom } from '../../util/random.js';
import type { CaptureDevice, PlaybackDevice } from '../devices/audio-device.js';
import { FileCapture, FilePlayback, LevelMeter, listDevices, NullCapture, NullPlayback, PacedDuplex, PortAudioCapture, PortAudioPlayback, type PacedPlayback } from '../devices/index.js';
import { ToneGenerator } from '../tones/tone-generator.js';
import { TONE_PLANS } from '../tones/tone-plans.js';
import { AudioStream } from './audio-stream.js';
import { Ringer } from './ringer.js';
import type { DeviceSelection, HostToWorker, LocalTone, WorkerToHost } from './protocol.js';

/** An Electron utility process's link to main (no electron import: it is a property of `process`). */
const utilityPort = Reflect.get(process, 'parentPort') as
  | { postMessage(m: unknown): void; on(event: 'message', handler: (e: { data: unknown }) => void): void }
  | undefined;
/** The host link: a worker thread's port, a utility process's parent port, or a forked child's IPC channel. */
const port = parentPort ?? (utilityPort ? {
  postMessage: (m: WorkerToHost) => utilityPort.postMessage(m),
  on: (_event: 'message', handler: (m: HostToWorker) => void) => utilityPort.on('message', (e) => handler(e.data as HostToWorker)),
} : {
  postMessage: (m: WorkerToHost) => process.send?.(m),
  on: (_event: 'message', handler: (m: HostToWorker) => void) => process.on('message', handler as (m: unknown) => void),
});
if (!parentPort && !utilityPort) process.on('disconnect', () => process.exit(0));
const clock = systemClock();
const deviceRate = 48000;
const cname = `nimbus@${hostname()}`;
const streams = new Map<string, AudioStream>();
const tones = new Map<string, ToneGenerator>();
let capture: CaptureDevice | undefined;
let playback: PlaybackDevice | undefined;
/** Paced capture and playback on one clock (file and null devices). */
let duplex: PacedDuplex | undefined;
let ringer: Ringer | undefined;
/** Asked for before the devices opened (they open for the first call): applied when they do. */
let ringing = false;
let muted = false;
let mix = new Int32Array(960);
let out = new Int16Array(960);

const post = (m: WorkerToHost) => port.postMessage(m);

async function openDevices(sel: DeviceSelection): Promise<void> {
  await closeDevices();
  if (sel.kind === 'portaudio') {
    capture = new PortAudioCapture({ rate: deviceRate, ...(sel.input ? { device: sel.input } : {}) });
    playback = new PortAudioPlayback({ rate: deviceRate, ...(sel.output ? { device: sel.output } : {}) });
  } else {
    capture = sel.kind === 'file' && sel.playFile ? new FileCapture({ path: sel.playFile, rate: deviceRate }) : new NullCapture({ rate: deviceRate });
    playback = sel.kind === 'file' && sel.recFile ? new FilePlayback({ path: sel.recFile, rate: deviceRate }) : new NullPlayback({ rate: deviceRate });
  }
  for (const device of [capture, playback]) {
    device.on('device-lost', (e) => post({ type: 'device', event: 'lost', detail: `${e.device}: ${e.reason}` }));
    device.on('fallback', (e) => post({ type: 'device', event: 'fallback', detail: `${e.requested} → ${e.using}: ${e.reason}` }));
    device.on('error', (e) => post({ type: 'device', event: 'lost', detail: e.message }));
  }
  mix = new Int32Array(playback.frameSamples);
  out = new Int16Array(playback.frameSamples);
  if (sel.ringtone) {
    const ringDevice = sel.kind === 'portaudio' && sel.ring ? new PortAudioPlayback({ rate: deviceRate, device: sel.ring }) : undefined;
    ringer = await Ringer.open(sel.ringtone, deviceRate, ringDevice);
    ringer.on = ringing;
  }
  capture.muted = muted;
  let firstFrame: () => void = () => {};
  const flowing = new Promise<void>((resolve) => (firstFrame = resolve));
  capture.onFrame = (frame) => {
    firstFrame();
    for (const s of streams.values()) {
      // One stream's failure ends that stream only; the others keep their audio.
      try {
        s.sendFrame(conference.has(s.id) ? conferenceMix(frame, s.id) : frame);
      } catch (e) {
        failStream(s.id, e);
      }
    }
  };
  const device = playback;
  levelEvery = Math.max(1, Math.round((levelIntervalMs * device.rate) / device.frameSamples / 1000));
  playback.onPeriod = () => playPeriod(device);
  if (PacedDuplex.canPair(capture, playback)) {
    duplex = new PacedDuplex(capture, playback as PacedPlayback);
    await duplex.start();
  } else {
    await capture.start();
    await playback.start();
  }
  // A sound server can take a second or two before the microphone delivers: report the devices
  // ready once audio flows (bounded), so a call placed right after does not start mute.
  await Promise.race([flowing, new Promise((r) => setTimeout(r, deviceStartTimeoutMs))]);
}

/** How often the microphone and speaker levels are looked at while devices are open, ms. */
const levelIntervalMs = 100;
/** A level is reported when it moved by this much since the last report, dB (a meter shows no less). */
const levelStepDb = 1;
/** Playback periods per level look, and the count so far. */
let levelEvery = 5;
let levelCount = 0;
let lastInputDb = NaN;
let lastOutputDb = NaN;
const outputMeter = new LevelMeter();

/** Every levelIntervalMs (on the playback clock, no timer of its own): levels that moved go to the host. */
function reportLevels(): void {
  if (++levelCount < levelEvery || !capture) return;
  levelCount = 0;
  outputMeter.measure(out);
  const inputDb = capture.level.rmsDbfs;
  const outputDb = outputMeter.reading.rmsDbfs;
  if (Math.abs(inputDb - lastInputDb) < levelStepDb && Math.abs(outputDb - lastOutputDb) < levelStepDb) return;
  lastInputDb = inputDb;
  lastOutputDb = outputDb;
  post({ type: 'level', inputDb, outputDb });
}

/** Longest wait for the first captured frame after opening devices, ms. */
const deviceStartTimeoutMs = 3000;

/** Streams bridged into the local conference. */
const conference = new Set<string>();
let conferenceFrame = new Int16Array(960);

/** The other members' last periods, gathered once per frame (reused, no allocation). */
const others: Int16Array[] = [];

/** Our microphone plus what every other member played last period (N−1 mix), saturating. */
function conferenceMix(mic: Int16Array, member: string): Int16Array {
  if (conferenceFrame.length !== mic.length) conferenceFrame = new Int16Array(mic.length);
  others.length = 0;
  for (const id of conference) {
    const played = id === member ? undefined : streams.get(id)?.lastPlayed;
    if (played) others.push(played);
  }
  for (let i = 0; i < mic.length; i++) {
    let v = mic[i]!;
    for (const played of others) v += played[i] ?? 0;
    conferenceFrame[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return conferenceFrame;
}

function playPeriod(device: PlaybackDevice): void {
  mix.fill(0);
  for (const s of streams.values()) {
    try {
      s.playout(mix);
    } catch (e) {
      failStream(s.id, e);
    }
  }
  for (let i = 0; i < mix.length; i++) {
    const v = mix[i]!;
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  for (const t of tones.values()) t.mixInto(out);
  ringer?.mixInto(out);
  device.write(out);
  reportLevels();
}

/** A stream whose per-frame or per-packet work threw: closed and forgotten, the host told why. */
function failStream(id: string, error: unknown): void {
  const s = streams.get(id);
  if (!s) return;
  streams.delete(id);
  tones.delete(id);
  conference.delete(id);
  try {
    s.close();
  } catch {
    // its sockets may be gone already
  }
  post({ type: 'stream-failed', stream: id, reason: error instanceof Error ? error.message : String(error) });
}

async function closeDevices(): Promise<void> {
  outputMeter.reset();
  lastInputDb = lastOutputDb = NaN;
  levelCount = 0;
  await duplex?.stop();
  duplex = undefined;
  await capture?.stop();
  await playback?.stop();
  await ringer?.close();
  capture = playback = undefined;
  ringer = undefined;
}

function setTone(stream: string, tone: LocalTone): void {
  if (tone === 'none') tones.delete(stream);
  else tones.set(stream, new ToneGenerator(TONE_PLANS.us[tone], deviceRate));
}

async function handle(m: HostToWorker): Promise<unknown> {
  switch (m.type) {
    case 'open-devices':
      return openDevices(m.devices);
    case 'close-devices':
      return closeDevices();
    case 'allocate': {
      const events = {
        dtmf: (digit: string) => post({ type: 'dtmf', stream: m.stream, digit }),
        noRtp: (seconds: number) => post({ type: 'no-rtp', stream: m.stream, seconds }),
        failed: (error: unknown) => failStream(m.stream, error),
      };
      const s = await AudioStream.open(m.stream, m.address, m.port, { clock, random: cryptoRandom, deviceRate, cname, events });
      streams.get(m.stream)?.close();
      streams.set(m.stream, s);
      statsWhileStreaming();
      return s.localPort;
    }
    case 'start':
    case 'update':
      stream(m.stream).start(m.config);
      return undefined;
    case 'stop': {
      const s = streams.get(m.stream);
      streams.delete(m.stream);
      statsWhileStreaming();
      tones.delete(m.stream);
      conference.delete(m.stream);
      const stats = s?.stats();
      s?.close();
      return stats;
    }
    case 'list-devices':
      return listDevices();
    case 'shutdown':
      for (const s of streams.values()) s.close();
      streams.clear();
      statsWhileStreaming();
      await closeDevices();
      return undefined;
    case 'tone':
      setTone(m.stream, m.tone);
      return undefined;
    case 'dtmf':
      streams.get(m.stream)?.sendDtmf(m.digits);
      return undefined;
    case 'conference':
      conference.clear();
      for (const id of m.streams) conference.add(id);
      return undefined;
    case 'ring':
      ringing = m.on;
      if (ringer) ringer.on = m.on;
      return undefined;
    case 'mute':
      muted = m.muted;
      if (capture) capture.muted = m.muted;
      return undefined;
  }
}

function stream(id: string): AudioStream {
  const s = streams.get(id);
  if (!s) throw new Error(`no media stream ${id}`);
  return s;
}

port.on('message', (m: HostToWorker) => {
  handle(m).then(
    (value) => { if ('id' in m) post({ type: 'reply', id: m.id, ok: true, value }); },
    (e: unknown) => { if ('id' in m) post({ type: 'reply', id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) }); },
  );
});

/** Call statistics every 5 s, only while a stream exists (an idle engine runs no timer). */
let statsTimer: NodeJS.Timeout | undefined;
function statsWhileStreaming(): void {
  if (streams.size === 0) {
    clearInterval(statsTimer);
    statsTimer = undefined;
    return;
  }
  statsTimer ??= setInterval(() => {
    for (const [id, s] of streams) {
      const stats = s.stats();
      if (stats) post({ type: 'stats', stream: id, stats });
    }
  }, 5000).unref();
}
