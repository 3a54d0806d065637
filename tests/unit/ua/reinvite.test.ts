/** re-INVITE and UPDATE we send (RFC 3261 §14.1, RFC 3264 §8, RFC 3311 §5.1). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCSeq, parseUri } from '../../../src-main/sip/message/index.js';
import { ALICE, BOB, establishedCall, FakeNetwork, PBX, phone, RawPeer, reply, sendInDialog } from './support.js';

test('RFC 3261 §14.1 re-INVITE: our new offer, ACK for the 2xx, answer to the media', async () => {
  const { net, alice, bob, call } = await establishedCall();
  const answersBefore = alice.media.answers.length;
  const pending = call.reinvite();
  await net.run(50);
  assert.deepEqual(await pending, { ok: true });
  const reinvite = net.requests('INVITE').at(-1)!.message;
  assert.equal(getCSeq(reinvite).seq, 2);
  assert.match(reinvite.body.toString('utf8'), /o=alice 1 1/);
  assert.equal(bob.media.offers.at(-1), reinvite.body.toString('utf8'));
  const acks = net.requests('ACK');
  assert.equal(getCSeq(acks.at(-1)!.message).seq, 2, '§13.2.2.4: the ACK has the re-INVITE\'s CSeq');
  assert.deepEqual(alice.media.answers.slice(answersBefore), ['v=0\r\no=bob 2 2 IN IP4 0.0.0.0\r\ns=answer\r\n']);
  await net.run(40_000);
  assert.equal(call.state, 'confirmed');
});

test('§14.1 re-INVITE from the callee side works the same way', async () => {
  const { net, alice, answer } = await establishedCall();
  const pending = answer.reinvite();
  await net.run(50);
  assert.deepEqual(await pending, { ok: true });
  assert.match(alice.media.offers.at(-1) ?? '', /o=bob 1 1/);
});

test('§14.1 a non-2xx (488) leaves the session as it was', async () => {
  const { net, bob, call } = await establishedCall();
  bob.media.accept = false;
  const pending = call.reinvite();
  await net.run(50);
  assert.deepEqual(await pending, { ok: false, status: 488, reason: 'Not Acceptable Here' });
  assert.equal(call.state, 'confirmed');
  assert.equal(net.requests('BYE').length, 0);
});

test('§12.2.1.2 a 481 to a re-INVITE ends the dialog', async () => {
  const { net, bob, call, answer } = await establishedCall();
  bob.ua.removeAllListeners();
  // Bob forgets the dialog: his UA answers 481 to anything in it.
  (bob.ua as unknown as { dialogs: Map<string, unknown> }).dialogs.delete(answer.dialog!.key);
  const pending = call.reinvite();
  await net.run(50);
  const r = await pending;
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.status, 481);
  assert.equal(call.state, 'ended');
  assert.equal(net.requests('BYE').length, 1);
});

test('§14.1 glare: both send re-INVITEs, both get 491 and retry after random delays (owner of the Call-ID 2.1–4 s)', async () => {
  const { net, call, answer } = await establishedCall();
  const fromAlice = call.reinvite();
  const fromBob = answer.reinvite();
  await net.run(10);
  assert.equal(net.responses(491).length, 2);
  await net.run(5000);
  assert.deepEqual(await fromAlice, { ok: true });
  assert.deepEqual(await fromBob, { ok: true });
  const invites = net.requests('INVITE').slice(1);
  assert.equal(invites.length, 4);
  const aliceRetry = invites.filter((p) => p.from.address === '10.0.0.1')[1]!;
  const bobRetry = invites.filter((p) => p.from.address === '10.0.0.2')[1]!;
  assert.ok(bobRetry.at < 2100, `the non-owner retries within 0–2 s (${bobRetry.at})`);
  assert.ok(aliceRetry.at - invites[0]!.at >= 2100, 'the Call-ID owner waits at least 2.1 s');
});

test('§14.1 a peer that always answers 491: three tries, then the 491 is reported', async () => {
  const { net, alice, call, answer } = await establishedCall();
  (answer as unknown as { outgoingReinvite: boolean }).outgoingReinvite = true;
  const pending = call.reinvite();
  await net.run(20_000);
  assert.deepEqual(await pending, { ok: false, status: 491, reason: 'Request Pending' });
  assert.equal(net.requests('INVITE').filter((p) => p.from.address === alice.transport.local.address).length, 4);
  assert.equal(call.state, 'confirmed');
});

test('§14.2 a peer re-INVITE while ours is pending gets 491', async () => {
  const { net, alice, call, answer } = await establishedCall();
  void answer.reinvite();
  const theirs = sendInDialog(alice, call.dialog!, 'INVITE', { body: 'v=0\r\n' });
  await net.run(10);
  assert.equal((await theirs).status, 491);
});

test('§14.1 our re-INVITE waits while the peer\'s re-INVITE awaits its ACK (hold right after being held)', async () => {
  const { net, call, answer } = await establishedCall();
  net.drop((p) => p.message.kind === 'request' && p.message.method === 'ACK' && p.from.address === BOB);
  const theirs = answer.reinvite();
  await net.run(5);
  assert.equal(net.responses(200).filter((p) => p.from.address === ALICE).length, 1, 'our 200 to their re-INVITE is out');
  const ours = call.reinvite();
  await net.run(2000);
  assert.deepEqual(await theirs, { ok: true });
  assert.deepEqual(await ours, { ok: true });
  const acks = net.requests('ACK').filter((p) => p.from.address === BOB);
  const invite = net.requests('INVITE').filter((p) => p.from.address === ALICE).at(-1)!;
  assert.equal(getCSeq(invite.message).seq, 2);
  assert.ok(invite.at > acks[0]!.at, `sent after the retransmitted 2xx was ACKed (${acks[0]!.at} ms), at ${invite.at} ms`);
  assert.equal(net.responses(500).length + net.responses(491).length, 0);
});

test('re-INVITE while not confirmed → not sent, reported as 491', async () => {
  const { net, call } = await establishedCall();
  call.hangup();
  await net.run(10);
  const r = await call.reinvite();
  assert.equal(r.ok, false);
});

test('RFC 3311 §5.1 UPDATE with an offer → answer to the media, no ACK', async () => {
  const { net, alice, bob, call } = await establishedCall();
  const acks = net.requests('ACK').length;
  const pending = call.update();
  await net.run(50);
  assert.deepEqual(await pending, { ok: true });
  assert.equal(net.requests('UPDATE').length, 1);
  assert.match(bob.media.offers.at(-1) ?? '', /o=alice/);
  assert.match(alice.media.answers.at(-1) ?? '', /o=bob 2 2/);
  assert.equal(net.requests('ACK').length, acks);
});

test('§22.3 a re-INVITE challenged with 407 is resent with credentials and the next CSeq; the ACK carries them', async () => {
  const net = new FakeNetwork();
  const alice = phone(net, 'alice', ALICE, { password: 'pw' });
  // The challenge comes from Alice's own server (her AOR's domain): credentials answer only there.
  const bob = new RawPeer(net, PBX, 5060, (m, peer) => {
    if (m.message.kind !== 'request' || m.message.method !== 'INVITE') return;
    const request = m.message;
    const challenged = getCSeq(request).seq === 2 && !request.headers.has('Proxy-Authorization');
    reply(peer, request, challenged ? 407 : 200, (r) => {
      if (challenged) r.headers.append('Proxy-Authenticate', 'Digest realm="pbx.test", nonce="n1", qop="auth", algorithm=MD5');
      else {
        r.headers.append('Contact', `<sip:bob@${PBX}>`);
        r.headers.append('Content-Type', 'application/sdp');
        r.body = Buffer.from('v=0\r\ns=raw\r\n');
      }
    });
  });
  const call = alice.ua.call(parseUri(`sip:bob@${PBX}`), alice.media, 'alice');
  await net.run(50);
  assert.equal(call.state, 'confirmed');
  const pending = call.reinvite();
  await net.run(50);
  assert.deepEqual(await pending, { ok: true });
  const invites = bob.requests('INVITE');
  assert.deepEqual(invites.map((r) => getCSeq(r).seq), [1, 2, 3]);
  assert.ok(invites[2]!.headers.has('Proxy-Authorization'));
  const ack = bob.requests('ACK').at(-1)!;
  assert.equal(getCSeq(ack).seq, 3);
  assert.ok(ack.headers.has('Proxy-Authorization'), '§22.1: the 2xx ACK carries the INVITE\'s credentials');
});
