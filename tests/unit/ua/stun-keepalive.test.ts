/**
 * RFC 5626 §4.4.2 STUN keep-alives on the UDP flow to the registrar, on the fake clock: a Binding
 * request every 80–100 % of 25 s to the REGISTER's own destination (the first at once, as a short
 * probe, when the registrar has not said it does STUN), OPTIONS only when the registrar never
 * answers one, and a new XOR-MAPPED-ADDRESS (the NAT remapped us) is a failed flow: the account
 * registers again at once and its Contact follows the registrar's Via.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getContacts } from '../../../src-main/sip/message/index.js';
import type { SipRequest } from '../../../src-main/sip/message/index.js';
import { accountDefaults } from '../../../src-main/sip/ua/core/account.js';
import { PROBE_SENDS, StunKeepAlive } from '../../../src-main/sip/ua/registration/stun-keepalive.js';
import { UserAgent } from '../../../src-main/sip/ua/user-agent.js';
import type { StunBindingOptions, StunBindingOutcome, StunTarget } from '../../../src-main/sip/transport/udp-stun.js';
import { sequenceRandom } from '../../../src-main/util/random.js';
import { resolveOnNetwork } from '../../support/fake-network.js';
import { TestClock } from '../../support/test-clock.js';
import { ALICE, FakeNetwork, natRegistrar, PBX, RawPeer, reply } from './support.js';

/** RFC 8489 §6.2.1 with RTO 500 ms: sends at 0, RTO, 3·RTO … (Rc in all), the last waited on for Rm·RTO = 8 s. */
const stunTimeoutMs = (sends = 7) => 500 * (2 ** (sends - 1) - 1) + 8000;
/** Rc = 7: 39.5 s before "no answer". */
const STUN_TIMEOUT_MS = stunTimeoutMs();
/** The probe of a registrar that has not said it does STUN: 11.5 s. */
const PROBE_TIMEOUT_MS = stunTimeoutMs(PROBE_SENDS);

test('keep-alive delays are 80-100 % of the interval (RFC 5626 §4.4.1), each drawn anew', async () => {
  const clock = new TestClock();
  const sent: number[] = [];
  const ka = new StunKeepAlive({
    clock, random: sequenceRandom([0, 1000, 500]), intervalMs: 25_000, expected: true,
    binding: () => {
      sent.push(clock.now());
      return Promise.resolve({ ok: true, mapped: { address: '198.51.100.1', port: 40000 } });
    },
    onRemapped: () => assert.fail('no remap'), onUnanswered: () => assert.fail('answered'), onFailure: () => assert.fail('answered'),
  });
  ka.start();
  for (let i = 0; i < 4; i++) {
    clock.advance(clock.nextDue()! - clock.now());
    await new Promise((r) => setImmediate(r));
  }
  // int(1001) = 0 → 80 %, 1000 → 100 %, 500 → 90 %, then 0 again.
  assert.deepEqual(sent, [20_000, 45_000, 67_500, 87_500]);
  assert.equal(ka.answers, 4);
  ka.stop();
  assert.equal(clock.nextDue(), undefined, 'stop() leaves no timer');
});

/** A STUN-capable registrar on the fake clock: answers each Binding after 5 ms with `mapping`, or never. */
function stunRegistrar(net: FakeNetwork, mapping: { address: string; port: number }, answers: () => boolean) {
  const requests: Array<{ at: number; to: StunTarget; sends: number | undefined }> = [];
  const binding = (to: StunTarget, options: StunBindingOptions = {}): Promise<StunBindingOutcome> => {
    requests.push({ at: net.clock.now(), to, sends: options.sends });
    return new Promise((resolve) => {
      if (answers()) net.clock.setTimeout(() => resolve({ ok: true, mapped: { ...mapping } }), 5);
      else net.clock.setTimeout(() => resolve({ ok: false, answered: false, detail: 'no STUN answer (timeout)' }), stunTimeoutMs(options.sends));
    });
  };
  return { requests, binding };
}

function stunPhone(net: FakeNetwork, binding: (to: StunTarget, options?: StunBindingOptions) => Promise<StunBindingOutcome>) {
  const ua = new UserAgent({
    transport: net.transport(ALICE), clock: net.clock, random: sequenceRandom([1000]),
    resolve: resolveOnNetwork, userAgent: 'test-alice', stunBinding: binding,
  });
  ua.addAccount(accountDefaults({ key: 'alice', aor: `sip:alice@${PBX}`, registrar: `sip:${PBX}`, register: true, password: 'pw', expires: 600 }));
  const notices: string[] = [];
  const mappings: string[] = [];
  ua.on('notice', (m) => notices.push(m));
  ua.on('stun-unanswered', (_k, detail) => notices.push(`stun-unanswered: ${detail}`));
  ua.on('mapping', (_k, m) => mappings.push(`${m.address}:${m.port}`));
  return { ua, notices, mappings };
}

const registers = (net: FakeNetwork): SipRequest[] => net.requests('REGISTER').map((p) => p.message);
const contactsOf = (r: SipRequest) => getContacts(r).contacts.map((c) => `${c.uri.host}:${c.uri.port}${c.params.has('expires') ? `;expires=${c.params.get('expires')}` : ''}`);

test('registered over UDP: STUN Binding requests on the registrar flow replace OPTIONS; a new mapping re-registers at once', async () => {
  const net = new FakeNetwork();
  const mapping = { address: '198.51.100.1', port: 40000 };
  natRegistrar(net, mapping);
  const stun = stunRegistrar(net, mapping, () => true);
  const alice = stunPhone(net, stun.binding);
  alice.ua.register();
  await net.run(100);
  assert.equal(registers(net).length, 2, 'the Contact rewrite to the registrar\'s view (RFC 3581) as before');
  assert.deepEqual(stun.requests.map((r) => r.sends), [PROBE_SENDS], 'no Flow-Timer: a short probe at once after the 2xx');
  await net.run(100_000);
  assert.equal(net.requests('OPTIONS').length, 0, 'no OPTIONS keep-alive while STUN is answered');
  assert.equal(stun.requests.length, 5, 'then one Binding request per 25 s (random.int = 1000: 100 % of the interval)');
  assert.ok(stun.requests.slice(1).every((r) => r.sends === undefined), 'answered: full transactions from then on');
  for (const r of stun.requests) assert.deepEqual(r.to, { address: PBX, port: 5060 }, 'to the REGISTER\'s own destination (the flow)');
  assert.deepEqual(alice.mappings, ['198.51.100.1:40000'], 'the mapping is reported once while it stays');
  assert.equal(registers(net).length, 2, 'no REGISTER while the mapping stays');

  mapping.port = 40002; // the router restarted: a new public port
  await net.run(25_100);
  assert.equal(stun.requests.length, 6);
  assert.deepEqual(alice.mappings, ['198.51.100.1:40000', '198.51.100.1:40002']);
  assert.match(alice.notices.join('\n'), /NAT mapping of the flow to the registrar changed from 198\.51\.100\.1:40000 to 198\.51\.100\.1:40002/);
  const [, , again, rewritten, ...more] = registers(net);
  assert.ok(again && rewritten, 'a REGISTER at once, then the rewrite to what the registrar now sees');
  assert.equal(more.length, 0);
  assert.deepEqual(contactsOf(rewritten), ['198.51.100.1:40002', '198.51.100.1:40000;expires=0']);
  assert.equal(alice.ua.registrationStatus('alice')?.state, 'registered');
  assert.equal(alice.ua.publicAddress('alice'), '198.51.100.1');
});

test('a registrar that never answers STUN: the probe after the 2xx times out, OPTIONS keep the flow open', async () => {
  const net = new FakeNetwork();
  natRegistrar(net, { address: ALICE, port: 5060 });
  const stun = stunRegistrar(net, { address: ALICE, port: 5060 }, () => false);
  const alice = stunPhone(net, stun.binding);
  alice.ua.register();
  await net.run(100);
  assert.deepEqual(stun.requests.map((r) => r.sends), [PROBE_SENDS], 'the probe went at once, as a short transaction');
  await net.run(PROBE_TIMEOUT_MS - 200);
  assert.deepEqual(alice.notices, [], 'still waiting for the probe\'s answer');
  assert.equal(net.requests('OPTIONS').length, 0, 'no OPTIONS while STUN is being tried');
  await net.run(300);
  assert.equal(stun.requests.length, 1);
  assert.equal(alice.ua.registrationStatus('alice')?.state, 'registered', 'no answer to STUN is not a failure here');
  assert.deepEqual(alice.notices, ['stun-unanswered: no STUN answer (timeout)'], 'reported as a fallback, not as trouble');
  assert.equal(net.requests('OPTIONS').length, 1, 'OPTIONS took over, the first at once');
  await net.run(100_000);
  assert.equal(stun.requests.length, 1, 'STUN is not tried again on this registration');
  assert.equal(net.requests('OPTIONS').length, 5, 'then one OPTIONS per 25 s');
});

test('a flow that answered STUN and then stops answering failed: registration failed, back-off', async () => {
  const net = new FakeNetwork();
  natRegistrar(net, { address: ALICE, port: 5060 });
  let up = true;
  const stun = stunRegistrar(net, { address: ALICE, port: 5060 }, () => up);
  const alice = stunPhone(net, stun.binding);
  alice.ua.register();
  await net.run(30_000);
  assert.equal(stun.requests.length, 2, 'the probe, answered, and one keep-alive');
  up = false;
  await net.run(25_000 + STUN_TIMEOUT_MS + 100);
  const status = alice.ua.registrationStatus('alice');
  assert.equal(status?.state, 'failed');
  assert.match(status?.reason ?? '', /registrar unreachable \(STUN keep-alive: no STUN answer/);
  assert.equal(net.requests('OPTIONS').length, 0);
});

test('Flow-Timer in the 2xx (RFC 5626 §5.4) shortens the interval; a promised STUN keep-alive left unanswered is a failure', async () => {
  const net = new FakeNetwork();
  new RawPeer(net, PBX, 5060, (m, peer) => {
    if (m.message.kind !== 'request' || m.message.method !== 'REGISTER') return;
    const request = m.message;
    reply(peer, request, 200, (r) => {
      r.headers.append('Contact', `${request.headers.get('Contact')};expires=600`);
      r.headers.append('Flow-Timer', '10');
    });
  });
  const stun = stunRegistrar(net, { address: ALICE, port: 5060 }, () => false);
  const alice = stunPhone(net, stun.binding);
  alice.ua.register();
  await net.run(100);
  await net.run(10_000);
  assert.equal(stun.requests.length, 1, 'first Binding within 10 s');
  await net.run(STUN_TIMEOUT_MS);
  assert.equal(alice.ua.registrationStatus('alice')?.state, 'failed');
  assert.equal(net.requests('OPTIONS').length, 0, 'no fallback: the registrar said it does STUN keep-alives');
});

test('unregister then register again: the keep-alive starts again with the new registration', async () => {
  const net = new FakeNetwork();
  natRegistrar(net, { address: ALICE, port: 5060 });
  const stun = stunRegistrar(net, { address: ALICE, port: 5060 }, () => true);
  const alice = stunPhone(net, stun.binding);
  alice.ua.register();
  await net.run(30_000);
  assert.equal(stun.requests.length, 2, 'the probe and one keep-alive');
  const removed = alice.ua.unregisterAll();
  await net.run(60_000);
  await removed;
  assert.equal(stun.requests.length, 2, 'none while unregistered');
  alice.ua.register();
  await net.run(30_000);
  assert.equal(alice.ua.registrationStatus('alice')?.state, 'registered');
  assert.equal(stun.requests.length, 4, 'keep-alives again (a new registration is probed again)');
});
