import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestClock } from '../../support/test-clock.js';
import { FileCapture, FilePlayback } from '../../../src-main/media/devices/file-device.js';
import { NullCapture, NullPlayback } from '../../../src-main/media/devices/null-device.js';
import { WavFileWriter, wavHeader, DATA_SIZE_OFFSET, RIFF_SIZE_OFFSET } from '../../../src-main/media/devices/wav-writer.js';
import { readWav, writeWav } from '../../support/wav.js';
import { db, maxStep, rms, sine, zeroCrossingFrequency } from '../../support/audio-analysis.js';

const dir = mkdtempSync(join(tmpdir(), 'nimbus-dev-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** Collects copies of the frames a capture device delivers. */
function collect(dev: { onFrame: ((f: Int16Array) => void) | undefined }): Int16Array[] {
  const frames: Int16Array[] = [];
  dev.onFrame = (f) => frames.push(Int16Array.from(f));
  return frames;
}
const concat = (frames: Int16Array[]): Int16Array => {
  const out = new Int16Array(frames.reduce((n, f) => n + f.length, 0));
  let o = 0;
  for (const f of frames) { out.set(f, o); o += f.length; }
  return out;
};

test('canonical RIFF/WAVE header, 48 kHz mono 16-bit (byte-exact)', () => {
  const expected = Buffer.from(
    '52494646' + '24770100' + '57415645' + '666d7420' + '10000000' + '0100' + '0100' +
    '80bb0000' + '00770100' + '0200' + '1000' + '64617461' + '00770100', 'hex');
  assert.deepEqual(wavHeader(48000, 96000), expected);
});

test('file capture: 44.1 kHz stereo WAV → 48 kHz mono frames, paced by the clock, looped seamlessly', async () => {
  const file = join(dir, 'tone-44k-stereo.wav');
  const left = sine(1000, 44100, 22050, 8000);
  const stereo = new Int16Array(left.length * 2);
  for (let i = 0; i < left.length; i++) { stereo[2 * i] = left[i]!; stereo[2 * i + 1] = left[i]!; }
  writeWav(file, stereo, 44100, 2);
  const clock = new TestClock();
  const cap = new FileCapture({ path: file, clock, rate: 48000, frameMs: 20 });
  const frames = collect(cap);
  await cap.start();
  clock.advance(1990);
  assert.equal(frames.length, 99, 'one frame per 20 ms, none early');
  clock.advance(10);
  assert.equal(frames.length, 100);
  await cap.stop();
  clock.advance(1000);
  assert.equal(frames.length, 100, 'nothing after stop');
  assert.ok(frames.every((f) => f.length === 960));
  const pcm = concat(frames);
  const f = zeroCrossingFrequency(pcm, 48000, 480, 23500);
  assert.ok(Math.abs(f - 1000) < 1, `frequency ${f}`);
  assert.ok(Math.abs(db(rms(pcm, 480, 23520) / (8000 / Math.SQRT2))) < 0.2, 'level kept');
  assert.equal(cap.loops, 3, '0.5 s file played 4 times in 2 s');
  const step = maxStep(pcm, 480);
  assert.ok(step < 1100, `max step ${step} (a 1 kHz tone at 8000 moves ≤ 1047 per sample)`);
  assert.equal(cap.toJSON().frames, 100);
});

test('file capture: 8 kHz mono file is resampled (integer ratio); the loop point has no click', async () => {
  const file = join(dir, 'tone-8k.wav');
  writeWav(file, sine(500, 8000, 4000, 10000), 8000); // 0.5 s = 250 whole cycles: seamless loop
  const clock = new TestClock();
  const cap = new FileCapture({ path: file, clock, frameMs: 10 });
  const frames = collect(cap);
  await cap.start();
  clock.advance(1500);
  const pcm = concat(frames);
  assert.equal(pcm.length, 72000);
  const f = zeroCrossingFrequency(pcm, 48000, 2000);
  assert.ok(Math.abs(f - 500) < 0.5, `frequency ${f}`);
  // 500 Hz at amplitude 10000: ≤ 2π·500·10000/48000 ≈ 654 per sample. Around the loop points too.
  const step = maxStep(pcm, 2000);
  assert.ok(step < 700, `max step ${step}`);
});

test('file capture: mute sends zeros with unchanged timing; the level meter still reads the input', async () => {
  const file = join(dir, 'tone-mute.wav');
  writeWav(file, sine(1000, 48000, 48000, 16384, Math.PI / 2), 48000);
  const clock = new TestClock();
  const cap = new FileCapture({ path: file, clock });
  const frames = collect(cap);
  await cap.start();
  clock.advance(100);
  cap.muted = true;
  clock.advance(100);
  assert.equal(frames.length, 10);
  assert.ok(frames.slice(0, 5).every((f) => rms(f) > 10000));
  assert.ok(frames.slice(5).every((f) => f.every((v) => v === 0)));
  assert.ok(Math.abs(cap.level.rmsDbfs - -9.03) < 0.05, `level ${cap.level.rmsDbfs}`);
  assert.equal(cap.toJSON().muted, true);
});

test('file playback: what is written comes out byte-exact; an underrun is recorded as silence', async () => {
  const file = join(dir, 'out.wav');
  const clock = new TestClock();
  const play = new FilePlayback({ path: file, clock });
  await play.start();
  const tone = sine(1000, 48000, 48000);
  // The engine writes a frame just before each device period; it pauses for 100 ms at 500 ms.
  for (let i = 0; i < 50; i++) {
    if (i < 25 || i >= 30) play.write(tone.subarray(i * 960, (i + 1) * 960));
    clock.advance(20);
  }
  const stats = play.toJSON();
  assert.equal(stats.framesPlayed, 50);
  assert.equal(stats.underruns, 5);
  assert.equal(stats.overflows, 0);
  await play.stop();
  const got = readWav(file);
  assert.equal(got.rate, 48000);
  assert.equal(got.samples.length, 48000);
  assert.deepEqual(got.samples.subarray(0, 24000), tone.subarray(0, 24000));
  assert.ok(got.samples.subarray(24000, 28800).every((v) => v === 0));
  assert.deepEqual(got.samples.subarray(28800), tone.subarray(28800));
});

test('wav writer: sizes in the header are patched after each chunk, and exact on close', async () => {
  const file = join(dir, 'stream.wav');
  const w = await WavFileWriter.create(file, 16000, 10); // 160-sample chunks
  w.append(sine(1000, 16000, 400));
  await new Promise<void>((r) => setTimeout(r, 20)); // let the two full chunks reach the disk
  let bytes = readFileSync(file);
  assert.equal(bytes.readUInt32LE(DATA_SIZE_OFFSET), 640);
  assert.equal(bytes.readUInt32LE(RIFF_SIZE_OFFSET), 36 + 640);
  await w.close();
  bytes = readFileSync(file);
  assert.equal(bytes.length, 44 + 800);
  assert.equal(bytes.readUInt32LE(DATA_SIZE_OFFSET), 800);
  assert.deepEqual(readWav(file).samples, sine(1000, 16000, 400));
});

test('null devices: paced silence in (50 frames/s), discard out with underruns counted', async () => {
  const clock = new TestClock();
  const cap = new NullCapture({ clock });
  const frames = collect(cap);
  await cap.start();
  clock.advance(1000);
  assert.equal(frames.length, 50);
  assert.ok(frames.every((f) => f.length === 960 && f.every((v) => v === 0)));
  await cap.stop();
  const out = new NullPlayback({ clock, frameMs: 10 });
  await out.start();
  for (let i = 0; i < 10; i++) out.write(new Int16Array(480)); // queue holds 5: 5 overflows
  clock.advance(1000);
  assert.deepEqual(out.toJSON(), {
    device: 'null', running: true, framesPlayed: 100, framesQueued: 0, underruns: 95, overflows: 5, reopens: 0,
  });
  await out.stop();
  assert.equal(clock.pending, 0);
});
