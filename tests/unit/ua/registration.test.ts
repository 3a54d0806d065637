/** Registration (RFC 3261 §10, §22.2; RFC 5626 §4.5 back-off) against a scripted registrar. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCallId, getCSeq } from '../../../src-main/sip/message/index.js';
import { FakeNetwork, registeringPhone, registrar } from './support.js';

const registers = (net: FakeNetwork) => net.requests('REGISTER').map((p) => p.message);

test('RFC 3261 §22.2 401 → REGISTER with Authorization, next CSeq, same Call-ID', async () => {
  const net = new FakeNetwork();
  registrar(net, (req) => (req.headers.has('Authorization') ? 200 : 401));
  const alice = registeringPhone(net);
  alice.ua.register();
  await net.run(100);
  const [first, second] = registers(net);
  assert.ok(first && second);
  assert.equal(first.headers.has('Authorization'), false);
  assert.match(second.headers.get('Authorization') ?? '', /^Digest .*username="alice".*realm="pbx\.test"/);
  assert.equal(getCSeq(second).seq, getCSeq(first).seq + 1);
  assert.equal(getCallId(second), getCallId(first));
  assert.notEqual(second.headers.get('Via'), first.headers.get('Via'), 'a new transaction (new branch)');
  assert.deepEqual(alice.registrations.map((s) => s.state), ['registering', 'registered']);
  assert.equal(alice.ua.registrationStatus('alice')?.expires, 600);
});

test('§10.2.4 refresh is sent before the binding expires, same Call-ID and Contact', async () => {
  const net = new FakeNetwork();
  registrar(net, () => 200, 300);
  const alice = registeringPhone(net);
  alice.ua.register();
  await net.run(100);
  assert.equal(alice.ua.registrationStatus('alice')?.expires, 300);
  await net.run(239_000);
  assert.equal(registers(net).length, 1, 'not yet: refresh is a minute before expiry');
  await net.run(1_000);
  const [first, refresh] = registers(net);
  assert.ok(first && refresh);
  assert.equal(getCallId(refresh), getCallId(first));
  assert.equal(refresh.headers.get('Contact'), first.headers.get('Contact'));
  assert.equal(getCSeq(refresh).seq, getCSeq(first).seq + 1);
  assert.equal(alice.ua.registrationStatus('alice')?.state, 'registered');
});

test('§10.2.8 423 Interval Too Brief → retry with the Min-Expires value', async () => {
  const net = new FakeNetwork();
  registrar(net, (_req, n) => (n === 0 ? 423 : 200), 3600);
  const alice = registeringPhone(net);
  alice.ua.register();
  await net.run(100);
  assert.deepEqual(registers(net).map((r) => r.headers.get('Expires')), ['600', '1200']);
  assert.equal(alice.ua.registrationStatus('alice')?.state, 'registered');
  assert.equal(alice.ua.registrationStatus('alice')?.expires, 1200);
});

test('§22.2 wrong password: a second 401 → failed with "authentication failed", no loop', async () => {
  const net = new FakeNetwork();
  registrar(net, () => 401);
  const alice = registeringPhone(net, 'wrong');
  alice.ua.register();
  await net.run(100);
  assert.equal(registers(net).length, 2);
  const status = alice.ua.registrationStatus('alice');
  assert.equal(status?.state, 'failed');
  assert.equal(status?.status, 401);
  assert.match(status?.reason ?? '', /authentication failed/);
});

test('§10.2 403 Forbidden → failed with "authentication failed"', async () => {
  const net = new FakeNetwork();
  registrar(net, () => 403);
  const alice = registeringPhone(net);
  alice.ua.register();
  await net.run(100);
  assert.equal(alice.ua.registrationStatus('alice')?.state, 'failed');
  assert.match(alice.ua.registrationStatus('alice')?.reason ?? '', /authentication failed: 403/);
});

test('RFC 5626 §4.5 after a failure the REGISTER is retried after a back-off', async () => {
  const net = new FakeNetwork();
  registrar(net, (_req, n) => (n === 0 ? 500 : 200));
  const alice = registeringPhone(net);
  alice.ua.register();
  await net.run(100);
  assert.equal(alice.ua.registrationStatus('alice')?.state, 'failed');
  // sequenceRandom's int() is 0: the shortest wait, half of the 30 s base.
  await net.run(14_800);
  assert.equal(registers(net).length, 1);
  await net.run(200);
  assert.equal(registers(net).length, 2);
  await net.run(100);
  assert.equal(alice.ua.registrationStatus('alice')?.state, 'registered');
});

test('§10.2.2 unregister() sends Expires: 0 with the same Contact and Call-ID', async () => {
  const net = new FakeNetwork();
  registrar(net, () => 200);
  const alice = registeringPhone(net);
  alice.ua.register();
  await net.run(100);
  const done = alice.ua.unregisterAll();
  await net.run(100);
  await done;
  const [reg, unreg] = registers(net);
  assert.ok(reg && unreg);
  assert.equal(unreg.headers.get('Expires'), '0');
  assert.equal(unreg.headers.get('Contact'), reg.headers.get('Contact'));
  assert.equal(getCallId(unreg), getCallId(reg));
  assert.equal(getCSeq(unreg).seq, getCSeq(reg).seq + 1);
  await net.run(3_600_000);
  assert.equal(registers(net).length, 2, 'no refresh after unregistering');
});

test('§10.2.2 unregister() while the REGISTER is in flight still removes the binding', async () => {
  const net = new FakeNetwork();
  registrar(net, () => 200);
  const alice = registeringPhone(net);
  alice.ua.register();
  const done = alice.ua.unregisterAll();
  await net.run(100);
  await done;
  const sent = registers(net);
  assert.equal(sent.at(-1)?.headers.get('Expires'), '0', 'the last REGISTER removes the binding');
  assert.equal(alice.ua.registrationStatus('alice')?.state, 'unregistered');
});

test('RFC 5626 §4.5 retryNow() (network up) re-registers at once instead of waiting', async () => {
  const net = new FakeNetwork();
  registrar(net, (_req, n) => (n === 0 ? 503 : 200));
  const alice = registeringPhone(net);
  alice.ua.register();
  await net.run(100);
  assert.equal(alice.ua.registrationStatus('alice')?.state, 'failed');
  alice.ua.networkChanged();
  await net.run(100);
  assert.equal(registers(net).length, 2);
  assert.equal(alice.ua.registrationStatus('alice')?.state, 'registered');
});

test('§17.1.2.2 no answer: Timer F → failed with a reason, retried later', async () => {
  const net = new FakeNetwork();
  const alice = registeringPhone(net); // nothing listens at the registrar's address
  alice.ua.register();
  await net.run(31_000);
  assert.equal(alice.ua.registrationStatus('alice')?.state, 'registering');
  await net.run(1_100);
  const status = alice.ua.registrationStatus('alice');
  assert.equal(status?.state, 'failed');
  assert.match(status?.reason ?? '', /no response from registrar \(timeout/);
  const retransmits = registers(net).length;
  assert.ok(retransmits > 5, `Timer E retransmissions over UDP (${retransmits})`);
  await net.run(15_000);
  assert.ok(registers(net).length > retransmits, 'back-off retry');
});

test('RFC 3261 §11 OPTIONS keep-alive while registered; no answer → failed, then re-REGISTER', async () => {
  const net = new FakeNetwork();
  registrar(net, () => 200, 600, false);
  const alice = registeringPhone(net);
  alice.ua.register();
  await net.run(25_100);
  const ping = net.requests('OPTIONS')[0]?.message;
  assert.ok(ping, 'an OPTIONS ping 25 s after registering');
  assert.equal(ping.uri.host, '10.0.0.10');
  await net.run(32_000);
  const status = alice.ua.registrationStatus('alice');
  assert.equal(status?.state, 'failed');
  assert.match(status?.reason ?? '', /registrar unreachable/);
  await net.run(15_000);
  assert.equal(registers(net).length, 2);
});
