/**
 * Hostile SDP against the real `softphone` CLI, with hand-made SIP over UDP (issue 8, item 5):
 * offers with `c=IN IP4 evil.example` or `m=audio 65535` (no rtcp-mux) get 488 with a Warning and
 * never ring; answers like them end the call with cause unacceptable-media (ACK, then BYE);
 * `a=ptime:0` is clamped (10 ms packets, no flood, no hang). Afterwards the same phone places a
 * call to a second CLI and both sides hear each other's tone.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makeToneWav, testScope, type TestScope } from '../interop/harness/index.js';
import { callState, startSoftphone, type Softphone, type SoftphoneEvent } from '../support/softphone-process.js';
import { readWav } from '../support/wav.js';
import { assertHears, rtpPayload, ScriptedPeer, type SipMessage } from './hostile-media-peer.js';

const aliceTone = 600;
const bobTone = 1000;

interface Party { phone: Softphone; port: number; rec: string }

async function party(scope: TestScope, user: string, tone: number, extra: string[] = []): Promise<Party> {
  const rec = join(scope.dir, `${user}-heard.wav`);
  const play = makeToneWav(join(scope.dir, `${user}-tone.wav`), { freqHz: tone, seconds: 60 });
  // No account: direct-IP calls both ways (an account would route through its registrar).
  const phone = scope.use(startSoftphone(['listen', '--bind-address', '127.0.0.1', '--incoming-policy', 'any', '--codecs', 'pcmu',
    '--play-file', play, '--rec-file', rec, ...extra], { trace: true }));
  const ready = await phone.waitEvent((e) => e.event === 'ready', 'ready');
  return { phone, port: Number(ready.port), rec };
}

/** Events from index `from` on only. */
const after = (p: Softphone, from: number, match: (e: SoftphoneEvent) => boolean) => (e: SoftphoneEvent) => p.events.indexOf(e) >= from && match(e);

const finalFor = (callId: string) => (m: SipMessage) => m.status !== undefined && m.status >= 200 && m.header('Call-ID') === callId && /INVITE$/.test(m.header('CSeq') ?? '');

/** `alice` calls `bob` for 3.5 s; each must hear the other's tone. */
async function callWithAudio(alice: Party, bob: Party): Promise<void> {
  const from = alice.phone.events.length;
  alice.phone.command(`call sip:bob@127.0.0.1:${bob.port}`);
  await alice.phone.waitEvent(after(alice.phone, from, callState('confirmed', 'outgoing')), 'the next call answered', 10_000);
  await new Promise((r) => setTimeout(r, 3500));
  alice.phone.command('hangup');
  await alice.phone.waitEvent(after(alice.phone, from, callState('ended', 'outgoing')), 'the next call ended', 10_000);
  await bob.phone.waitEvent(callState('ended', 'incoming'), 'bob ended', 10_000);
  await new Promise((r) => setTimeout(r, 500));
  assertHears(readWav(alice.rec), bobTone, 'what alice heard on the next call');
  assertHears(readWav(bob.rec), aliceTone, 'what bob heard on the next call');
}

/** RTP the phone sent to the peer during `ms` from now: how many packets, and their payload sizes. */
async function rtpDuring(peer: ScriptedPeer, ms: number): Promise<{ packets: number; sizes: Set<number> }> {
  const start = peer.rtpFrom().length;
  await new Promise((r) => setTimeout(r, ms));
  const got = peer.rtpFrom().slice(start);
  return { packets: got.length, sizes: new Set(got.map((a) => rtpPayload(a.data).length)) };
}

describe('hostile SDP (RFC 4566 / RFC 3264, issue 8 item 5)', () => {
  it('bad offers get 488 with a Warning and never ring; a=ptime:0 is clamped; the phone then calls with audio', async (t) => {
    const scope = testScope(t);
    const alice = await party(scope, 'alice', aliceTone, ['--auto-answer']);
    const bob = await party(scope, 'bob', bobTone, ['--auto-answer']);
    const peer = await ScriptedPeer.open();
    scope.use({ stop: () => peer.close() });

    const refusals: Array<[string, string, RegExp]> = [
      ['c= host name', peer.sdp({ connection: 'IN IP4 evil.example' }), /^301 \S+ "c= is not an IP address literal"$/],
      ['m=audio 65535 without rtcp-mux', peer.sdp({ port: 65535 }), /^307 \S+ "RTCP port out of range 1-65535"$/],
    ];
    for (const [what, sdp, warning] of refusals) {
      const dialog = peer.invite(alice.port, sdp);
      const final = await peer.waitFor(finalFor(dialog.callId), `final response to the ${what} offer`);
      peer.confirm(dialog, final);
      peer.ack(dialog, final);
      assert.equal(final.status, 488, `${what}: ${final.startLine}`);
      assert.match(final.header('Warning') ?? '', warning, what);
      assert.ok(!peer.messages.some((m) => m.status === 180 && m.header('Call-ID') === dialog.callId), `${what}: never rang`);
      t.diagnostic(`${what}: ${final.startLine} / Warning: ${final.header('Warning')}`);
    }
    assert.equal(peer.rtpFrom().length, 0, 'no media was sent for a refused offer');

    // a=ptime:0 once made sendFrame loop for ever: now it is 10 ms packets at 100 per second.
    const dialog = peer.invite(alice.port, peer.sdp({ attrs: ['ptime:0'] }));
    const ok = await peer.waitFor(finalFor(dialog.callId), 'the answer to the ptime:0 offer');
    assert.equal(ok.status, 200, ok.startLine);
    assert.match(ok.body, /^a=ptime:20\r?$/m, 'we still ask for 20 ms ourselves');
    peer.confirm(dialog, ok);
    peer.ack(dialog, ok);
    await new Promise((r) => setTimeout(r, 500));
    const rate = await rtpDuring(peer, 2000);
    t.diagnostic(`a=ptime:0: ${rate.packets} packets in 2 s, payload sizes ${[...rate.sizes].join(',')}`);
    assert.deepEqual([...rate.sizes], [80], '10 ms of PCMU per packet');
    // 100/s expected; the bug sent thousands per frame. Below 100/s only when a loaded machine delays the device.
    assert.ok(rate.packets >= 60 && rate.packets <= 240, `${rate.packets} packets in 2 s (100/s expected, no flood)`);
    peer.send(peer.request('BYE', dialog, '', peer.nextCseq(dialog)), alice.port);
    await peer.waitFor((m) => m.status === 200 && m.header('Call-ID') === dialog.callId && /BYE$/.test(m.header('CSeq') ?? ''), '200 to our BYE');

    await alice.phone.waitEvent((e) => callState('ended', 'incoming')(e) && e.cause === 'remote-hangup', 'the ptime:0 call ended');
    const ended = alice.phone.events.filter(callState('ended', 'incoming'));
    assert.deepEqual(ended.map((e) => e.cause), ['unacceptable-media', 'unacceptable-media', 'remote-hangup']);
    assert.ok(!alice.phone.events.some((e) => e.event === 'notice' && /media engine stopped|stream .* stopped/.test(String(e.message))),
      'the media worker never failed');
    await callWithAudio(alice, bob);
  });

  it('bad answers end the call with unacceptable-media (ACK, then BYE); a=ptime:0 in an answer is clamped; the next call has audio', async (t) => {
    const scope = testScope(t);
    const alice = await party(scope, 'alice', aliceTone);
    const bob = await party(scope, 'bob', bobTone, ['--auto-answer']);
    const peer = await ScriptedPeer.open();
    scope.use({ stop: () => peer.close() });
    let invites = 0;
    /** Alice calls the peer, which answers 200 with `sdp`; returns the INVITE. */
    const dialled = async (sdp: string): Promise<SipMessage> => {
      alice.phone.command(`call sip:hostile@127.0.0.1:${peer.sipPort}`);
      const n = ++invites;
      const invite = await peer.waitFor((m) => m.method === 'INVITE' && peer.messages.filter((x) => x.method === 'INVITE').indexOf(m) === n - 1, `INVITE ${n}`);
      peer.respond(invite, 200, 'OK', sdp, `hostile${n}`);
      return invite;
    };

    const refusals: Array<[string, string, string]> = [
      ['c= host name', peer.sdp({ connection: 'IN IP4 evil.example' }), 'c= is not an IP address literal'],
      ['m=audio 65535 without rtcp-mux', peer.sdp({ port: 65535 }), 'RTCP port out of range 1-65535'],
    ];
    for (const [what, sdp, reason] of refusals) {
      const from = alice.phone.events.length;
      const invite = await dialled(sdp);
      const callId = invite.header('Call-ID');
      await peer.waitFor((m) => m.method === 'ACK' && m.header('Call-ID') === callId, `${what}: ACK`);
      const bye = await peer.waitFor((m) => m.method === 'BYE' && m.header('Call-ID') === callId, `${what}: BYE`);
      peer.respond(bye, 200, 'OK');
      const ended = await alice.phone.waitEvent(after(alice.phone, from, callState('ended', 'outgoing')), `${what}: ended`);
      assert.equal(ended.cause, 'unacceptable-media', what);
      assert.equal(ended.reason, reason, what);
      t.diagnostic(`${what}: ACK + BYE, cause ${String(ended.cause)} (${String(ended.reason)})`);
    }
    assert.equal(peer.rtpFrom().length, 0, 'no media was sent to a refused answer');

    const from = alice.phone.events.length;
    const invite = await dialled(peer.sdp({ attrs: ['ptime:0'] }));
    await peer.waitFor((m) => m.method === 'ACK' && m.header('Call-ID') === invite.header('Call-ID'), 'ACK');
    await alice.phone.waitEvent(after(alice.phone, from, callState('confirmed', 'outgoing')), 'the ptime:0 call answered');
    await new Promise((r) => setTimeout(r, 500));
    const rate = await rtpDuring(peer, 2000);
    t.diagnostic(`a=ptime:0 answer: ${rate.packets} packets in 2 s, payload sizes ${[...rate.sizes].join(',')}`);
    assert.deepEqual([...rate.sizes], [80]);
    assert.ok(rate.packets >= 60 && rate.packets <= 240, `${rate.packets} packets in 2 s`);
    alice.phone.command('hangup');
    const bye = await peer.waitFor((m) => m.method === 'BYE' && m.header('Call-ID') === invite.header('Call-ID'), 'BYE');
    peer.respond(bye, 200, 'OK');
    await alice.phone.waitEvent(after(alice.phone, from, callState('ended', 'outgoing')), 'ended');

    await callWithAudio(alice, bob);
  });
});
