/**
 * Registration recovery (RFC 5626 §4.4, §4.5) and calls that survive a network change (RFC 3261
 * §12.2.1.1 target refresh), on the fake network with the fake clock. Stream flows are modelled by
 * the transport events the real TCP/TLS transport emits (tests/unit/transport/flow-events.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getContacts } from '../../../src-main/sip/message/index.js';
import type { SipRequest } from '../../../src-main/sip/message/index.js';
import { accountDefaults, type AccountConfig } from '../../../src-main/sip/ua/core/account.js';
import type { RegistrationStatus } from '../../../src-main/sip/ua/registration/registerer.js';
import { UserAgent } from '../../../src-main/sip/ua/user-agent.js';
import type { TransportEvent } from '../../../src-main/sip/transport/events.js';
import { watchNetwork } from '../../../src-main/core/network-recovery.js';
import { sequenceRandom } from '../../../src-main/util/random.js';
import {
  ALICE, BOB, bobUri, establishedCall, FakeMedia, FakeNetwork, natRegistrar, PBX, phone, RawPeer, reply, twoPhones,
} from './support.js';

const OTHER_PBX = '10.0.0.20';

/** A registrar on `address` that answers every REGISTER 200 (echoing the Contact) unless `hold` says not yet. */
function streamRegistrar(net: FakeNetwork, address: string, hold: (n: number) => boolean = () => false) {
  const held: SipRequest[] = [];
  let n = 0;
  const peer = new RawPeer(net, address, 5060, (m, p) => {
    if (m.message.kind !== 'request' || m.message.method !== 'REGISTER') return;
    if (hold(n++)) held.push(m.message);
    else answer(p, m.message);
  });
  function answer(p: RawPeer, request: SipRequest): void {
    reply(p, request, 200, (r) => {
      for (const c of getContacts(request).contacts) r.headers.append('Contact', `<sip:${c.uri.user}@${c.uri.host}:${c.uri.port}>;expires=600`);
    });
  }
  return { peer, held, release: () => { for (const r of held.splice(0)) answer(peer, r); } };
}

/** A UA whose accounts register over `transport` (the resolver keeps the account's protocol). */
function streamPhone(net: FakeNetwork, accounts: Array<Partial<AccountConfig> & { key: string; registrar: string }>, resetFlows?: () => void) {
  const transport = net.transport(ALICE);
  const ua = new UserAgent({
    transport, clock: net.clock, random: sequenceRandom([0]), userAgent: 'test-alice',
    resolve: (uri, protocol) => Promise.resolve([{ protocol, address: uri.host, port: uri.port ?? 5060 }]),
    ...(resetFlows ? { resetFlows } : {}),
  });
  const registrations = new Map<string, RegistrationStatus['state'][]>();
  const notices: string[] = [];
  for (const a of accounts) {
    ua.addAccount(accountDefaults({ aor: `sip:alice@${PBX}`, transport: 'tcp', register: true, expires: 600, ...a }));
    registrations.set(a.key, []);
  }
  ua.on('registration', (key, s) => registrations.get(key)!.push(s.state));
  ua.on('notice', (m) => notices.push(m));
  return { ua, transport, registrations, notices };
}

function flowEvent(address: string, opts: Partial<TransportEvent> = {}): TransportEvent {
  return {
    kind: 'connection-closed', protocol: 'tcp', remote: { address, port: 5060 }, connectionId: 'tcp-1', outbound: true,
    message: 'closed by the peer', ...opts,
  };
}

const registersTo = (net: FakeNetwork, address = PBX) => net.requests('REGISTER').filter((p) => p.to.address === address);

test('RFC 5626 §4.4 the registrar closes our TCP flow: REGISTER again at once, registered after one round trip', async () => {
  const net = new FakeNetwork();
  streamRegistrar(net, PBX);
  const alice = streamPhone(net, [{ key: 'a', registrar: `sip:${PBX};transport=tcp` }]);
  alice.ua.register();
  await net.run(100);
  assert.equal(alice.ua.registrationStatus('a')?.state, 'registered');
  await net.run(300_000);
  const closedAt = net.clock.now();
  alice.ua.transportEvent(flowEvent(PBX));
  await net.run(10);
  const [, again, ...more] = registersTo(net);
  assert.ok(again, 'a second REGISTER');
  assert.equal(more.length, 0);
  assert.equal(again.at - closedAt, 0, 'sent at once, not at the next refresh (540 s)');
  assert.equal(alice.ua.registrationStatus('a')?.state, 'registered');
  assert.deepEqual(alice.registrations.get('a'), ['registering', 'registered', 'registering', 'registered']);
  assert.ok(alice.notices.some((m) => /a: connection to the registrar lost \(connection-closed/.test(m)), alice.notices.join('\n'));
});

test('a reset, a missing pong, or a failed connect to the registrar while registered: each re-registers at once', async () => {
  for (const opts of [
    { kind: 'socket-error', code: 'ECONNRESET', message: 'read ECONNRESET' },
    { kind: 'keepalive-timeout', message: 'no pong within 10000 ms' },
    { kind: 'connection-failed', connectionId: undefined, message: 'connect ECONNREFUSED' },
  ] as const) {
    const net = new FakeNetwork();
    streamRegistrar(net, PBX);
    const alice = streamPhone(net, [{ key: 'a', registrar: `sip:${PBX};transport=tcp` }]);
    alice.ua.register();
    await net.run(100);
    alice.ua.transportEvent(flowEvent(PBX, opts));
    await net.run(10);
    assert.equal(registersTo(net).length, 2, opts.kind);
    assert.equal(alice.ua.registrationStatus('a')?.state, 'registered', opts.kind);
  }
});

test('connections that are not the account\'s flow never re-register (inbound, other port, other host, UDP, a refusal)', async () => {
  const net = new FakeNetwork();
  streamRegistrar(net, PBX);
  const alice = streamPhone(net, [{ key: 'a', registrar: `sip:${PBX};transport=tcp` }]);
  alice.ua.register();
  await net.run(100);
  for (const e of [
    flowEvent(PBX, { outbound: false }), // the registrar's address, but a connection it opened to us
    flowEvent(PBX, { outbound: undefined }),
    flowEvent(PBX, { remote: { address: PBX, port: 5070 } }),
    flowEvent('192.0.2.66'), // a stranger
    flowEvent(PBX, { protocol: 'tls' }),
    flowEvent(PBX, { protocol: 'udp', kind: 'socket-error' }),
    flowEvent(PBX, { kind: 'connection-refused' }),
    flowEvent(PBX, { kind: 'parse-error' }),
  ]) alice.ua.transportEvent(e);
  await net.run(10);
  assert.equal(registersTo(net).length, 1);
  assert.deepEqual(alice.notices, []);
});

test('two accounts: only the one whose registrar\'s flow closed registers again', async () => {
  const net = new FakeNetwork();
  streamRegistrar(net, PBX);
  streamRegistrar(net, OTHER_PBX);
  const alice = streamPhone(net, [
    { key: 'a', registrar: `sip:${PBX};transport=tcp` },
    { key: 'b', aor: `sip:alice@${OTHER_PBX}`, registrar: `sip:${OTHER_PBX};transport=tcp` },
  ]);
  alice.ua.register();
  await net.run(100);
  alice.ua.transportEvent(flowEvent(OTHER_PBX));
  await net.run(10);
  assert.equal(registersTo(net, PBX).length, 1, 'account a untouched');
  assert.equal(registersTo(net, OTHER_PBX).length, 2, 'account b re-registered');
  assert.deepEqual(alice.registrations.get('a'), ['registering', 'registered']);
});

test('RFC 5626 §4.5 a flow that keeps failing backs off (at once, 15 s, 30 s); a minute up resets it', async () => {
  const net = new FakeNetwork();
  streamRegistrar(net, PBX);
  const alice = streamPhone(net, [{ key: 'a', registrar: `sip:${PBX};transport=tcp` }]);
  alice.ua.register();
  await net.run(100);
  const close = () => alice.ua.transportEvent(flowEvent(PBX));
  close();
  await net.run(5_000);
  assert.equal(registersTo(net).length, 2, '1st loss: at once');
  close(); // lost again 5 s after recovering
  await net.run(10);
  assert.equal(alice.ua.registrationStatus('a')?.state, 'failed');
  assert.match(alice.ua.registrationStatus('a')?.reason ?? '', /lost again/);
  await net.run(14_980); // sequenceRandom: the shortest wait, half of the 30 s base
  assert.equal(registersTo(net).length, 2, 'not before 15 s');
  await net.run(20);
  assert.equal(registersTo(net).length, 3, '2nd loss: after 15 s');
  await net.run(10);
  assert.equal(alice.ua.registrationStatus('a')?.state, 'registered');
  close();
  await net.run(29_900);
  assert.equal(registersTo(net).length, 3, 'not before 30 s');
  await net.run(200);
  assert.equal(registersTo(net).length, 4, '3rd loss: after 30 s');
  await net.run(61_000); // the flow stays up for a minute
  close();
  await net.run(10);
  assert.equal(registersTo(net).length, 5, 'a stable flow that is lost re-registers at once again');
});

test('the flow closes under a REGISTER in flight: sent again at once; a failed connect is the REGISTER\'s own business', async () => {
  const net = new FakeNetwork();
  const registrar = streamRegistrar(net, PBX, (n) => n === 0);
  const alice = streamPhone(net, [{ key: 'a', registrar: `sip:${PBX};transport=tcp` }]);
  alice.ua.register();
  await net.run(100);
  assert.equal(alice.ua.registrationStatus('a')?.state, 'registering');
  alice.ua.transportEvent(flowEvent(PBX, { kind: 'connection-failed', connectionId: undefined }));
  await net.run(10);
  assert.equal(registersTo(net).length, 1, 'a connect failure fails the REGISTER itself (RFC 3263 failover)');
  alice.ua.transportEvent(flowEvent(PBX));
  await net.run(10);
  assert.equal(registersTo(net).length, 2);
  assert.equal(alice.ua.registrationStatus('a')?.state, 'registered');
  registrar.release(); // a late answer to the abandoned one changes nothing
  await net.run(40_000);
  assert.equal(alice.ua.registrationStatus('a')?.state, 'registered');
  assert.equal(registersTo(net).length, 2);
});

test('retryNow() while a REGISTER is in flight is queued: the moment it ends, REGISTER with the new Contact', async () => {
  const net = new FakeNetwork();
  streamRegistrar(net, PBX, (n) => n === 0); // the first copy goes unanswered, its retransmission is answered
  const alice = streamPhone(net, [{ key: 'a', registrar: `sip:${PBX}`, transport: 'udp' }]);
  alice.ua.register();
  await net.run(100);
  net.move(alice.transport, '10.0.0.5'); // the network changed under the REGISTER
  const changedAt = net.clock.now();
  alice.ua.networkChanged();
  await net.run(300);
  assert.equal(registersTo(net).length, 1, 'queued, not a second REGISTER on top');
  await net.run(300);
  const [first, retransmission, next, ...more] = registersTo(net);
  assert.ok(first && retransmission && next);
  assert.equal(more.length, 0);
  assert.equal(retransmission.message.headers.get('Via'), first.message.headers.get('Via'), 'Timer E: the same transaction');
  assert.equal(next.at - retransmission.at, 2, 'the new REGISTER left as the answer came back (1 ms each way)');
  assert.ok(next.at - changedAt < 600, `${next.at - changedAt} ms after the change`);
  assert.deepEqual(getContacts(next.message).contacts.map((c) => `${c.uri.host}${c.params.has('expires') ? `;expires=${c.params.get('expires')}` : ''}`),
    ['10.0.0.5', '10.0.0.1;expires=0'], 'the new Contact, and the binding the first one made is removed');
  await net.run(10);
  assert.equal(alice.ua.registrationStatus('a')?.state, 'registered');
  assert.deepEqual(alice.registrations.get('a'), ['registering', 'registering', 'registered'], 'never "registered" with the stale Contact');
});

test('retryNow() queued behind a REGISTER whose answer never comes (a closed TCP flow): runs after 2 s', async () => {
  const net = new FakeNetwork();
  streamRegistrar(net, PBX, (n) => n === 0);
  const alice = streamPhone(net, [{ key: 'a', registrar: `sip:${PBX};transport=tcp` }]);
  alice.ua.register();
  await net.run(100);
  const changedAt = net.clock.now();
  alice.ua.networkChanged();
  await net.run(1_990);
  assert.equal(registersTo(net).length, 1, 'no retransmissions over TCP; still waiting');
  await net.run(20);
  const [, next] = registersTo(net);
  assert.equal(next?.at, changedAt + 2_000);
  await net.run(10);
  assert.equal(alice.ua.registrationStatus('a')?.state, 'registered', 'not failed with a back-off');
});

test('network change: old connections closed, the learnt public address forgotten, REGISTER with the new Contact', async () => {
  const net = new FakeNetwork();
  const mapping = { address: '198.51.100.1', port: 40000 };
  natRegistrar(net, mapping);
  let resets = 0;
  const alice = streamPhone(net, [{ key: 'a', registrar: `sip:${PBX}`, transport: 'udp' }], () => resets++);
  alice.ua.register();
  await net.run(100);
  assert.equal(alice.ua.publicAddress('a'), '198.51.100.1');
  net.move(alice.transport, '10.0.0.5');
  mapping.address = '203.0.113.9';
  alice.ua.networkChanged();
  assert.equal(resets, 1, 'TCP/TLS connections closed');
  assert.equal(alice.ua.publicAddress('a'), undefined, 'the old public address is not advertised any more');
  await net.run(100);
  const contacts = registersTo(net).slice(2).map((p) => getContacts(p.message).contacts.map((c) => `${c.uri.host}:${c.uri.port}`));
  assert.deepEqual(contacts, [['10.0.0.5:5060', '198.51.100.1:40000'], ['203.0.113.9:40000', '10.0.0.5:5060']]);
  assert.equal(alice.ua.publicAddress('a'), '203.0.113.9');
  assert.equal(alice.ua.registrationStatus('a')?.state, 'registered');
});

test('NetworkWatch → user agent: a resume from sleep (wall clock +60 s) and a new address re-register at once; an NTP step does not', async () => {
  const net = new FakeNetwork();
  streamRegistrar(net, PBX);
  const alice = streamPhone(net, [{ key: 'a', registrar: `sip:${PBX};transport=tcp` }]);
  alice.ua.register();
  await net.run(100);
  let wall = 1_700_000_000_000;
  let interfaces: Record<string, Array<{ address: string; netmask: string; family: 'IPv4'; mac: string; internal: false; cidr: null }>> = {};
  const notices: string[] = [];
  const watch = watchNetwork(alice.ua, (m) => notices.push(m), {
    clock: net.clock, list: () => interfaces, wallNow: () => wall + net.clock.now(),
  });
  await net.run(3_000);
  wall += 20_000; // NTP corrected the clock by 20 s
  await net.run(3_000);
  assert.equal(registersTo(net).length, 1);
  wall += 60_000; // slept a minute (the monotonic clock stood still)
  await net.run(3_000);
  assert.deepEqual(notices, ['woke from sleep: registering again']);
  assert.equal(registersTo(net).length, 2, 'registered again after the resume');
  interfaces = { wlan0: [{ address: '192.0.2.7', netmask: '255.255.255.0', family: 'IPv4', mac: '00:00:00:00:00:01', internal: false, cidr: null }] };
  await net.run(3_000);
  assert.equal(notices.at(-1), 'network changed: registering again');
  assert.equal(registersTo(net).length, 3);
  watch.stop();
  await net.run(10);
  assert.equal(alice.ua.registrationStatus('a')?.state, 'registered');
});

test('a call survives a network change: UPDATE with the new Contact, then the far end\'s BYE reaches us', async () => {
  const { net, alice, call, answer } = await establishedCall();
  assert.equal(call.state, 'confirmed');
  net.move(alice.transport, '10.0.0.5');
  alice.ua.networkChanged();
  await net.run(50);
  const updates = net.requests('UPDATE');
  assert.equal(updates.length, 1, 'Bob allows UPDATE: a bodiless one (RFC 3311 §5.1)');
  assert.equal(updates[0]!.message.body.length, 0);
  assert.equal(getContacts(updates[0]!.message).contacts[0]?.uri.host, '10.0.0.5');
  assert.equal(net.responses(200).filter((p) => p.message.headers.get('CSeq')?.endsWith('UPDATE')).length, 1);
  answer.hangup();
  await net.run(50);
  assert.equal(call.state, 'ended');
  assert.equal(call.endCause?.cause, 'remote-hangup');
  assert.equal(net.requests('BYE')[0]?.to.address, '10.0.0.5');
});

test('control: without the refresh the far end\'s BYE goes to the old address and never arrives', async () => {
  const { net, alice, call, answer } = await establishedCall();
  net.move(alice.transport, '10.0.0.5');
  answer.hangup();
  await net.run(50);
  assert.equal(net.requests('BYE')[0]?.to.address, ALICE);
  assert.equal(call.state, 'confirmed');
});

test('a peer without UPDATE gets a re-INVITE with our offer and the new Contact (RFC 3261 §14.1)', async () => {
  const net = new FakeNetwork();
  const { alice } = twoPhones(net);
  net.move(net.transport(BOB), '10.0.0.99'); // free Bob's address for a scripted peer
  const sdp = 'v=0\r\no=bob 1 1 IN IP4 10.0.0.2\r\ns=-\r\n';
  const bob = new RawPeer(net, BOB, 5060, (m, peer) => {
    if (m.message.kind !== 'request' || m.message.method !== 'INVITE') return;
    reply(peer, m.message, 200, (r) => {
      r.headers.append('Contact', `<sip:bob@${BOB}>`).append('Allow', 'INVITE, ACK, BYE, CANCEL, OPTIONS');
      r.headers.append('Content-Type', 'application/sdp');
      r.body = Buffer.from(sdp);
    }, 'b1');
  });
  const call = alice.ua.call(bobUri(), alice.media, 'alice');
  await net.run(50);
  assert.equal(call.state, 'confirmed');
  net.move(alice.transport, '10.0.0.5');
  alice.ua.networkChanged();
  await net.run(50);
  const invites = bob.requests('INVITE');
  assert.equal(invites.length, 2);
  const reinvite = invites[1]!;
  assert.equal(getContacts(reinvite).contacts[0]?.uri.host, '10.0.0.5');
  assert.match(reinvite.body.toString(), /o=alice/, 'an offer from our media');
  assert.equal(bob.requests('ACK').length, 2, 'the re-INVITE\'s 2xx was acknowledged');
  assert.equal(alice.media.answers.length, 2);
  assert.equal(net.requests('UPDATE').length, 0);
});

test('a registered account\'s calls wait for the new registration, then carry the Contact the registrar accepted', async () => {
  const net = new FakeNetwork();
  const mapping = { address: '198.51.100.1', port: 40000 };
  natRegistrar(net, mapping);
  const alice = phone(net, 'alice', ALICE, { registrar: `sip:${PBX}`, register: true, expires: 600, incomingCallPolicy: 'any' });
  const bob = phone(net, 'bob', BOB, { incomingCallPolicy: 'any' });
  // The call first (its Contact is our local address, which Bob reaches), then the registration.
  const call = bob.ua.call({ ...bobUri(), user: 'alice', host: ALICE }, new FakeMedia('bob'), 'bob');
  await net.run(10);
  alice.incoming[0]!.answer();
  await net.run(50);
  assert.equal(call.state, 'confirmed');
  alice.ua.register();
  await net.run(100);
  assert.equal(alice.ua.publicAddress('alice'), '198.51.100.1');
  net.move(alice.transport, '10.0.0.5');
  mapping.address = '203.0.113.9';
  alice.ua.networkChanged();
  await net.run(100);
  const order = net.log.filter((p) => p.message.kind === 'request' && ['REGISTER', 'UPDATE', 'INVITE'].includes(p.message.method))
    .slice(-3).map((p) => (p.message as SipRequest).method);
  assert.deepEqual(order, ['REGISTER', 'REGISTER', 'UPDATE'], 're-learn, rewrite, then the call');
  const update = net.requests('UPDATE')[0]!.message;
  assert.equal(net.requests('UPDATE').length, 1);
  const contact = getContacts(update).contacts[0]!.uri;
  assert.equal(`${contact.host}:${contact.port}`, '203.0.113.9:40000');
});
