/**
 * `softphone echo-test` honours --aec/--ns/--agc (issue 17): on files (--play-file/--rec-file)
 * processing is off unless a flag asks for it, as in calls. A quiet tone (-43 dBFS RMS) looped
 * through the whole audio path comes back at its level without flags, and brought up by the gain
 * control (slowly: at most 2.5 dB/s) with --agc on.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makeToneWav, testScope } from './harness/index.js';
import { startSoftphone } from '../support/softphone-process.js';
import { readWav } from '../support/wav.js';
import { rmsDbfs } from '../support/audio-analysis.js';

const SECONDS = 5;

/** Level of the recording's first and last second of sound, dBFS. */
function levels(file: string): { first: number; last: number } {
  const { samples, rate } = readWav(file);
  const start = samples.findIndex((s) => Math.abs(s) > 30);
  const end = samples.findLastIndex((s) => Math.abs(s) > 30);
  assert.ok(start >= 0 && end - start > 2.5 * rate, `${file}: ${((end - start) / rate).toFixed(2)} s of sound`);
  return { first: rmsDbfs(samples.subarray(start + rate / 5, start + rate)), last: rmsDbfs(samples.subarray(end - rate, end - rate / 5)) };
}

describe('softphone echo-test with microphone processing flags', () => {
  it('--agc on raises a quiet microphone; without flags the level is untouched', async (t) => {
    const scope = testScope(t);
    const tone = makeToneWav(join(scope.dir, 'quiet.wav'), { freqHz: 440, seconds: 30, volume: 0.01 });
    const run = (name: string, flags: string[]) => {
      const rec = join(scope.dir, `${name}.wav`);
      const p = scope.use(startSoftphone(['echo-test', '--play-file', tone, '--rec-file', rec, '--duration', String(SECONDS), ...flags]));
      return { p, rec };
    };
    const plain = run('plain', []);
    const agc = run('agc', ['--agc', 'on']);
    assert.equal(await plain.p.exited, 0, plain.p.stderr());
    assert.equal(await agc.p.exited, 0, agc.p.stderr());
    const a = levels(plain.rec), b = levels(agc.rec);
    const figures = `no flags: ${a.first.toFixed(1)} -> ${a.last.toFixed(1)} dBFS; --agc on: ${b.first.toFixed(1)} -> ${b.last.toFixed(1)} dBFS`;
    t.diagnostic(figures);
    assert.ok(Math.abs(a.last - a.first) <= 1, figures);
    assert.ok(Math.abs(a.first - -43) <= 2, figures);
    assert.ok(b.last - b.first >= 4, figures);
  });
});
