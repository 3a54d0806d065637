/** Session timers (RFC 4028): negotiation, refreshes, expiry. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequest, getCSeq, parseUri } from '../../../src-main/sip/message/index.js';
import type { SipRequest } from '../../../src-main/sip/message/index.js';
import { ALICE, BOB, bobUri, establishedCall, FakeNetwork, phone, RawPeer, reply } from './support.js';

test('RFC 4028 §7.1/§9 our INVITE asks for 1800 s; the UAS makes the UAC the refresher and requires timer', async () => {
  const { net } = await establishedCall();
  const invite = net.requests('INVITE')[0]!.message;
  assert.equal(invite.headers.get('Session-Expires'), '1800');
  assert.equal(invite.headers.get('Min-SE'), '90');
  assert.deepEqual(invite.headers.getAll('Supported'), ['replaces', 'timer']);
  const ok = net.responses(200).find((p) => p.message.headers.get('CSeq') === '1 INVITE')!.message;
  assert.equal(ok.headers.get('Session-Expires'), '1800;refresher=uac');
  assert.deepEqual(ok.headers.getAll('Require'), ['timer']);
});

test('RFC 4028 §7.4/§10 the refresher sends a bodiless UPDATE at half the interval; the session lives on', async () => {
  const { net, call, answer } = await establishedCall();
  await net.run(899_000);
  assert.equal(net.requests('UPDATE').length, 0);
  await net.run(2_000);
  const updates = net.requests('UPDATE');
  assert.equal(updates.length, 1);
  assert.equal(updates[0]!.from.address, ALICE);
  assert.equal(updates[0]!.message.body.length, 0, 'a refresh UPDATE carries no offer');
  assert.equal(updates[0]!.message.headers.get('Session-Expires'), '1800;refresher=uac');
  await net.run(3 * 3600_000);
  assert.equal(call.state, 'confirmed');
  assert.equal(answer.state, 'confirmed');
  assert.equal(net.requests('BYE').length, 0);
  assert.ok(net.requests('UPDATE').length >= 12);
});

/** Bob as a scripted UAS: 200 with the given Session-Expires, no UPDATE in Allow. */
function scriptedCallee(net: FakeNetwork, sessionExpires: string | undefined, first422?: string) {
  return new RawPeer(net, BOB, 5060, (m, peer) => {
    if (m.message.kind !== 'request' || m.message.method !== 'INVITE') return;
    const request = m.message;
    if (first422 && getCSeq(request).seq === 1) {
      reply(peer, request, 422, (r) => r.headers.append('Min-SE', first422));
      return;
    }
    reply(peer, request, 200, (r) => {
      r.headers.append('Contact', `<sip:bob@${BOB}>`);
      r.headers.append('Allow', 'INVITE, ACK, BYE');
      if (sessionExpires) r.headers.append('Session-Expires', sessionExpires);
      r.headers.append('Content-Type', 'application/sdp');
      r.body = Buffer.from('v=0\r\ns=raw\r\n');
    });
  });
}

test('RFC 4028 §10 the peer is the refresher and never refreshes: BYE at SE − min(32, SE/3)', async () => {
  const net = new FakeNetwork();
  const alice = phone(net, 'alice', ALICE, { incomingCallPolicy: 'any' });
  const bob = scriptedCallee(net, '120;refresher=uas');
  const call = alice.ua.call(bobUri(), alice.media, 'alice');
  await net.run(10);
  assert.equal(call.state, 'confirmed');
  await net.run(87_000);
  assert.equal(bob.requests('BYE').length, 0);
  await net.run(2_000);
  assert.ok(bob.requests('BYE').length >= 1);
  assert.equal(call.endCause?.cause, 'timeout');
});

test('RFC 4028 §7.4 refresher without UPDATE at the peer: a re-INVITE with our offer at SE/2', async () => {
  const net = new FakeNetwork();
  const alice = phone(net, 'alice', ALICE, { incomingCallPolicy: 'any' });
  const bob = scriptedCallee(net, '300;refresher=uac');
  const call = alice.ua.call(bobUri(), alice.media, 'alice');
  await net.run(10);
  await net.run(151_000);
  const invites = bob.requests('INVITE');
  assert.equal(invites.length, 2);
  assert.match(invites[1]!.body.toString('utf8'), /o=alice/);
  assert.equal(invites[1]!.headers.get('Session-Expires'), '300;refresher=uac');
  assert.equal(bob.requests('ACK').length, 2);
  assert.equal(call.state, 'confirmed');
});

test('RFC 4028 §7.4 a 2xx without Session-Expires: no session timer', async () => {
  const net = new FakeNetwork();
  const alice = phone(net, 'alice', ALICE, { incomingCallPolicy: 'any' });
  const bob = scriptedCallee(net, undefined);
  const call = alice.ua.call(bobUri(), alice.media, 'alice');
  await net.run(4 * 3600_000);
  assert.equal(bob.requests('INVITE').length, 1);
  assert.equal(bob.requests('BYE').length, 0);
  assert.equal(call.state, 'confirmed');
});

test('RFC 4028 §7.2 a 422 makes the UAC retry with the Min-SE it names', async () => {
  const net = new FakeNetwork();
  const alice = phone(net, 'alice', ALICE, { incomingCallPolicy: 'any' });
  const bob = scriptedCallee(net, '3600;refresher=uac', '3600');
  const call = alice.ua.call(bobUri(), alice.media, 'alice');
  await net.run(50);
  const invites = bob.requests('INVITE');
  assert.equal(invites.length, 2);
  assert.equal(invites[1]!.headers.get('Session-Expires'), '3600');
  assert.equal(invites[1]!.headers.get('Min-SE'), '3600');
  assert.equal(getCSeq(invites[1]!).seq, 2);
  assert.equal(call.state, 'confirmed');
});

/** A scripted caller sending one INVITE to Alice. */
function invite(headers: Array<[string, string]>): SipRequest {
  return createRequest('INVITE', parseUri(`sip:alice@${ALICE}`), [
    ['Via', `SIP/2.0/UDP ${BOB}:5060;branch=z9hG4bKst1`], ['Max-Forwards', '70'],
    ['From', `<sip:bob@${BOB}>;tag=b1`], ['To', `<sip:alice@${ALICE}>`], ['Call-ID', 'st-1'], ['CSeq', '1 INVITE'],
    ['Contact', `<sip:bob@${BOB}>`], ...headers, ['Content-Type', 'application/sdp'],
  ], Buffer.from('v=0\r\ns=bob\r\n'));
}

test('RFC 4028 §9 an INVITE with Session-Expires below 90 s → 422 with Min-SE: 90', async () => {
  const net = new FakeNetwork();
  const alice = phone(net, 'alice', ALICE, { incomingCallPolicy: 'any' });
  const bob = new RawPeer(net, BOB);
  bob.send(invite([['Session-Expires', '60'], ['Supported', 'timer']]), { address: ALICE, port: 5060 });
  await net.run(10);
  const r = bob.responses(422)[0]!;
  assert.equal(r.headers.get('Min-SE'), '90');
  assert.equal(alice.incoming.length, 0);
});

test('RFC 4028 §9 the UAC asks us to refresh (refresher=uas): our 2xx says so and we re-INVITE at SE/2', async () => {
  const net = new FakeNetwork();
  const alice = phone(net, 'alice', ALICE, { incomingCallPolicy: 'any' });
  const bob = new RawPeer(net, BOB, 5060, (m, peer) => {
    if (m.message.kind === 'request' && m.message.method === 'INVITE') reply(peer, m.message, 200, (r) => {
      r.headers.append('Contact', `<sip:bob@${BOB}>`);
      r.headers.append('Session-Expires', '200;refresher=uas');
    }, 'b1');
  });
  bob.send(invite([['Session-Expires', '200;refresher=uas'], ['Allow', 'INVITE, ACK, BYE']]), { address: ALICE, port: 5060 });
  await net.run(10);
  alice.incoming[0]!.answer();
  await net.run(10);
  const ok = bob.responses(200)[0]!;
  assert.equal(ok.headers.get('Session-Expires'), '200;refresher=uas');
  assert.equal(ok.headers.get('Require'), undefined, 'no Require: timer when the UAS refreshes');
  bob.send({ ...createRequest('ACK', parseUri(`sip:alice@${ALICE}`), [
    ['Via', `SIP/2.0/UDP ${BOB}:5060;branch=z9hG4bKst2`], ['Max-Forwards', '70'], ['From', `<sip:bob@${BOB}>;tag=b1`],
    ['To', ok.headers.get('To')!], ['Call-ID', 'st-1'], ['CSeq', '1 ACK'],
  ]) }, { address: ALICE, port: 5060 });
  await net.run(101_000);
  const refresh = bob.requests('INVITE')[0];
  assert.ok(refresh, 'a refresh re-INVITE reached the caller');
  assert.equal(refresh.headers.get('Session-Expires'), '200;refresher=uac');
  assert.equal(alice.incoming[0]!.state, 'confirmed');
});
