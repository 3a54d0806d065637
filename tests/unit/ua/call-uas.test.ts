/** UAS 2xx reliability (RFC 3261 §13.3.1.4) and UAS answers to the initial INVITE. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCSeq } from '../../../src-main/sip/message/index.js';
import { bobUri, FakeNetwork, twoPhones } from './support.js';

const isAck = (p: { message: { kind: string; method?: string } }) => p.message.kind === 'request' && p.message.method === 'ACK';
const invite200 = (net: FakeNetwork) => net.responses(200, true).filter((p) => getCSeq(p.message).method === 'INVITE');

test('RFC 3261 §13.3.1.4 a lost ACK: the 2xx is retransmitted and the caller ACKs again', async () => {
  const net = new FakeNetwork();
  const { alice, bob } = twoPhones(net);
  net.drop(isAck, 1);
  const call = alice.ua.call(bobUri(), alice.media, 'alice');
  await net.run(10);
  const incoming = bob.incoming[0]!;
  incoming.answer();
  await net.run(400);
  assert.equal(incoming.state, 'ringing', 'not confirmed without the ACK');
  await net.run(200);
  assert.equal(invite200(net).length, 2);
  assert.equal(net.requests('ACK', true).length, 2);
  assert.equal(incoming.state, 'confirmed');
  assert.equal(call.state, 'confirmed');
  await net.run(64 * 500);
  assert.equal(invite200(net).length, 2, 'no retransmission once ACKed');
  assert.equal(incoming.state, 'confirmed');
});

test('§13.3.1.4 no ACK: 2xx at T1, 2T1, ... capped at T2; after 64*T1 a BYE, cause no-ack', async () => {
  const net = new FakeNetwork();
  const { alice, bob } = twoPhones(net);
  net.drop(isAck, Infinity);
  const call = alice.ua.call(bobUri(), alice.media, 'alice');
  await net.run(10);
  const incoming = bob.incoming[0]!;
  const start = net.clock.now();
  incoming.answer();
  await net.run(40_000);
  const times = invite200(net).filter((p) => p.from.address === '10.0.0.2').map((p) => p.at - start);
  assert.deepEqual(times, [0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
  const bye = net.requests('BYE')[0];
  assert.ok(bye);
  assert.equal(bye.from.address, '10.0.0.2');
  assert.equal(bye.at - start, 64 * 500);
  assert.equal(incoming.endCause?.cause, 'no-ack');
  assert.equal(call.endCause?.cause, 'remote-hangup');
});

test('§13.3.1.3 an answer the media cannot accept → 488, ended as unacceptable-media', async () => {
  const net = new FakeNetwork();
  const { alice, bob } = twoPhones(net);
  const call = alice.ua.call(bobUri(), alice.media, 'alice');
  await net.run(10);
  bob.media.accept = false;
  bob.incoming[0]!.answer();
  await net.run(10);
  assert.equal(bob.incoming[0]!.endCause?.cause, 'unacceptable-media');
  assert.equal(call.endCause?.cause, 'unacceptable-media');
  assert.equal(call.endCause?.status, 488);
});

test('§13.3.1 an INVITE with Expires that nobody answers ends with 487 when it expires', async () => {
  const net = new FakeNetwork();
  const { alice, bob } = twoPhones(net);
  const call = alice.ua.call(bobUri(), alice.media, 'alice', [['Expires', '30']]);
  await net.run(29_000);
  assert.equal(bob.incoming[0]!.state, 'ringing');
  await net.run(1_100);
  assert.equal(bob.incoming[0]!.endCause?.status, 487);
  assert.equal(call.state, 'ended');
  assert.equal(call.endCause?.status, 487);
});

test('a caller that vanished without CANCEL does not leave a ghost call ringing: 480 after 300 s', async () => {
  const net = new FakeNetwork();
  const { alice, bob } = twoPhones(net);
  alice.ua.call(bobUri(), alice.media, 'alice');
  await net.run(10);
  net.drop(() => true, Infinity);
  await net.run(299_000);
  assert.equal(bob.incoming[0]!.state, 'ringing');
  await net.run(1_100);
  assert.equal(bob.incoming[0]!.endCause?.cause, 'timeout');
  assert.equal(bob.incoming[0]!.endCause?.status, 480);
});
