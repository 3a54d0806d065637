/** Credentials bound to the account's servers and to the realm learnt at registration (docs/security.md). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequest, createResponse, parseUri } from '../../../src-main/sip/message/index.js';
import type { SipRequest, SipResponse } from '../../../src-main/sip/message/index.js';
import { BoundCredentials } from '../../../src-main/sip/ua/core/bound-credentials.js';
import { sequenceRandom } from '../../../src-main/util/random.js';
import { ALICE, BOB, FakeNetwork, PBX, phone, RawPeer, registrar, reply } from './support.js';

const servers = { hosts: new Set(['pbx.example.com']), addresses: new Set(['192.0.2.10']) };

function client(refused: string[] = []) {
  return new BoundCredentials({ random: sequenceRandom(), username: 'alice', password: 'pw', servers: () => servers, refused: (m) => refused.push(m) });
}

function req(method: string): SipRequest {
  return createRequest(method, parseUri('sip:bob@pbx.example.com'), [
    ['Via', 'SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKx'], ['From', '<sip:alice@pbx.example.com>;tag=a'], ['To', '<sip:bob@pbx.example.com>'],
    ['Call-ID', 'c@x'], ['CSeq', `1 ${method}`], ['Max-Forwards', '70'],
  ]);
}

function challenge(request: SipRequest, ...values: string[]): SipResponse {
  const r = createResponse(request, 401, undefined, { toTag: 't' });
  for (const v of values) r.headers.append('WWW-Authenticate', v);
  return r;
}

const fromPbx = { host: 'pbx.example.com', address: '192.0.2.10' };

test('a 401 from a host that is not the registrar or proxy is not answered, with a reason', () => {
  const refused: string[] = [];
  const auth = client(refused);
  const r = req('INVITE');
  assert.equal(auth.authorize(r, challenge(r, 'Digest realm="evil", nonce="n", qop="auth"'), { host: '198.51.100.7', address: '198.51.100.7' }), false);
  assert.equal(r.headers.has('Authorization'), false);
  assert.match(refused[0]!, /not answering a 401 challenge from 198\.51\.100\.7: credentials are only for the account's registrar or proxy/);
  assert.equal(auth.authorize(r, challenge(r, 'Digest realm="evil", nonce="n", qop="auth"')), false, 'no origin: not answered either');
});

test('the realm learnt at REGISTER is the only one answered afterwards, even from the registrar', () => {
  const refused: string[] = [];
  const auth = client(refused);
  const register = req('REGISTER');
  assert.equal(auth.authorize(register, challenge(register, 'Digest realm="pbx", nonce="n1", qop="auth"'), fromPbx), true);
  assert.equal(auth.realm, 'pbx');
  const invite = req('INVITE');
  assert.equal(auth.authorize(invite, challenge(invite, 'Digest realm="other", nonce="n2", qop="auth"'), fromPbx), false);
  assert.match(refused.at(-1)!, /bound to realm "pbx"/);
  // Both realms offered: only the bound one gets an answer.
  assert.equal(auth.authorize(invite, challenge(invite, 'Digest realm="other", nonce="n3", qop="auth"', 'Digest realm="pbx", nonce="n4", qop="auth"'), fromPbx), true);
  assert.deepEqual(invite.headers.getAll('Authorization').map((v) => /realm="([^"]+)"/.exec(v)?.[1]), ['pbx']);
});

test('RFC 7616 §3.7 SHA-256 and MD5 in one response: only SHA-256 is answered', () => {
  const auth = client();
  const r = req('REGISTER');
  assert.equal(auth.authorize(r, challenge(r,
    'Digest realm="pbx", nonce="n1", qop="auth", algorithm=MD5',
    'Digest realm="pbx", nonce="n2", qop="auth", algorithm=SHA-256'), fromPbx), true);
  const sent = r.headers.getAll('Authorization');
  assert.equal(sent.length, 1);
  assert.match(sent[0]!, /algorithm=SHA-256/);
  assert.match(sent[0]!, /nonce="n2"/);
});

test('a challenge without qop: answered at REGISTER (binding the realm), refused for other requests before that', () => {
  const refused: string[] = [];
  const early = client(refused);
  const invite = req('INVITE');
  assert.equal(early.authorize(invite, challenge(invite, 'Digest realm="pbx", nonce="n1"'), fromPbx), false);
  assert.match(refused[0]!, /without qop/);
  const auth = client();
  const register = req('REGISTER');
  assert.equal(auth.authorize(register, challenge(register, 'Digest realm="pbx", nonce="n1"'), fromPbx), true);
  const later = req('INVITE');
  assert.equal(auth.authorize(later, challenge(later, 'Digest realm="pbx", nonce="n2"'), fromPbx), true, 'the bound realm: answered');
});

test('the registrar is recognised by its URI host as well as by its address', () => {
  const auth = client();
  const r = req('REGISTER');
  assert.equal(auth.authorize(r, challenge(r, 'Digest realm="pbx", nonce="n", qop="auth"'), { host: 'PBX.example.com', address: undefined }), true);
});

test('end to end: a registered account answers its registrar, but not a 401 from the peer it called directly', async () => {
  const net = new FakeNetwork();
  registrar(net, (request) => (request.headers.has('Authorization') ? 200 : 401));
  const alice = phone(net, 'alice', ALICE, { registrar: `sip:${PBX}`, register: true, password: 'pw' });
  alice.ua.register();
  await net.run(100);
  assert.equal(alice.ua.registrationStatus('alice')?.state, 'registered');
  // Bob's host challenges our INVITE itself: phishing for a response computed with our password.
  const bob = new RawPeer(net, BOB, 5060, (m, peer) => {
    if (m.message.kind === 'request' && m.message.method === 'INVITE') {
      reply(peer, m.message, 401, (r) => r.headers.append('WWW-Authenticate', 'Digest realm="pbx.test", nonce="x", qop="auth"'));
    }
  });
  // A direct call from a disabled account (no registration, so no route through the registrar).
  const direct = phone(net, 'carol', '10.0.0.3', { registrar: `sip:${PBX}`, register: false, password: 'pw' });
  const call = direct.ua.call(parseUri(`sip:bob@${BOB}`), direct.media, 'carol');
  await net.run(100);
  assert.equal(call.endCause?.cause, 'auth-failed');
  assert.equal(bob.requests('INVITE').length, 1, 'the INVITE was never resent with credentials');
  assert.equal(bob.requests('INVITE').some((r) => r.headers.has('Authorization')), false);
  assert.match(direct.notices.join('\n'), /carol: INVITE: not answering a 401 challenge from 10\.0\.0\.2/);
});

test('out of dialog, a registered account sends its INVITE to its registrar (no Route), whatever the target host', async () => {
  const net = new FakeNetwork();
  registrar(net, () => 200);
  const alice = phone(net, 'alice', ALICE, { registrar: `sip:${PBX}`, register: true, password: 'pw' });
  alice.ua.register();
  await net.run(100);
  alice.ua.call(parseUri('sip:+19005550100@evil.example'), alice.media, 'alice');
  await net.run(10);
  const invite = net.requests('INVITE')[0]!;
  assert.equal(invite.to.address, PBX);
  assert.equal(invite.message.uri.host, 'evil.example');
  assert.equal(invite.message.headers.has('Route'), false);
});
