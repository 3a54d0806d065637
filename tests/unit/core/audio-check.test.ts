import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AudioCheck, audioCheckMs } from '../../../src-main/core/audio-check.js';

function setup() {
  const log: string[] = [];
  const timers: Array<{ fn: () => void; ms: number; live: boolean }> = [];
  let calls = 0;
  const check = new AudioCheck({
    engine: () => ({ tone: (key, tone) => log.push(`tone ${key} ${tone}`), ring: (on) => log.push(`ring ${on}`) }),
    gate: { acquire: async () => { log.push('acquire'); }, release: () => log.push('release') },
    inCall: () => calls > 0,
    onChange: (test, running) => log.push(`${test} ${running ? 'started' : 'ended'}`),
    setTimer: (fn, ms) => { const t = { fn, ms, live: true }; timers.push(t); return t; },
    clearTimer: (t) => { (t as { live: boolean }).live = false; },
  });
  const fire = () => { for (const t of timers.filter((x) => x.live)) { t.live = false; t.fn(); } };
  return { check, log, timers, fire, setCalls: (n: number) => { calls = n; } };
}

describe('audio checks (Settings › Audio)', () => {
  it('a test tone opens the devices, plays on the speaker and stops by itself after its time', async () => {
    const { check, log, timers, fire } = setup();
    assert.deepEqual(await check.start('speaker'), { ok: true, value: null });
    assert.deepEqual(log, ['acquire', 'tone audio-check ringback', 'speaker started']);
    assert.equal(timers[0]!.ms, audioCheckMs.speaker);
    fire();
    assert.deepEqual(log.slice(3), ['tone audio-check none', 'release', 'speaker ended']);
    assert.equal(check.current, undefined);
  });

  it('a ring test rings the ringer and stops it on request; a new check ends the one running', async () => {
    const { check, log } = setup();
    await check.start('ring');
    await check.start('microphone');
    assert.deepEqual(log, ['acquire', 'ring true', 'ring started', 'ring false', 'release', 'ring ended', 'acquire', 'microphone started']);
    check.stop();
    assert.deepEqual(log.slice(8), ['release', 'microphone ended']);
    check.stop();
    assert.equal(log.length, 10, 'stopping when nothing runs does nothing');
  });

  it('is refused during a call; a call that starts ends the check and keeps the devices open for it', async () => {
    const { check, log, setCalls } = setup();
    setCalls(1);
    assert.deepEqual(await check.start('microphone'), { ok: false, error: 'audio checks wait until no call is in progress' });
    assert.deepEqual(log, []);
    setCalls(0);
    await check.start('ring');
    setCalls(1);
    check.callStarted();
    assert.deepEqual(log, ['acquire', 'ring true', 'ring started', 'ring false', 'ring ended'], 'no release: the call holds the devices');
  });
});
