/**
 * RTP hijack attempts against two real `softphone` CLIs in a call (issue 8, item 6): an attacker
 * on 127.0.0.2 (all of 127/8 is loopback on Linux; the call's SDP says 127.0.0.1) streams a
 * 2 kHz tone at both phones' RTP ports before the call starts and all through it, plus RTCP
 * claiming 100% loss. Neither phone latches to it: nothing is sent to the attacker, each phone
 * hears only the other's tone, and a hold/resume re-INVITE does not reopen the door.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { join } from 'node:path';
import { freePortRange, makeToneWav, testScope, type TestScope } from '../interop/harness/index.js';
import { callState, startSoftphone, type Softphone } from '../support/softphone-process.js';
import { dominantFrequency, goertzel } from '../support/audio-analysis.js';
import { readWav } from '../support/wav.js';
import { buildRtcp } from '../../src-main/media/rtp/rtcp.js';
import { assertHears, ToneSender } from './hostile-media-peer.js';

const aliceTone = 600;
const bobTone = 1000;
const evilTone = 2000;
const EVIL_IP = '127.0.0.2';

interface Attacker { socket: Socket; received: number; senders: ToneSender[]; rtcpTimer: NodeJS.Timeout }

/** Streams the evil tone at each target port from 127.0.0.2, and a forged 100%-loss RTCP RR every 200 ms. */
async function attack(ports: number[]): Promise<Attacker> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, EVIL_IP, resolve));
  const a: Attacker = { socket, received: 0, senders: [], rtcpTimer: setInterval(() => {}, 1000) };
  socket.on('message', () => a.received++);
  for (const port of ports) {
    const sender = new ToneSender(socket);
    sender.start(() => ({ port }), () => evilTone);
    a.senders.push(sender);
  }
  clearInterval(a.rtcpTimer);
  a.rtcpTimer = setInterval(() => {
    for (const [i, port] of ports.entries()) {
      const rr = buildRtcp([{ type: 'RR', ssrc: a.senders[i]!.ssrc, reports: [] }]);
      socket.send(rr, port, '127.0.0.1');
    }
  }, 200);
  return a;
}

function stopAttack(a: Attacker): void {
  for (const s of a.senders) s.stop();
  clearInterval(a.rtcpTimer);
  a.socket.close();
}

async function phones(scope: TestScope, seconds: number) {
  const [aliceRtp, bobRtp] = [await freePortRange(4), await freePortRange(4)];
  const evil = await attack([aliceRtp, aliceRtp + 1, bobRtp, bobRtp + 1]);
  scope.use({ stop: () => stopAttack(evil) });
  // The attack runs before the call exists, so its packets are the first to arrive at both ports.
  await new Promise((r) => setTimeout(r, 300));
  const bobRec = join(scope.dir, 'bob-heard.wav');
  // No accounts: a direct-IP call (an account would route through its registrar).
  const bob = scope.use(startSoftphone(['listen', '--bind-address', '127.0.0.1', '--incoming-policy', 'any', '--auto-answer', '--codecs', 'pcmu',
    '--rtp-port', String(bobRtp), '--play-file', makeToneWav(join(scope.dir, 'bob.wav'), { freqHz: bobTone, seconds: 60 }), '--rec-file', bobRec]));
  const ready = await bob.waitEvent((e) => e.event === 'ready', 'bob ready');
  const aliceRec = join(scope.dir, 'alice-heard.wav');
  const alice = scope.use(startSoftphone(['call', `sip:bob@127.0.0.1:${String(ready.port)}`, '--codecs', 'pcmu',
    '--rtp-port', String(aliceRtp), '--play-file', makeToneWav(join(scope.dir, 'alice.wav'), { freqHz: aliceTone, seconds: 60 }),
    '--rec-file', aliceRec, '--duration', String(seconds)], { trace: true }));
  return { evil, alice, bob, aliceRec, bobRec };
}

async function ended(p: Softphone, direction: string): Promise<void> {
  await p.waitEvent(callState('ended', direction), `${direction} call ended`, 20_000);
}

/** Share of the evil tone in a recording window: its Goertzel amplitude over the wanted tone's. */
function evilShare(samples: Int16Array, rate: number, wanted: number): number {
  return goertzel(samples, rate, evilTone) / Math.max(1, goertzel(samples, rate, wanted));
}

describe('RTP source checks against an injected stream (RFC 4961 latching, RFC 3550 A.1)', () => {
  it('a stream from another IP, sent first and all along, never latches: each phone hears only the other', async (t) => {
    const scope = testScope(t);
    const { evil, alice, bob, aliceRec, bobRec } = await phones(scope, 4);
    await alice.waitEvent(callState('confirmed'), 'confirmed');
    await ended(alice, 'outgoing');
    await ended(bob, 'incoming');
    const stats = await alice.waitEvent((e) => e.event === 'stats', 'stats');
    assert.equal(await alice.exited, 0);
    t.diagnostic(`attacker sent ${evil.senders.reduce((n, s) => n + s.sent, 0)} RTP packets, received ${evil.received}; alice stats ${JSON.stringify(stats)}`);
    assert.equal(evil.received, 0, 'not one packet went to the attacker');
    const heardByAlice = readWav(aliceRec);
    const heardByBob = readWav(bobRec);
    assertHears(heardByAlice, bobTone, 'what alice heard');
    assertHears(heardByBob, aliceTone, 'what bob heard: our audio kept flowing to the real peer');
    const shareA = evilShare(heardByAlice.samples, heardByAlice.rate, bobTone);
    const shareB = evilShare(heardByBob.samples, heardByBob.rate, aliceTone);
    t.diagnostic(`evil tone / wanted tone: alice ${shareA.toExponential(2)}, bob ${shareB.toExponential(2)}`);
    assert.ok(shareA < 0.01 && shareB < 0.01, 'no trace of the injected tone');
  });

  it('a hold/resume re-INVITE keeps the latch: the attacker still gets nothing and the audio after resume is the peer\'s', async (t) => {
    const scope = testScope(t);
    const { evil, alice, bob, aliceRec } = await phones(scope, 7);
    await alice.waitEvent(callState('confirmed'), 'confirmed');
    await new Promise((r) => setTimeout(r, 1500));
    alice.command('hold');
    await new Promise((r) => setTimeout(r, 1000));
    alice.command('resume');
    await ended(alice, 'outgoing');
    await ended(bob, 'incoming');
    assert.equal(evil.received, 0, 'not one packet went to the attacker, before or after the re-INVITEs');
    const trace = alice.stderr();
    assert.ok((trace.match(/^INVITE sip:/gm) ?? []).length >= 3, 'the hold and the resume were re-INVITEs');
    const pcm = readWav(aliceRec);
    // The last 2 s before the hang-up, 0.5 s clear of it: well after the resume.
    const end = pcm.samples.length - pcm.rate / 2;
    const tail = pcm.samples.subarray(end - 2 * pcm.rate, end);
    const f = dominantFrequency(tail, pcm.rate);
    t.diagnostic(`after resume alice hears ${f.toFixed(1)} Hz; evil share ${evilShare(tail, pcm.rate, bobTone).toExponential(2)}`);
    assert.ok(Math.abs(f - bobTone) < 5, `after resume: dominant ${f.toFixed(1)} Hz`);
    assert.ok(evilShare(tail, pcm.rate, bobTone) < 0.01);
  });
});
