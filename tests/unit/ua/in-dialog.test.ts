/** In-dialog requests to an established call (RFC 3261 §12.2.2, §14.2; RFC 3311). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getContacts } from '../../../src-main/sip/message/index.js';
import { establishedCall, sendAck, sendInDialog } from './support.js';

const aliceOffer = 'v=0\r\no=alice 9 9 IN IP4 0.0.0.0\r\ns=reoffer\r\n';

test('RFC 3261 §14.2 re-INVITE with SDP → 200 with an answer; its Contact is the new remote target', async () => {
  const { net, alice, bob, call, answer } = await establishedCall();
  const dialog = call.dialog!;
  const contact = { uri: { scheme: 'sip' as const, user: 'alice-moved', host: '10.0.0.1', port: 5060, params: new Map(), headers: new Map() }, params: new Map() };
  const pending = sendInDialog(alice, dialog, 'INVITE', { body: aliceOffer, contact });
  await net.run(10);
  const ok = await pending;
  assert.equal(ok.status, 200);
  assert.match(ok.body.toString('utf8'), /o=bob 2 2/);
  assert.equal(ok.headers.get('Content-Type'), 'application/sdp');
  assert.ok(getContacts(ok).contacts[0], '§12.1.1: a 2xx to a target refresh carries Contact');
  assert.equal(bob.media.offers.at(-1), aliceOffer);
  sendAck(alice, dialog, ok);
  await net.run(10);
  answer.hangup();
  await net.run(10);
  assert.equal(net.requests('BYE')[0]?.message.uri.user, 'alice-moved', '§12.2.2: BYE goes to the refreshed target');
  assert.equal(call.state, 'ended');
});

test('§14.2 re-INVITE without SDP → our offer in the 200, the answer taken from the ACK', async () => {
  const { net, alice, bob, call, answer } = await establishedCall();
  const dialog = call.dialog!;
  const pending = sendInDialog(alice, dialog, 'INVITE');
  await net.run(10);
  const ok = await pending;
  assert.equal(ok.status, 200);
  assert.match(ok.body.toString('utf8'), /o=bob 1 1 .*s=offer/s);
  const answersBefore = bob.media.answers.length;
  sendAck(alice, dialog, ok, 'v=0\r\ns=answer-in-ack\r\n');
  await net.run(10);
  assert.deepEqual(bob.media.answers.slice(answersBefore), ['v=0\r\ns=answer-in-ack\r\n']);
  assert.equal(answer.state, 'confirmed');
  await net.run(40_000);
  assert.equal(answer.state, 'confirmed', 'the ACK stopped the 2xx retransmissions');
});

test('RFC 3311 §5.2 UPDATE with SDP → 200 with an answer', async () => {
  const { net, alice, bob, call } = await establishedCall();
  const pending = sendInDialog(alice, call.dialog!, 'UPDATE', { body: aliceOffer });
  await net.run(10);
  const ok = await pending;
  assert.equal(ok.status, 200);
  assert.match(ok.body.toString('utf8'), /s=answer/);
  assert.equal(bob.media.offers.at(-1), aliceOffer);
});

test('§14.2 glare: re-INVITE while our own re-INVITE is pending → 491', async () => {
  const { net, alice, call, answer } = await establishedCall();
  (answer as unknown as { outgoingReinvite: boolean }).outgoingReinvite = true;
  const pending = sendInDialog(alice, call.dialog!, 'INVITE', { body: aliceOffer });
  await net.run(10);
  assert.equal((await pending).status, 491);
});

test('§14.2 a second re-INVITE while one is in progress → 500 with Retry-After', async () => {
  const { net, alice, call } = await establishedCall();
  const first = sendInDialog(alice, call.dialog!, 'INVITE', { body: aliceOffer });
  await net.run(10);
  assert.equal((await first).status, 200); // not ACKed yet: still in progress
  const second = sendInDialog(alice, call.dialog!, 'INVITE', { body: aliceOffer });
  await net.run(10);
  const busy = await second;
  assert.equal(busy.status, 500);
  const retryAfter = Number(busy.headers.get('Retry-After'));
  assert.ok(retryAfter >= 1 && retryAfter <= 10);
});

test('§12.2.2 a request with a lower CSeq than the last → 500', async () => {
  const { net, alice, call } = await establishedCall();
  const dialog = call.dialog!;
  const info = sendInDialog(alice, dialog, 'INFO', { seq: 10 });
  await net.run(10);
  assert.equal((await info).status, 200);
  const old = sendInDialog(alice, dialog, 'INFO', { seq: 5 });
  await net.run(10);
  const r = await old;
  assert.equal(r.status, 500);
});

test('§12.2.2 an unknown in-dialog method → 501 with Allow', async () => {
  const { net, alice, call, answer } = await establishedCall();
  const pending = sendInDialog(alice, call.dialog!, 'FOO');
  await net.run(10);
  const r = await pending;
  assert.equal(r.status, 501);
  assert.match(r.headers.get('Allow') ?? '', /INVITE/);
  assert.equal(answer.state, 'confirmed');
});

test('§11.2 in-dialog OPTIONS → 200 with Allow', async () => {
  const { net, alice, call } = await establishedCall();
  const pending = sendInDialog(alice, call.dialog!, 'OPTIONS');
  await net.run(10);
  const r = await pending;
  assert.equal(r.status, 200);
  assert.ok(r.headers.getAll('Allow').join(',').includes('UPDATE'));
});

test('§14.2 a re-INVITE from the callee reaches the caller\'s session too', async () => {
  const { net, alice, bob, call, answer } = await establishedCall();
  const pending = sendInDialog(bob, answer.dialog!, 'INVITE', { body: 'v=0\r\ns=from-bob\r\n' });
  await net.run(10);
  const ok = await pending;
  assert.equal(ok.status, 200);
  assert.match(ok.body.toString('utf8'), /o=alice 2 2/);
  assert.equal(alice.media.offers.at(-1), 'v=0\r\ns=from-bob\r\n');
  sendAck(bob, answer.dialog!, ok);
  await net.run(40_000);
  assert.equal(call.state, 'confirmed', 'ACKed: no BYE for a missing ACK');
});
