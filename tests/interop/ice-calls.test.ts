/**
 * Calls with STUN/ICE/TURN on loopback (issue 13), our CLI calling our CLI directly (no PBX):
 * ICE on both sides (host and srflx candidates from coturn as the STUN server), and both sides
 * forced through coturn (--ice-policy relay); and ICE off with --turn (a fixed relay) against a
 * peer without ICE. Audio is checked both ways by tones in the recordings; the stats name the
 * selected pair. (Through real NATs: nat-*.test.ts.)
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeToneWav, startCoturn, stopAll, testScope, type Coturn, type TestScope } from './harness/index.js';
import { callState, startSoftphone, type Softphone, type SoftphoneEvent } from '../support/softphone-process.js';
import { checkTone, describeTone, selectedPairTypes } from './support/nat-bed.js';

const callerTone = 440;
const calleeTone = 1000;

describe('calls through ICE and TURN on loopback', () => {
  let scope: TestScope;
  let coturn: Coturn;
  let passwordFile: string;
  const tones: Record<number, string> = {};

  before(async () => {
    scope = testScope();
    coturn = scope.use(await startCoturn({ dir: scope.dir }));
    passwordFile = join(scope.dir, 'turn-password');
    writeFileSync(passwordFile, `${coturn.password}\n`, { mode: 0o600 });
    for (const f of [callerTone, calleeTone]) tones[f] = makeToneWav(join(scope.dir, `tone-${f}.wav`), { freqHz: f, seconds: 30 });
  });
  after(async () => {
    await scope.cleanup();
    await stopAll();
  });

  const stun = () => ['--stun', `stun:127.0.0.1:${coturn.port}`];
  const turn = () => ['--turn', `turn:127.0.0.1:${coturn.port}?transport=udp`, '--turn-username', coturn.username, '--turn-password-file', passwordFile];

  /** Callee listens (auto-answer, any caller), caller calls it for 4 s; both record. Returns both stats events. */
  async function call(name: string, callerFlags: string[], calleeFlags: string[]): Promise<{ caller: SoftphoneEvent; callee: SoftphoneEvent; heardByCaller: string; heardByCallee: string }> {
    const heardByCaller = join(scope.dir, `${name}-caller.wav`);
    const heardByCallee = join(scope.dir, `${name}-callee.wav`);
    const callee: Softphone = scope.use(startSoftphone(['listen', '--id', 'sip:callee@127.0.0.1', '--bind-address', '127.0.0.1', '--auto-answer',
      '--incoming-policy', 'any', '--play-file', tones[calleeTone]!, '--rec-file', heardByCallee, ...calleeFlags]));
    const ready = await callee.waitEvent((e) => e.event === 'ready', 'callee ready');
    const caller: Softphone = scope.use(startSoftphone(['call', `sip:callee@127.0.0.1:${String(ready.port)}`, '--id', 'sip:caller@127.0.0.1',
      '--bind-address', '127.0.0.1', '--duration', '4', '--play-file', tones[callerTone]!, '--rec-file', heardByCaller, ...callerFlags]));
    await caller.waitEvent(callState('confirmed'), 'caller confirmed', 20_000);
    const ended = await caller.waitEvent(callState('ended'), 'caller ended', 20_000);
    assert.equal(ended.cause, 'local-hangup', `the call ran its 4 s: ${JSON.stringify(ended)}`);
    const callerStats = await caller.waitEvent((e) => e.event === 'stats', 'caller stats', 10_000);
    const calleeStats = await callee.waitEvent((e) => e.event === 'stats', 'callee stats', 10_000);
    assert.equal(await caller.exited, 0);
    callee.command('quit');
    await callee.exited;
    return { caller: callerStats, callee: calleeStats, heardByCaller, heardByCallee };
  }

  function assertAudioBothWays(t: { diagnostic(m: string): void }, r: { heardByCaller: string; heardByCallee: string }): void {
    const atCaller = checkTone(r.heardByCaller, calleeTone, 'caller hears the callee');
    const atCallee = checkTone(r.heardByCallee, callerTone, 'callee hears the caller');
    t.diagnostic(`caller heard ${describeTone(atCaller)}; callee heard ${describeTone(atCallee)}`);
    assert.ok(atCaller.ok, `caller hears ${calleeTone} Hz: ${describeTone(atCaller)}`);
    assert.ok(atCallee.ok, `callee hears ${callerTone} Hz: ${describeTone(atCallee)}`);
  }

  const ice = (s: SoftphoneEvent) => s.ice as { mode: string; state: string; role: string; localCandidates: { type: string }[]; remoteCandidates: { type: string }[]; turn?: { packetsSent: number; packetsReceived: number } } | undefined;

  it('ICE on both sides (host + srflx by STUN): checks complete, the caller controls, audio both ways', async (t) => {
    const r = await call('ice', [...stun(), '--ice', 'on'], [...stun(), '--ice', 'on']);
    assertAudioBothWays(t, r);
    for (const [who, s] of [['caller', r.caller], ['callee', r.callee]] as const) {
      const i = ice(s);
      assert.equal(i?.mode, 'ice', `${who} used ICE: ${JSON.stringify(s)}`);
      assert.ok(i.localCandidates.some((c) => c.type === 'host') && i.localCandidates.some((c) => c.type === 'srflx'), `${who} gathered host and srflx`);
      assert.ok(i.remoteCandidates.length >= 1, `${who} got the peer's candidates from SDP`);
      assert.ok(selectedPairTypes(s), `${who}'s stats name the selected pair`);
      t.diagnostic(`${who}: ${i.role}, selected ${selectedPairTypes(s)}, ${String(s.packetsReceived)} RTP packets in`);
    }
    assert.equal(ice(r.caller)?.role, 'controlling');
    assert.equal(ice(r.callee)?.role, 'controlled');
  });

  it('both sides relay-only (--ice-policy relay): the call goes through coturn, relay/relay selected, audio both ways', async (t) => {
    const r = await call('relay', [...turn(), '--ice-policy', 'relay'], [...turn(), '--ice-policy', 'relay']);
    assertAudioBothWays(t, r);
    for (const [who, s] of [['caller', r.caller], ['callee', r.callee]] as const) {
      const i = ice(s);
      assert.equal(i?.mode, 'ice', `${who} used ICE: ${JSON.stringify(s)}`);
      assert.deepEqual(i.localCandidates.map((c) => c.type), ['relay'], `${who} offered only its relayed candidate`);
      assert.equal(selectedPairTypes(s), 'relay/relay', `${who}'s selected pair is relayed both ends`);
      assert.ok((i.turn?.packetsSent ?? 0) > 100 && (i.turn?.packetsReceived ?? 0) > 100, `${who}'s media went through TURN: ${JSON.stringify(i.turn)}`);
      t.diagnostic(`${who}: TURN sent ${i.turn?.packetsSent} received ${i.turn?.packetsReceived}`);
    }
  });

  it('ICE off with --turn (a fixed relay) calling a peer without ICE: c=/m= carry the relay, audio both ways', async (t) => {
    const r = await call('fixed', [...turn(), '--ice', 'off'], []);
    assertAudioBothWays(t, r);
    const i = ice(r.caller);
    assert.equal(i?.mode, 'fixed-relay', JSON.stringify(r.caller));
    assert.ok((i.turn?.packetsSent ?? 0) > 100 && (i.turn?.packetsReceived ?? 0) > 100, `media went through TURN: ${JSON.stringify(i.turn)}`);
    assert.equal(ice(r.callee), undefined, 'the callee ran without ICE/TURN');
  });

  it('ICE on calling a peer without ICE: the answer has no ICE, media on c=/m= with latching, audio both ways', async (t) => {
    const r = await call('noice', [...stun(), '--ice', 'on'], []);
    assertAudioBothWays(t, r);
    assert.equal(ice(r.caller)?.mode, 'fixed-host', JSON.stringify(r.caller));
  });
});
