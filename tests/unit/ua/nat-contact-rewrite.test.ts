/**
 * Behind a NAT (RFC 3581 §4 received/rport): the registerer rewrites its Contact to the address
 * the registrar saw, removes the unreachable binding (RFC 3261 §10.2.2 expires=0), re-learns when
 * a keep-alive shows a new mapping or the network changes, and dialogs use the same Contact.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getContacts, getCSeq, Headers, parseUri } from '../../../src-main/sip/message/index.js';
import type { SipRequest } from '../../../src-main/sip/message/index.js';
import { contactNeedsRewrite, observedAddress } from '../../../src-main/sip/ua/registration/contact-rewrite.js';
import { ALICE, BOB, FakeNetwork, natRegistrar, PBX, phone } from './support.js';

const registers = (net: FakeNetwork): SipRequest[] => net.requests('REGISTER').map((p) => p.message);
const contactsOf = (r: SipRequest) => getContacts(r).contacts.map((c) => `${c.uri.host}:${c.uri.port}${c.params.has('expires') ? `;expires=${c.params.get('expires')}` : ''}`);

function natPhone(net: FakeNetwork, extra: { contactRewrite?: boolean; incomingCallPolicy?: 'any' } = {}) {
  return phone(net, 'alice', ALICE, { registrar: `sip:${PBX}`, register: true, password: 'pw', expires: 600, ...extra });
}

test('pjsip-style contact rewrite: re-REGISTER at the public address, stale private binding removed (RFC 3261 §10.2.2)', async () => {
  const net = new FakeNetwork();
  natRegistrar(net, { address: '198.51.100.1', port: 40000 });
  const alice = natPhone(net);
  const states: string[] = [];
  alice.ua.on('registration', (_k, s) => states.push(s.state));
  alice.ua.register();
  await net.run(100);
  const [first, second, ...more] = registers(net);
  assert.ok(first && second);
  assert.equal(more.length, 0, 'one rewrite, then stable');
  assert.deepEqual(contactsOf(first), ['10.0.0.1:5060']);
  assert.deepEqual(contactsOf(second), ['198.51.100.1:40000', '10.0.0.1:5060;expires=0']);
  assert.equal(second.headers.get('Call-ID'), first.headers.get('Call-ID'));
  assert.equal(getCSeq(second).seq, getCSeq(first).seq + 1);
  assert.deepEqual(states, ['registering', 'registering', 'registered'], 'registered only once the public Contact is');
  assert.match(alice.notices.join('\n'), /registrar sees us at 198\.51\.100\.1:40000, not 10\.0\.0\.1:5060 \(NAT\)/);
  assert.equal(alice.ua.publicAddress('alice'), '198.51.100.1');
  assert.equal(alice.ua.localAddress('alice'), ALICE, 'the local address stays what it is');

  // The refresh keeps the public Contact and no longer carries the removed binding.
  await net.run(540_000);
  const refresh = registers(net).at(-1)!;
  assert.notEqual(refresh, second);
  assert.deepEqual(contactsOf(refresh), ['198.51.100.1:40000']);
});

test('dialogs carry the registered public Contact: our INVITE and our 2xx to an incoming INVITE', async () => {
  const net = new FakeNetwork();
  natRegistrar(net, { address: '198.51.100.1', port: 40000 });
  // Bob calls Alice directly (not through her PBX): direct calls are explicit (policy any).
  const alice = natPhone(net, { incomingCallPolicy: 'any' });
  alice.ua.register();
  await net.run(100);
  alice.ua.call(parseUri(`sip:bob@${BOB}`), alice.media, 'alice');
  await net.run(10);
  const invite = net.requests('INVITE')[0]!.message;
  assert.equal(getContacts(invite).contacts[0]!.uri.host, '198.51.100.1');
  assert.equal(getContacts(invite).contacts[0]!.uri.port, 40000);

  const bob = phone(net, 'bob', BOB, { incomingCallPolicy: 'any' });
  bob.ua.call(parseUri(`sip:alice@${ALICE}`), bob.media, 'bob');
  await net.run(10);
  alice.incoming[0]!.answer();
  await net.run(10);
  const ok = net.responses(200).find((p) => p.from.address === ALICE && getCSeq(p.message).method === 'INVITE')!.message;
  assert.equal(getContacts(ok).contacts[0]!.uri.host, '198.51.100.1');
  assert.equal(getContacts(ok).contacts[0]!.uri.port, 40000);
});

test('no NAT: received/rport match our Contact, one REGISTER, the public address is our own', async () => {
  const net = new FakeNetwork();
  natRegistrar(net, { address: ALICE, port: 5060 });
  const alice = natPhone(net);
  alice.ua.register();
  await net.run(100);
  assert.equal(registers(net).length, 1);
  assert.equal(alice.ua.registrationStatus('alice')?.state, 'registered');
  assert.equal(alice.ua.publicAddress('alice'), ALICE);
});

test('contactRewrite: false keeps the local Contact and learns no public address', async () => {
  const net = new FakeNetwork();
  natRegistrar(net, { address: '198.51.100.1', port: 40000 });
  const alice = natPhone(net, { contactRewrite: false });
  alice.ua.register();
  await net.run(100);
  assert.equal(registers(net).length, 1);
  assert.equal(alice.ua.publicAddress('alice'), undefined);
});

test('the NAT remaps us between refreshes: the keep-alive OPTIONS shows it, we re-register at once', async () => {
  const net = new FakeNetwork();
  const mapping = { address: '198.51.100.1', port: 40000 };
  natRegistrar(net, mapping);
  const alice = natPhone(net);
  alice.ua.register();
  await net.run(100);
  assert.equal(registers(net).length, 2);
  mapping.port = 40002; // the router restarted
  await net.run(25_100);
  assert.ok(net.requests('OPTIONS').length >= 1, 'a keep-alive went out after 25 s');
  const latest = registers(net).at(-1)!;
  assert.equal(registers(net).length, 3);
  assert.deepEqual(contactsOf(latest), ['198.51.100.1:40002', '198.51.100.1:40000;expires=0']);
  assert.equal(alice.ua.registrationStatus('alice')?.state, 'registered');
});

test('network change: re-learn from the local address, removing the old public binding', async () => {
  const net = new FakeNetwork();
  const mapping = { address: '198.51.100.1', port: 40000 };
  natRegistrar(net, mapping);
  const alice = natPhone(net);
  alice.ua.register();
  await net.run(100);
  mapping.address = '203.0.113.9'; // another network, another router
  alice.ua.networkChanged();
  await net.run(100);
  const [, , relearn, rewritten, ...more] = registers(net);
  assert.ok(relearn && rewritten);
  assert.equal(more.length, 0);
  assert.deepEqual(contactsOf(relearn), ['10.0.0.1:5060', '198.51.100.1:40000;expires=0']);
  assert.deepEqual(contactsOf(rewritten), ['203.0.113.9:40000', '10.0.0.1:5060;expires=0']);
  assert.equal(alice.ua.publicAddress('alice'), '203.0.113.9');
});

test('RFC 3581 §4 observed address: received + rport, or sent-by host + rport', () => {
  const parse = (via: string) => observedAddress({ kind: 'response', status: 200, reason: 'OK', headers: new Headers().append('Via', via), body: Buffer.alloc(0) });
  assert.deepEqual(parse('SIP/2.0/UDP 10.0.0.1:5060;rport=40000;received=198.51.100.1;branch=z9hG4bK1'), { address: '198.51.100.1', port: 40000 });
  assert.deepEqual(parse('SIP/2.0/UDP 198.51.100.1:5060;rport=5060;branch=z9hG4bK1'), { address: '198.51.100.1', port: 5060 });
  assert.equal(parse('SIP/2.0/UDP 10.0.0.1:5060;rport;branch=z9hG4bK1'), undefined, 'no rport value: the server does not do RFC 3581');
  assert.equal(parse('SIP/2.0/UDP 10.0.0.1:5060;received=198.51.100.1;branch=z9hG4bK1'), undefined);
});

test('stream flows: only the address decides (the source port of a connection is ephemeral)', () => {
  const contact = parseUri('sip:alice@10.0.0.1:5060;transport=tcp');
  assert.equal(contactNeedsRewrite(contact, { address: '10.0.0.1', port: 51234 }, 'tcp'), false);
  assert.equal(contactNeedsRewrite(contact, { address: '198.51.100.1', port: 51234 }, 'tcp'), true);
  assert.equal(contactNeedsRewrite(parseUri('sip:alice@10.0.0.1:5060'), { address: '10.0.0.1', port: 5062 }, 'udp'), true);
  assert.equal(contactNeedsRewrite(parseUri('sip:alice@[2001:db8::1]:5060'), { address: '2001:db8::1', port: 5060 }, 'udp'), false);
});
