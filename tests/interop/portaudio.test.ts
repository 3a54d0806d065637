/**
 * Our PortAudio devices against a real (headless, real-time) PulseAudio: capture what is played into
 * the virtual microphone, play to the virtual speaker and check what parecord recorded. PortAudio
 * runs in a child process started with the harness's env (it reads PULSE_SERVER/HOME at init).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { makeTempDir, removeTempDir } from './harness/process.js';
import { makeToneWav } from './harness/audio.js';
import { startPulse, type Pulse } from './harness/pulse.js';
import { readWav } from '../support/wav.js';
import { dominantFrequency, findGaps, rmsDbfs } from '../support/audio-analysis.js';

const CHILD = join(import.meta.dirname, 'fixtures', 'pulse', 'pa-child.ts');

interface ChildResult {
  events: { e: string; x: string }[];
  [k: string]: unknown;
}

function runChild(p: Pulse, args: string[], timeoutMs = 30_000): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', CHILD, ...args], { env: p.env, timeout: timeoutMs }, (err, stdout, stderr) => {
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      if (err || !line) return reject(new Error(`pa-child ${args.join(' ')} failed: ${err?.message}\n${stdout.slice(-2000)}\n${stderr.slice(-2000)}`));
      resolve(JSON.parse(line.slice(7)) as ChildResult);
    });
  });
}

test('PortAudio on headless PulseAudio: list, capture the virtual mic, play to the virtual speaker', { timeout: 120_000 }, async (t) => {
  const dir = makeTempDir('np-pa-');
  const pulse = await startPulse(dir);
  t.after(async () => { await pulse.stop(); removeTempDir(dir); });
  const tone = makeToneWav(join(dir, 'tone.wav'), { seconds: 20, freqHz: 1000, volume: 0.5 });

  await t.test('listDevices() shows the ALSA pulse device and a default', async () => {
    const r = await runChild(pulse, ['list']);
    const devices = r.devices as { name: string; inputs: number; outputs: number; isDefault: boolean; hostApi: string }[];
    const pulseDev = devices.find((d) => d.name === 'pulse');
    assert.ok(pulseDev && pulseDev.inputs > 0 && pulseDev.outputs > 0, JSON.stringify(devices));
    assert.ok(devices.some((d) => d.isDefault), 'a default device');
    assert.equal(pulseDev.hostApi, 'ALSA');
  });

  await t.test('capture by name ("pulse"): 5 s of the 1 kHz tone fed to the mic, right frequency and level', async () => {
    const mic = pulse.playToMic(tone);
    try {
      const out = join(dir, 'captured.wav');
      const r = await runChild(pulse, ['capture', '5', out, 'pulse']);
      const stats = r.stats as { device: string; frames: number; reopens: number };
      assert.deepEqual(r.events, []);
      assert.equal(stats.device, 'pulse');
      assert.equal(stats.frames, 250);
      assert.equal(stats.reopens, 0);
      const pcm = readWav(out).samples.subarray(48000); // skip the first second (stream start)
      const f = dominantFrequency(pcm, 48000);
      assert.ok(Math.abs(f - 1000) < 2, `frequency ${f}`);
      const level = rmsDbfs(pcm);
      assert.ok(Math.abs(level - -9.03) < 1, `level ${level.toFixed(2)} dBFS (tone at −6 dBFS peak)`);
      const gaps = findGaps(pcm, 48000, -40, 20);
      assert.deepEqual(gaps, [], 'no dropouts in the capture');
      console.log(`# capture real-time: 5 s of audio took ${((r.elapsedMs as number) / 1000).toFixed(2)} s from start() ` +
        `(${((r.sinceFirstFrameMs as number) / 1000).toFixed(2)} s from the first frame)`);
    } finally {
      await mic.stop();
    }
  });

  await t.test('capture from a missing device name falls back to the default (event) and still hears the mic', async () => {
    const mic = pulse.playToMic(tone);
    try {
      const out = join(dir, 'fallback.wav');
      const r = await runChild(pulse, ['capture', '2', out, 'No Such Microphone']);
      assert.equal(r.events.length, 1);
      assert.equal(r.events[0]!.e, 'fallback');
      assert.match(r.events[0]!.x, /No Such Microphone/);
      const pcm = readWav(out).samples.subarray(48000);
      assert.ok(Math.abs(dominantFrequency(pcm, 48000) - 1000) < 2);
    } finally {
      await mic.stop();
    }
  });

  await t.test('playback: parecord hears the 1 kHz tone, no gap > 60 ms after the first 500 ms', async () => {
    const recFile = join(dir, 'speaker.wav');
    const rec = pulse.recordSpeaker(recFile);
    await new Promise((r) => setTimeout(r, 300)); // let parecord connect (real process, real time)
    const r = await runChild(pulse, ['play', tone, '5']);
    await new Promise((r2) => setTimeout(r2, 300));
    await rec.stop();
    const stats = r.stats as { framesPlayed: number; underruns: number; reopens: number };
    assert.deepEqual(r.events, []);
    assert.equal(stats.reopens, 0);
    const got = readWav(recFile);
    assert.equal(got.rate, 48000);
    const loud = 0.1 * 32768;
    const first = got.samples.findIndex((v) => Math.abs(v) > loud);
    const last = got.samples.findLastIndex((v) => Math.abs(v) > loud);
    assert.ok(first >= 0 && last - first > 2 * 48000, `tone heard for ${((last - first) / 48000).toFixed(2)} s`);
    const body = got.samples.subarray(first + 24000, last);
    assert.ok(Math.abs(dominantFrequency(body, 48000) - 1000) < 2);
    const gaps = findGaps(body, 48000, -40, 60);
    assert.deepEqual(gaps.map((g) => `${g.startMs.toFixed(0)} ms +${g.durationMs.toFixed(0)}`), []);
    console.log(`# playback: ${stats.framesPlayed} frames, ${stats.underruns} underruns, tone heard ${((last - first) / 48000).toFixed(2)} s`);
  });
});
