/**
 * Issue 13: a network change mid-call. Our CLI in two homes (endpoint-independent NATs, STUN, TURN
 * and ICE on both sides) is in a call when home 0 is moved to a new address (its flows' NAT
 * mappings are gone, the old address no longer exists). The phone notices, renegotiates (ICE
 * restart in a new offer, RFC 8445 §9 / RFC 8839 §4.4.1.1.1) and audio comes back both ways
 * within 5 s: in each recording the silence around the move lasts at most 5 s and the tone
 * continues to the end of the call.
 * Against baresip without ICE (STUN only on our side: the default candidate is server-reflexive),
 * the recovery is a new offer whose c=/m= carry the new mapping (RFC 3264 §8): baresip's tone
 * comes back in our recording within 5 s and our media reaches its RTP port from the new address.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { testScope } from './harness/index.js';
import { dominantFrequency, findGaps } from '../support/audio-analysis.js';
import { readWav } from '../support/wav.js';
import { callState, type Softphone } from '../support/softphone-process.js';
import { tracedMessages } from './support/call-control.js';
import {
  accountArgs, checkTone, describeTone, natFlags, otherTone, ourTone, registered, softphoneAtHome, startNatServices, theirTone,
} from './support/nat-bed.js';

const callSeconds = 12;
const moveAfterMs = 3000;
const recoveryMs = 5000;

interface Recovery { audibleSeconds: number; longestGapMs: number; afterGapSeconds: number; afterGapHz: number }

/** From the first to the last sound: how long, the longest silence (> 100 ms) and what follows it. */
function recovery(file: string): Recovery {
  const pcm = readWav(file);
  const limit = 32768 * Math.pow(10, -40 / 20);
  const first = pcm.samples.findIndex((x) => Math.abs(x) > limit);
  assert.ok(first >= 0, `${file}: silent`);
  let last = pcm.samples.length - 1;
  while (Math.abs(pcm.samples[last]!) <= limit) last--;
  const audible = pcm.samples.subarray(first, last + 1);
  const gaps = findGaps(audible, pcm.rate, -40, 100);
  const longest = gaps.reduce((a, g) => (g.durationMs > a.durationMs ? g : a), { end: 0, durationMs: 0 });
  const after = audible.subarray(longest.end);
  return {
    audibleSeconds: audible.length / pcm.rate,
    longestGapMs: longest.durationMs,
    afterGapSeconds: after.length / pcm.rate,
    afterGapHz: after.length > pcm.rate / 4 ? dominantFrequency(after, pcm.rate) : 0,
  };
}

const offers = (p: Softphone) => tracedMessages(p.stderr()).filter((m) => /^(INVITE|UPDATE) /.test(m.firstLine) && /^v=0/m.test(m.text));

describe('network change mid-call (issue 13)', () => {
  it('home moved to a new address: the call recovers within 5 s, audio both ways', async (t) => {
    const scope = testScope(t);
    const s = await startNatServices(scope, { homes: [{ nat: 'endpoint-independent' }, { nat: 'endpoint-independent' }], coturn: {}, baresip: false });
    const flags = natFlags(s, scope, { stun: true, turn: { transport: 'udp' }, ice: 'on' });
    const heard = [join(scope.dir, 'heard-0.wav'), join(scope.dir, 'heard-1.wav')];
    const callee = softphoneAtHome(scope, s, 1, ['listen', ...accountArgs(s, scope, '1002', otherTone), ...flags, '--rec-file', heard[1]!, '--auto-answer']);
    assert.equal((await registered(callee)).state, 'registered');
    const caller = softphoneAtHome(scope, s, 0, ['call', `sip:1002@${s.domain}`, ...accountArgs(s, scope, '1001', ourTone), ...flags,
      '--rec-file', heard[0]!, '--duration', String(callSeconds)]);
    await caller.waitEvent(callState('confirmed'), 'call confirmed', 20_000);
    const offersBefore = offers(caller).length + offers(callee).length;
    await sleep(moveAfterMs);
    const from = s.bed.homes[0]!.address;
    const to = s.bed.moveHome(0);
    t.diagnostic(`home 0 moved from ${from} to ${to}`);
    await caller.waitEvent((e) => e.event === 'notice' && /network changed/.test(String(e.message)), 'the caller noticed the network change', 10_000);
    await caller.waitEvent(callState('ended'), 'call ended', callSeconds * 1000 + 20_000);
    await callee.waitEvent(callState('ended', 'incoming'), 'callee saw the call end', 10_000);
    callee.command('quit');
    assert.equal(await caller.exited, 0, 'the call ended normally (not a media failure)');
    assert.equal(await callee.exited, 0);
    const figures = heard.map((file) => recovery(file));
    figures.forEach((r, i) => t.diagnostic(`home ${i} heard: ${r.audibleSeconds.toFixed(2)} s from first to last sound, longest silence ${r.longestGapMs.toFixed(0)} ms, ` +
      `then ${r.afterGapSeconds.toFixed(2)} s at ${r.afterGapHz.toFixed(1)} Hz`));
    const newOffers = offers(caller).length + offers(callee).length - offersBefore;
    t.diagnostic(`new offers after the move: ${newOffers}`);
    assert.ok(newOffers > 0, 'a new offer after the move (ICE restart / re-INVITE)');

    for (const [i, tone] of [[0, otherTone], [1, ourTone]] as const) {
      const r = figures[i]!;
      assert.ok(r.audibleSeconds >= callSeconds - 3, `home ${i}: audio continued after the move (only ${r.audibleSeconds.toFixed(2)} s)`);
      assert.ok(r.longestGapMs <= recoveryMs, `home ${i}: silence of ${r.longestGapMs.toFixed(0)} ms (recovery within ${recoveryMs} ms)`);
      assert.ok(r.afterGapSeconds >= 2, `home ${i}: only ${r.afterGapSeconds.toFixed(2)} s of audio after the silence`);
      assert.ok(Math.abs(r.afterGapHz - tone) < 5, `home ${i}: ${r.afterGapHz.toFixed(1)} Hz after the silence, expected ${tone}`);
    }
  });

  it('home moved while our phone rings: it answers from the new address (ICE candidates there), audio both ways', async (t) => {
    const scope = testScope(t);
    const s = await startNatServices(scope, { homes: [{ nat: 'endpoint-independent' }, { nat: 'endpoint-independent' }], coturn: {}, baresip: false });
    const flags = natFlags(s, scope, { stun: true, turn: { transport: 'udp' }, ice: 'on' });
    const heard = [join(scope.dir, 'heard-0.wav'), join(scope.dir, 'heard-1.wav')];
    // The callee (home 0) rings for 6 s before it answers by itself; its home moves meanwhile.
    // Tones away from the caller's local ringback (US: 440 + 480 Hz), which its recording holds too.
    const callee = softphoneAtHome(scope, s, 0, ['listen', ...accountArgs(s, scope, '1001', theirTone), ...flags, '--rec-file', heard[0]!, '--auto-answer=6000']);
    assert.equal((await registered(callee)).state, 'registered');
    const caller = softphoneAtHome(scope, s, 1, ['call', `sip:1001@${s.domain}`, ...accountArgs(s, scope, '1002', otherTone), ...flags,
      '--rec-file', heard[1]!, '--duration', String(callSeconds)]);
    await callee.waitEvent((e) => e.event === 'call' && e.direction === 'incoming', 'the call rings', 20_000);
    await sleep(1000);
    const from = s.bed.homes[0]!.address;
    const to = s.bed.moveHome(0);
    t.diagnostic(`home 0 moved from ${from} to ${to} while ringing`);
    await callee.waitEvent((e) => e.event === 'notice' && /network changed/.test(String(e.message)), 'the callee noticed the network change', 10_000);
    await callee.waitEvent(callState('confirmed', 'incoming'), 'answered', 20_000);
    await caller.waitEvent(callState('ended'), 'call ended', callSeconds * 1000 + 20_000);
    await callee.waitEvent(callState('ended', 'incoming'), 'callee saw the call end', 10_000);
    callee.command('quit');
    assert.equal(await caller.exited, 0, 'the call ended normally (not a media failure)');
    assert.equal(await callee.exited, 0);
    const ok = tracedMessages(callee.stderr()).find((m) => m.dir === 'out' && /^SIP\/2\.0 200/.test(m.firstLine) && /^CSeq:\s*\d+ INVITE/im.test(m.text));
    assert.ok(ok, 'our 200 OK');
    const hosts = [...ok.text.matchAll(/^a=candidate:\S+ 1 UDP \d+ (\S+) \d+ typ host/gim)].map((m) => m[1]);
    assert.deepEqual(hosts, [to], `the answer's host candidate is the new address, not ${from}:\n${ok.text}`);
    // Audio both ways from the answer on: each side's tone in the other's recording, without gaps.
    const calleeHeard = checkTone(heard[0]!, otherTone, 'the callee heard the caller');
    const callerHeard = checkTone(heard[1]!, theirTone, 'the caller heard the callee');
    t.diagnostic(`callee heard ${describeTone(calleeHeard)}; caller heard ${describeTone(callerHeard)}`);
    assert.ok(calleeHeard.ok && callerHeard.ok, `callee heard ${describeTone(calleeHeard)}; caller heard ${describeTone(callerHeard)}`);
    const r = recovery(heard[0]!);
    t.diagnostic(`the callee heard ${r.audibleSeconds.toFixed(2)} s from first to last sound, longest silence ${r.longestGapMs.toFixed(0)} ms`);
    assert.ok(r.audibleSeconds >= callSeconds - 3, `the callee heard only ${r.audibleSeconds.toFixed(2)} s of audio`);
  });

  it('baresip without ICE: a new offer with the new mapping in c=/m= brings its audio back within 5 s', async (t) => {
    const scope = testScope(t);
    const s = await startNatServices(scope, { homes: [{ nat: 'endpoint-independent' }], coturn: {} });
    const heard = join(scope.dir, 'heard.wav');
    const caller = softphoneAtHome(scope, s, 0, ['call', `sip:1010@${s.domain}`, ...accountArgs(s, scope, '1001', ourTone),
      ...natFlags(s, scope, { stun: true, ice: 'on' }), '--rec-file', heard, '--duration', String(callSeconds)]);
    await caller.waitEvent(callState('confirmed'), 'call confirmed', 20_000);
    const before = offers(caller).length;
    const answer = tracedMessages(caller.stderr()).find((m) => m.dir === 'in' && /^SIP\/2\.0 200/.test(m.firstLine) && /^CSeq:\s*\d+ INVITE/im.test(m.text))?.text ?? '';
    const theirRtp = Number(/^m=audio (\d+) /m.exec(answer)?.[1]);
    assert.ok(theirRtp > 0, `baresip's RTP port in its answer:\n${answer}`);
    await sleep(moveAfterMs);
    const towardThem = s.bed.countToward(0, 'udp', s.bed.internetAddress, theirRtp);
    t.diagnostic(`home 0 moved to ${s.bed.moveHome(0)}`);
    await caller.waitEvent((e) => e.event === 'notice' && /network changed/.test(String(e.message)), 'the caller noticed the network change', 10_000);
    await caller.waitEvent(callState('ended'), 'call ended', callSeconds * 1000 + 20_000);
    assert.equal(await caller.exited, 0, 'the call ended normally (not a media failure)');
    const sent = towardThem.read();
    const r = recovery(heard);
    t.diagnostic(`we heard: ${r.audibleSeconds.toFixed(2)} s from first to last sound, longest silence ${r.longestGapMs.toFixed(0)} ms, ` +
      `then ${r.afterGapSeconds.toFixed(2)} s at ${r.afterGapHz.toFixed(1)} Hz; ${sent} packets from the new address to baresip's RTP port`);
    const all = offers(caller);
    const first = all[0]!.text;
    const renewed = all.slice(before).find((m) => m.dir === 'out');
    assert.ok(renewed, 'a new offer after the move');
    const port = (sdp: string) => /^m=audio (\d+) /m.exec(sdp)?.[1];
    assert.match(renewed.text, /^c=IN IP4 198\.51\.100\.1\r?$/m, 'c= is the public address (STUN)');
    assert.notEqual(port(renewed.text), port(first), 'm= carries the new mapping\'s port');
    assert.ok(sent > 100, `our media went to baresip from the new address (${sent} packets counted at the router)`);
    assert.ok(r.audibleSeconds >= callSeconds - 3, `audio continued after the move (only ${r.audibleSeconds.toFixed(2)} s)`);
    assert.ok(r.longestGapMs <= recoveryMs, `silence of ${r.longestGapMs.toFixed(0)} ms (recovery within ${recoveryMs} ms)`);
    assert.ok(r.afterGapSeconds >= 2, `only ${r.afterGapSeconds.toFixed(2)} s of audio after the silence`);
    assert.ok(Math.abs(r.afterGapHz - theirTone) < 5, `${r.afterGapHz.toFixed(1)} Hz after the silence, expected ${theirTone}`);
  });
});
