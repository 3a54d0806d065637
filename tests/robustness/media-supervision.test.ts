/**
 * Supervision (issue 8, item 10): killing the media worker mid-call ends that call with cause
 * media-failure, the phone keeps running, and the next call has audio both ways.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createPhone } from '../../src-main/core/phone.js';
import type { PhoneEvent } from '../../src-main/contract/channels.js';
import { makeToneWav, testScope } from '../interop/harness/index.js';
import { startSoftphone } from '../support/softphone-process.js';
import { readWav } from '../support/wav.js';
import { dominantFrequency, rmsDbfs, toneSnrDb } from '../support/audio-analysis.js';

const ours = 700;
const theirs = 1100;

function waitFor(events: PhoneEvent[], listen: (cb: () => void) => void, match: (e: PhoneEvent) => boolean, what: string, ms = 10_000): Promise<PhoneEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}: ${JSON.stringify(events.slice(-8))}`)), ms);
    const check = () => {
      const hit = events.find(match);
      if (hit) {
        clearTimeout(timer);
        resolve(hit);
      }
    };
    listen(check);
    check();
  });
}

describe('media worker supervision', () => {
  it('a killed media worker ends its call with media-failure and the next call has audio both ways', async (t) => {
    const scope = testScope(t);
    const peerRec = join(scope.dir, 'peer.wav');
    const peer = scope.use(startSoftphone(['listen', '--id', 'sip:peer@127.0.0.1', '--bind-address', '127.0.0.1',
      '--incoming-policy', 'any', '--auto-answer', '--codecs', 'pcmu',
      '--play-file', makeToneWav(join(scope.dir, 'theirs.wav'), { freqHz: theirs }), '--rec-file', peerRec]));
    const ready = await peer.waitEvent((e) => e.event === 'ready', 'peer ready');
    const target = `sip:peer@127.0.0.1:${ready.port as number}`;

    const myRec = join(scope.dir, 'mine.wav');
    const phone = await createPhone({
      host: 'cli', engineIsolation: 'process', sip: { bindAddress: '127.0.0.1' }, media: { codecs: ['PCMU'] },
      devices: { kind: 'file', playFile: makeToneWav(join(scope.dir, 'ours.wav'), { freqHz: ours }), recFile: myRec },
    });
    scope.use({ stop: () => phone.stop() });
    const events: PhoneEvent[] = [];
    const listeners = new Set<() => void>();
    phone.onEvent((e) => {
      events.push(e);
      for (const l of listeners) l();
    });
    const listen = (cb: () => void) => listeners.add(cb);
    const state = (id: string, s: string) => (e: PhoneEvent) => e.type === 'call' && e.call.id === id && e.call.state === s;

    const first = await phone.handlers['calls.command']({ type: 'dial', uri: target });
    assert.ok(first.ok, JSON.stringify(first));
    const firstId = first.value as string;
    await waitFor(events, listen, state(firstId, 'active'), 'first call active');
    await new Promise((r) => setTimeout(r, 1000));

    // The media worker runs in a child process of this test process: kill it.
    const children = execFileSync('pgrep', ['-P', String(process.pid)], { encoding: 'utf8' }).trim().split('\n').map(Number);
    const worker = children.find((pid) => execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).includes('engine-worker'));
    assert.ok(worker, `no media worker among ${children.join(',')}`);
    process.kill(worker, 'SIGKILL');

    const ended = await waitFor(events, listen, state(firstId, 'ended'), 'first call ended');
    assert.equal(ended.type === 'call' && ended.call.cause, 'media-failure');
    assert.ok(events.some((e) => e.type === 'notice' && /media engine stopped/.test(e.message)));
    await peer.waitEvent((e) => e.event === 'call' && e.state === 'ended', 'peer sees the first call end');

    const second = await phone.handlers['calls.command']({ type: 'dial', uri: target });
    assert.ok(second.ok, JSON.stringify(second));
    const secondId = second.value as string;
    await waitFor(events, listen, state(secondId, 'active'), 'second call active');
    await new Promise((r) => setTimeout(r, 3000));
    await phone.handlers['calls.command']({ type: 'hangup', callId: secondId });
    await waitFor(events, listen, state(secondId, 'ended'), 'second call ended');
    await phone.stop();
    await peer.stop();

    // Our recording is from the new worker (the second call); the peer's spans both calls: check
    // 2 s before the hang-up (its last half second may already be silent) for the other's tone.
    const mine = readWav(myRec);
    const theirsHeard = readWav(peerRec);
    const beforeEnd = (pcm: { samples: Int16Array; rate: number }) =>
      pcm.samples.subarray(Math.max(0, pcm.samples.length - 2.5 * pcm.rate), pcm.samples.length - 0.5 * pcm.rate);
    for (const [pcm, freq, who] of [[mine, theirs, 'we'], [theirsHeard, ours, 'the peer']] as const) {
      const window = beforeEnd(pcm);
      const found = dominantFrequency(window, pcm.rate);
      const level = rmsDbfs(window);
      const snr = toneSnrDb(window, pcm.rate, freq);
      t.diagnostic(`second call: ${who} heard ${found.toFixed(1)} Hz at ${level.toFixed(1)} dBFS, ${snr.toFixed(1)} dB SNR`);
      assert.ok(Math.abs(found - freq) < 5, `${who} heard ${found.toFixed(1)} Hz, expected ${freq}`);
      assert.ok(level > -20, `${who} heard ${level.toFixed(1)} dBFS`);
      assert.ok(snr > 10, `${who}: ${snr.toFixed(1)} dB SNR`);
    }
  });
});
