/** UAC corner cases against a scripted peer (RFC 3261 §13.2.2, §22.2, §8.1.3.4). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCallId, getCSeq, getTo, parseUri } from '../../../src-main/sip/message/index.js';
import type { SipRequest } from '../../../src-main/sip/message/index.js';
import { BOB, FakeNetwork, PBX, phone, ALICE, RawPeer, reply, states } from './support.js';

const answer = (peer: RawPeer, invite: SipRequest, status: number, tag: string, contactUser = 'bob') =>
  reply(peer, invite, status, (r) => {
    r.headers.append('Contact', `<sip:${contactUser}@${PBX}>`);
    if (status === 200) {
      r.headers.append('Content-Type', 'application/sdp');
      r.body = Buffer.from(`v=0\r\ns=${tag}\r\n`);
    }
  }, tag);

function caller(net: FakeNetwork) {
  return phone(net, 'alice', ALICE, { password: 'pw' });
}

test('RFC 3261 §22.2 407 on INVITE → resent with Proxy-Authorization, next CSeq, same Call-ID', async () => {
  const net = new FakeNetwork();
  new RawPeer(net, PBX, 5060, (m, peer) => {
    if (m.message.kind !== 'request' || m.message.method !== 'INVITE') return;
    if (!m.message.headers.has('Proxy-Authorization')) {
      reply(peer, m.message, 407, (r) => r.headers.append('Proxy-Authenticate', 'Digest realm="pbx.test", nonce="n7", qop="auth"'));
    } else answer(peer, m.message, 200, 'b1');
  });
  const alice = caller(net);
  const call = alice.ua.call(parseUri(`sip:bob@${PBX}`), alice.media, 'alice');
  await net.run(50);
  const [first, second] = net.requests('INVITE').map((p) => p.message);
  assert.ok(first && second);
  assert.match(second.headers.get('Proxy-Authorization') ?? '', /username="alice", realm="pbx.test"/);
  assert.equal(getCSeq(second).seq, getCSeq(first).seq + 1);
  assert.equal(getCallId(second), getCallId(first));
  const acks = net.requests('ACK').map((p) => p.message);
  assert.deepEqual(acks.map((a) => getCSeq(a).seq), [getCSeq(first).seq, getCSeq(second).seq], 'ACK for the 407, then for the 200');
  assert.equal(call.state, 'confirmed');
});

test('§8.1.3.4 302 → a new INVITE to the Contact, next CSeq', async () => {
  const net = new FakeNetwork();
  new RawPeer(net, PBX, 5060, (m, peer) => {
    if (m.message.kind === 'request' && m.message.method === 'INVITE') {
      reply(peer, m.message, 302, (r) => r.headers.append('Contact', `<sip:bob@${BOB}>`));
    }
  });
  const alice = caller(net);
  const bob = phone(net, 'bob', BOB, { incomingCallPolicy: 'any' });
  const call = alice.ua.call(parseUri(`sip:bob@${PBX}`), alice.media, 'alice');
  await net.run(50);
  const [first, second] = net.requests('INVITE').map((p) => p.message);
  assert.ok(first && second);
  assert.equal(second.uri.host, BOB);
  assert.equal(getCSeq(second).seq, getCSeq(first).seq + 1);
  assert.equal(getCallId(second), getCallId(first));
  bob.incoming[0]!.answer();
  await net.run(50);
  assert.equal(call.state, 'confirmed');
});

test('§13.2.2.4 a 2xx from a second fork is ACKed and released with BYE; the first dialog stays', async () => {
  const net = new FakeNetwork();
  new RawPeer(net, PBX, 5060, (m, peer) => {
    if (m.message.kind !== 'request') return;
    if (m.message.method === 'INVITE') {
      answer(peer, m.message, 200, 'fork1', 'bob');
      answer(peer, m.message, 200, 'fork2', 'carol');
    } else if (m.message.method === 'BYE') reply(peer, m.message, 200);
  });
  const alice = caller(net);
  const call = alice.ua.call(parseUri(`sip:bob@${PBX}`), alice.media, 'alice');
  await net.run(50);
  const acks = net.requests('ACK').map((p) => getTo(p.message).params.get('tag'));
  assert.deepEqual(acks, ['fork1', 'fork2']);
  const byes = net.requests('BYE').map((p) => p.message);
  assert.deepEqual(byes.map((b) => getTo(b).params.get('tag')), ['fork2']);
  assert.equal(byes[0]!.uri.user, 'carol', 'to the fork\'s own Contact');
  assert.equal(call.state, 'confirmed');
  assert.equal(call.dialog?.remoteTag, 'fork1');
  assert.deepEqual(alice.media.answers.length, 1, 'only the first answer is used');
  call.hangup();
  await net.run(50);
  assert.deepEqual(net.requests('BYE').map((p) => getTo(p.message).params.get('tag')), ['fork2', 'fork1']);
});

test('§13.2.2.4 a retransmitted 2xx is ACKed again', async () => {
  const net = new FakeNetwork();
  new RawPeer(net, PBX, 5060, (m, peer) => {
    if (m.message.kind === 'request' && m.message.method === 'INVITE') {
      answer(peer, m.message, 200, 'b1');
      answer(peer, m.message, 200, 'b1');
    }
  });
  const alice = caller(net);
  const call = alice.ua.call(parseUri(`sip:bob@${PBX}`), alice.media, 'alice');
  const seen = states(call);
  await net.run(50);
  const acks = net.requests('ACK').map((p) => p.message);
  assert.equal(acks.length, 2);
  assert.equal(acks[0]!.headers.get('CSeq'), acks[1]!.headers.get('CSeq'));
  assert.deepEqual(seen, ['calling', 'confirmed']);
  assert.equal(net.requests('BYE').length, 0);
});

test('§13.2.2.4 a 2xx after a 180 with the same tag confirms the early dialog', async () => {
  const net = new FakeNetwork();
  new RawPeer(net, PBX, 5060, (m, peer) => {
    if (m.message.kind === 'request' && m.message.method === 'INVITE') {
      answer(peer, m.message, 180, 'b1');
      answer(peer, m.message, 200, 'b1');
    }
  });
  const alice = caller(net);
  const call = alice.ua.call(parseUri(`sip:bob@${PBX}`), alice.media, 'alice');
  const seen = states(call);
  await net.run(50);
  assert.deepEqual(seen, ['calling', 'ringing', 'confirmed']);
  assert.equal(net.requests('ACK').length, 1);
  assert.equal(net.requests('BYE').length, 0);
});
