import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestClock } from '../../support/test-clock.js';
import { PortAudioCapture, PortAudioPlayback, PaState, QUIT_TIMEOUT_MS } from '../../../src-main/media/devices/portaudio-device.js';
import { listPortAudioDevices, type PaBinding, type PaDeviceInfo, type PaReadResult, type PaStream, type PaStreamOptions } from '../../../src-main/media/devices/portaudio-binding.js';
import { sine } from '../../support/audio-analysis.js';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

class FakeStream implements PaStream {
  started = false;
  quitMode: string | undefined;
  reads: ((r: PaReadResult) => void)[] = [];
  writes: { data: Int16Array; done: (err?: string) => void; fail: (e: Error) => void }[] = [];
  written: Int16Array[] = [];
  constructor(readonly options: PaStreamOptions, private readonly dead = false) {}
  start(): void { this.started = true; }
  read(): Promise<PaReadResult> { return new Promise((r) => this.reads.push(r)); }
  write(buf: Buffer): Promise<string | undefined> {
    const data = new Int16Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length)); // the addon copies
    this.written.push(data);
    return new Promise((done, fail) => this.writes.push({ data, done, fail }));
  }
  quit(mode: 'WAIT' | 'ABORT'): Promise<void> {
    this.quitMode = mode;
    return this.dead ? new Promise(() => undefined) : Promise.resolve();
  }
  /** The device captured `pcm`. */
  deliver(pcm: Int16Array): void {
    const r = this.reads.shift();
    assert.ok(r, 'a read is pending');
    r({ buf: Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength), finished: false });
  }
  /** The device consumed the oldest written frame. */
  consume(): void { this.writes.shift()?.done(undefined); }
  /** PortAudio fails the pending write. */
  failWrite(message: string): void { this.writes.shift()!.fail(new Error(message)); }
}

class FakeBinding implements PaBinding {
  streams: FakeStream[] = [];
  failIds = new Set<number>();
  deadStreams = false;
  devices: PaDeviceInfo[] = [
    { id: 0, name: 'pulse', maxInputChannels: 32, maxOutputChannels: 32, defaultSampleRate: 44100, hostAPIName: 'ALSA' },
    { id: 1, name: 'default', maxInputChannels: 32, maxOutputChannels: 32, defaultSampleRate: 44100, hostAPIName: 'ALSA' },
    { id: 2, name: 'USB Headset: Audio (hw:1,0)', maxInputChannels: 1, maxOutputChannels: 2, defaultSampleRate: 48000, hostAPIName: 'ALSA' },
    { id: 3, name: 'HDMI 0', maxInputChannels: 0, maxOutputChannels: 8, defaultSampleRate: 48000, hostAPIName: 'ALSA' },
  ];
  getDevices(): PaDeviceInfo[] { return this.devices; }
  getHostAPIs() {
    return { defaultHostAPI: 0, HostAPIs: [{ id: 0, name: 'ALSA', defaultInput: 1, defaultOutput: 1 }] };
  }
  create(o: { inOptions?: PaStreamOptions; outOptions?: PaStreamOptions }): PaStream {
    const opts = (o.inOptions ?? o.outOptions)!;
    if (this.failIds.has(opts.deviceId)) throw new Error('Could not open stream: Device unavailable');
    const s = new FakeStream(opts, this.deadStreams);
    this.streams.push(s);
    return s;
  }
  get last(): FakeStream { return this.streams.at(-1)!; }
}

function record(dev: PortAudioCapture | PortAudioPlayback): string[] {
  const events: string[] = [];
  dev.on('fallback', (f) => events.push(`fallback ${f.requested} → ${f.using}: ${f.reason}`));
  dev.on('device-lost', (l) => events.push(`lost ${l.device}: ${l.reason}`));
  dev.on('error', (e) => events.push(`error ${e.message}`));
  return events;
}

test('listDevices: id, name, channels, default flag and host API from PortAudio', () => {
  const list = listPortAudioDevices(new FakeBinding());
  assert.deepEqual(list[1], { id: '1', name: 'default', inputs: 32, outputs: 32, isDefault: true, hostApi: 'ALSA' });
  assert.deepEqual(list.filter((d) => d.isDefault).map((d) => d.name), ['default']);
});

test('devices are chosen by name: exact, case-insensitive, substring; stream options per the testbed', async () => {
  const b = new FakeBinding();
  const clock = new TestClock();
  const cap = new PortAudioCapture({ binding: b, clock, device: 'usb headset', frameMs: 10 });
  const events = record(cap);
  await cap.start();
  assert.equal(b.last.options.deviceId, 2);
  assert.deepEqual(b.last.options, { deviceId: 2, sampleRate: 48000, channelCount: 1, sampleFormat: 16, framesPerBuffer: 480, maxQueue: 2, closeOnError: false });
  assert.ok(b.last.started);
  assert.equal(cap.device, 'USB Headset: Audio (hw:1,0)');
  await cap.stop();
  const out = new PortAudioPlayback({ binding: b, clock, device: 'HDMI', frameMs: 10 });
  await out.start();
  assert.equal(b.last.options.deviceId, 3);
  assert.equal(b.last.options.framesPerBuffer, 960, 'output always uses 960-frame buffers');
  await out.stop();
  assert.deepEqual(events, []);
});

test('a missing named device falls back to the default with a fallback event', async () => {
  const b = new FakeBinding();
  const cap = new PortAudioCapture({ binding: b, clock: new TestClock(), device: 'HDMI 0' }); // output-only: no input
  const events = record(cap);
  await cap.start();
  assert.equal(b.last.options.deviceId, -1);
  assert.equal(cap.device, 'default');
  assert.deepEqual(events, ['fallback HDMI 0 → default: no input device named "HDMI 0"']);
  await cap.stop();
});

test('a named device that fails to open falls back to the default; no device at all → start() throws', async () => {
  const b = new FakeBinding();
  b.failIds.add(2);
  const out = new PortAudioPlayback({ binding: b, clock: new TestClock(), device: 'USB Headset' });
  const events = record(out);
  await out.start();
  assert.equal(b.last.options.deviceId, -1);
  assert.match(events[0]!, /^fallback USB Headset → default: "USB Headset: Audio \(hw:1,0\)" failed to open: Could not open stream/);
  await out.stop();
  b.failIds.add(-1);
  await assert.rejects(new PortAudioPlayback({ binding: b, clock: new TestClock() }).start(), /Could not open stream/);
});

test('capture: frames copied from the device, level metered, mute sends zeros', async () => {
  const b = new FakeBinding();
  const cap = new PortAudioCapture({ binding: b, clock: new TestClock() });
  const got: Int16Array[] = [];
  cap.onFrame = (f) => got.push(Int16Array.from(f));
  await cap.start();
  const tone = sine(1000, 48000, 960, 16384, Math.PI / 2);
  b.last.deliver(tone);
  await tick();
  cap.muted = true;
  b.last.deliver(tone);
  await tick();
  assert.equal(got.length, 2);
  assert.deepEqual(got[0], tone);
  assert.ok(got[1]!.every((v) => v === 0));
  assert.ok(Math.abs(cap.level.rmsDbfs - -9.03) < 0.02);
  assert.equal(cap.toJSON().frames, 2);
  await cap.stop();
});

test('device lost mid-call (no frames for stallMs): device-lost, default reopened, stale stream ignored', async () => {
  const b = new FakeBinding();
  const clock = new TestClock();
  const cap = new PortAudioCapture({ binding: b, clock, device: 'USB', stallMs: 200 });
  const events = record(cap);
  let frames = 0;
  cap.onFrame = () => frames++;
  await cap.start();
  const usb = b.last;
  for (let i = 0; i < 12; i++) { usb.deliver(new Int16Array(960)); await tick(); clock.advance(20); }
  assert.equal(frames, 12);
  clock.advance(199);
  assert.equal(b.streams.length, 1, 'not lost yet');
  clock.advance(100);
  assert.equal(b.streams.length, 2);
  assert.equal(usb.quitMode, 'ABORT');
  assert.equal(b.last.options.deviceId, -1);
  assert.deepEqual(events, ['lost USB Headset: Audio (hw:1,0): no audio for 200 ms', 'fallback USB → default: "USB Headset: Audio (hw:1,0)" was lost']);
  usb.deliver(new Int16Array(960)); // the abandoned stream's pending read completes late
  await tick();
  assert.equal(frames, 12, 'nothing from the old stream');
  b.last.deliver(new Int16Array(960));
  await tick();
  assert.equal(frames, 13);
  assert.equal(cap.toJSON().reopens, 1);
  await cap.stop();
});

test('a new stream gets startupMs for its first frames before it counts as lost', async () => {
  const b = new FakeBinding();
  const clock = new TestClock();
  const cap = new PortAudioCapture({ binding: b, clock, stallMs: 200, startupMs: 2000 });
  await cap.start();
  clock.advance(1900);
  assert.equal(cap.state, PaState.Running);
  clock.advance(200);
  assert.equal(b.streams.length, 2, 'reopened after 2 s without a frame');
  await cap.stop();
});

test('reopen fails while no device is there: error event, retried every retryMs until it works', async () => {
  const b = new FakeBinding();
  const clock = new TestClock();
  const cap = new PortAudioCapture({ binding: b, clock, stallMs: 100, startupMs: 100, retryMs: 50 });
  const events = record(cap);
  await cap.start();
  b.failIds.add(-1);
  clock.advance(100);
  assert.equal(cap.state, PaState.Lost);
  assert.deepEqual(events, ['lost default: no audio for 100 ms', 'error reopening the default input device failed: Could not open stream: Device unavailable']);
  clock.advance(50);
  assert.equal(events.length, 3, 'retried');
  b.failIds.clear();
  clock.advance(50);
  assert.equal(cap.state, PaState.Running);
  assert.equal(b.streams.length, 2);
  await cap.stop();
  assert.equal(cap.state, PaState.Idle);
});

test('playback: the device pulls a frame per period (onPeriod), byte-exact; late engine → underruns', async () => {
  const b = new FakeBinding();
  const out = new PortAudioPlayback({ binding: b, clock: new TestClock() });
  const tone = sine(1000, 48000, 960 * 6);
  let n = 0;
  out.onPeriod = () => { if (n < 4) out.write(tone.subarray(n * 960, ++n * 960)); };
  await out.start();
  for (let i = 0; i < 6; i++) { b.last.consume(); await tick(); }
  const s = b.last;
  assert.equal(s.written.length, 7);
  for (let i = 0; i < 4; i++) assert.deepEqual(s.written[i], tone.subarray(i * 960, (i + 1) * 960));
  assert.ok(s.written[4]!.every((v) => v === 0));
  const stats = out.toJSON();
  assert.equal(stats.framesPlayed, 7);
  assert.equal(stats.underruns, 3);
  await out.stop();
});

test('stop() returns even when a dead stream never finishes quit()', async () => {
  const b = new FakeBinding();
  b.deadStreams = true;
  const clock = new TestClock();
  const out = new PortAudioPlayback({ binding: b, clock });
  await out.start();
  let stopped = false;
  const p = out.stop().then(() => { stopped = true; });
  await tick();
  assert.equal(stopped, false);
  clock.advance(QUIT_TIMEOUT_MS);
  await p;
  assert.equal(stopped, true);
  assert.equal(clock.pending, 0);
});

test('a PortAudio error (write rejects) or an ended capture stream is a lost device: reopened at once', async () => {
  const b = new FakeBinding();
  const out = new PortAudioPlayback({ binding: b, clock: new TestClock(), device: 'pulse' });
  const events = record(out);
  await out.start();
  b.last.failWrite('Unanticipated host error');
  await tick();
  assert.deepEqual(events, ['lost pulse: Unanticipated host error', 'fallback pulse → default: "pulse" was lost']);
  assert.equal(b.streams.length, 2);
  assert.equal(b.last.options.deviceId, -1);
  await out.stop();
  const cap = new PortAudioCapture({ binding: b, clock: new TestClock() });
  const capEvents = record(cap);
  await cap.start();
  b.last.reads.shift()!({ finished: true });
  await tick();
  assert.deepEqual(capEvents, ['lost default: capture stream ended']);
  assert.equal(b.streams.length, 4);
  assert.equal(cap.toJSON().reopens, 1);
  await cap.stop();
});
