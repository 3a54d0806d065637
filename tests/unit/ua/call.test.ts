/** INVITE sessions between two full user agents (RFC 3261 §13, §15, §9). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCallId, getCSeq, getTopVia } from '../../../src-main/sip/message/index.js';
import { bobUri, establishedCall, FakeNetwork, states, twoPhones } from './support.js';

test('RFC 3261 §13.2.2 180 → ringing, 200 → ACK, both sides confirmed', async () => {
  const { net, alice, bob } = twoPhones();
  const call = alice.ua.call(bobUri(), alice.media, 'alice');
  const seen = states(call);
  await net.run(10);
  const incoming = bob.incoming[0];
  assert.ok(incoming, 'Bob sees the call');
  assert.equal(incoming.remoteOffer, alice.media.offers[0]);
  incoming.ring();
  await net.run(10);
  assert.equal(call.state, 'ringing');
  incoming.answer();
  await net.run(10);
  assert.equal(call.state, 'confirmed');
  assert.equal(incoming.state, 'confirmed');
  assert.deepEqual(seen, ['calling', 'ringing', 'confirmed']);
  const ok = net.responses(200)[0]!.message;
  assert.match(ok.body.toString('utf8'), /o=bob .*s=answer/s);
  assert.deepEqual(alice.media.answers, [ok.body.toString('utf8')], 'the answer in the 200 reaches our media');
  const invite = net.requests('INVITE')[0]!.message;
  const ack = net.requests('ACK')[0]!.message;
  assert.equal(ack.headers.get('CSeq'), `${getCSeq(invite).seq} ACK`, '§13.2.2.4: same CSeq number, method ACK');
  assert.equal(getCallId(ack), getCallId(invite));
  assert.notEqual(getTopVia(ack).params.get('branch'), getTopVia(invite).params.get('branch'), '§13.2.2.4: new branch');
  assert.equal(ack.uri.host, '10.0.0.2', 'ACK goes to the remote target from the 200 Contact');
});

test('§15.1.1 BYE from the caller: 200, both ended', async () => {
  const { net, call, answer } = await establishedCall();
  call.hangup();
  await net.run(10);
  assert.equal(call.endCause?.cause, 'local-hangup');
  assert.equal(answer.endCause?.cause, 'remote-hangup');
  assert.equal(net.responses(200).at(-1)?.message.headers.get('CSeq')?.endsWith('BYE'), true);
});

test('§15.1.1 BYE from the callee: both ended, BYE CSeq starts the callee\'s own sequence', async () => {
  const { net, call, answer } = await establishedCall();
  answer.hangup();
  await net.run(10);
  assert.equal(answer.endCause?.cause, 'local-hangup');
  assert.equal(call.endCause?.cause, 'remote-hangup');
  const bye = net.requests('BYE')[0]!.message;
  assert.equal(bye.uri.host, '10.0.0.1', 'to the caller\'s Contact');
  assert.equal(net.responses(200).at(-1)?.message.headers.get('CSeq'), bye.headers.get('CSeq'));
});

test('§9.1 CANCEL after a provisional: 200 to CANCEL, 487 to INVITE, both ended as cancelled', async () => {
  const { net, alice, bob } = twoPhones();
  const call = alice.ua.call(bobUri(), alice.media, 'alice');
  await net.run(10);
  bob.incoming[0]!.ring();
  await net.run(10);
  call.hangup();
  await net.run(10);
  const cancel = net.requests('CANCEL')[0]!.message;
  const invite = net.requests('INVITE')[0]!.message;
  assert.equal(cancel.headers.get('Via'), invite.headers.get('Via'), '§9.1: same top Via');
  assert.equal(getCSeq(cancel).seq, getCSeq(invite).seq);
  assert.ok(net.responses(200).some((p) => getCSeq(p.message).method === 'CANCEL'));
  assert.ok(net.responses(487).length > 0);
  assert.deepEqual(call.endCause, { cause: 'cancelled', status: 487, reason: 'Request Terminated' });
  assert.equal(bob.incoming[0]!.endCause?.cause, 'cancelled');
  assert.ok(net.requests('ACK').length > 0, '§17.1.1.3: the 487 is ACKed');
});

test('§9.1 CANCEL requested before any provisional waits for the 1xx', async () => {
  const net = new FakeNetwork();
  const { alice, bob } = twoPhones(net);
  // Bob's 100 Trying is lost; he has not rung yet.
  net.drop((p) => p.message.kind === 'response' && p.message.status === 100, Infinity);
  const call = alice.ua.call(bobUri(), alice.media, 'alice');
  await net.run(10);
  call.hangup();
  await net.run(300);
  assert.equal(net.requests('CANCEL').length, 0, 'no CANCEL before a provisional response');
  assert.notEqual(call.state, 'ended');
  bob.incoming[0]!.ring();
  await net.run(10);
  assert.equal(net.requests('CANCEL').length, 1);
  await net.run(10);
  assert.equal(call.endCause?.cause, 'cancelled');
  assert.equal(bob.incoming[0]!.endCause?.cause, 'cancelled');
});

for (const [status, cause] of [[486, 'busy'], [603, 'declined'], [404, 'not-found']] as const) {
  test(`§13.2.2.3 ${status} final response → ended with cause ${cause}`, async () => {
    const { net, alice, bob } = twoPhones();
    const call = alice.ua.call(bobUri(), alice.media, 'alice');
    await net.run(10);
    bob.incoming[0]!.reject(status);
    await net.run(10);
    assert.equal(call.endCause?.cause, cause);
    assert.equal(call.endCause?.status, status);
    assert.equal(net.requests('ACK').length, 1, '§17.1.1.3: non-2xx ACK');
  });
}

test('§17.1.1.2 a lost INVITE is retransmitted (Timer A) and the call proceeds', async () => {
  const net = new FakeNetwork();
  const { alice, bob } = twoPhones(net);
  net.drop((p) => p.message.kind === 'request' && p.message.method === 'INVITE', 1);
  const call = alice.ua.call(bobUri(), alice.media, 'alice');
  await net.run(400);
  assert.equal(bob.incoming.length, 0);
  await net.run(200);
  assert.equal(bob.incoming.length, 1, 'one call for the retransmission');
  bob.incoming[0]!.answer();
  await net.run(10);
  assert.equal(call.state, 'confirmed');
  assert.equal(net.requests('INVITE', true).length, 2);
});
