/**
 * A network change under a call (issue 13): the media renews on the new address and the target
 * refresh carries a new offer (RFC 3264 §8, RFC 3261 §12.2.1.1). Plain RTP on the fake network
 * (fake clock); ICE (RFC 8445 §9 restart, RFC 8839 §4.4.1.1.1) through two real media paths on
 * loopback: 127.0.0.1 plays the old address, 127.0.0.2 the new one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getContacts } from '../../../src-main/sip/message/index.js';
import type { MediaAddresses } from '../../../src-main/calls/call-media.js';
import { watchNetwork } from '../../../src-main/core/network-recovery.js';
import { callOf, connect, desk, FakeNetwork } from './support.js';
import { flows, iceMedia } from './socket-engine.js';

async function establish(net: FakeNetwork, a: ReturnType<typeof desk>, b: ReturnType<typeof desk>): Promise<void> {
  await connect(net, a, b);
  assert.equal(callOf(a).state, 'active');
}

test('plain RTP: after a network change the target refresh is an UPDATE with a new offer from the new address; the far end sends there', async () => {
  const net = new FakeNetwork();
  const a = desk(net, 'alice', '10.0.0.1', {}, {}, { bindAddress: '0.0.0.0' });
  const b = desk(net, 'bob', '10.0.0.2');
  await establish(net, a, b);
  assert.equal([...b.engine.started.values()][0]?.remoteAddress, '10.0.0.1');
  net.move(a.transport, '10.0.0.5');
  a.manager.networkChanged();
  a.ua.networkChanged();
  await net.run(100);
  const updates = net.requests('UPDATE');
  assert.equal(updates.length, 1, 'one target refresh');
  const update = updates[0]!.message;
  assert.equal(getContacts(update).contacts[0]?.uri.host, '10.0.0.5', 'the new Contact');
  assert.match(update.body.toString(), /^c=IN IP4 10\.0\.0\.5\r?$/m, 'an offer with the new address (RFC 3264 §8)');
  assert.equal(net.responses(200).filter((p) => p.message.headers.get('CSeq')?.endsWith('UPDATE')).length, 1);
  assert.equal([...b.engine.started.values()][0]?.remoteAddress, '10.0.0.5', 'the far end\'s media goes to the new address');
  assert.equal(callOf(a).state, 'active');
  assert.equal(callOf(a).media.pendingRenewal(), undefined, 'the renewal went out with that offer');
  await b.manager.execute({ type: 'hangup' });
  await net.run(50);
  assert.equal(net.requests('BYE')[0]?.to.address, '10.0.0.5', 'the far end\'s remote target is our new Contact (RFC 3261 §12.2.2)');
  assert.equal(a.manager.calls.size, 0, 'the BYE reached us');
});

test('control: a network change the call manager is not told of refreshes the Contact only (bodiless UPDATE, media left at the old address)', async () => {
  const net = new FakeNetwork();
  const a = desk(net, 'alice', '10.0.0.1', {}, {}, { bindAddress: '0.0.0.0' });
  const b = desk(net, 'bob', '10.0.0.2');
  await establish(net, a, b);
  net.move(a.transport, '10.0.0.5');
  a.ua.networkChanged();
  await net.run(100);
  assert.equal(net.requests('UPDATE')[0]?.message.body.length, 0);
  assert.equal([...b.engine.started.values()][0]?.remoteAddress, '10.0.0.1');
});

test('NetworkWatch (1 s while a call is up) → call manager first (beforeRecovery) → user agent: the poll after the move sends the new offer', async (t) => {
  const net = new FakeNetwork();
  const a = desk(net, 'alice', '10.0.0.1', {}, {}, { bindAddress: '0.0.0.0' });
  const b = desk(net, 'bob', '10.0.0.2');
  await establish(net, a, b);
  const nic = (address: string) => ({ eth0: [{ address, netmask: '255.255.255.0', family: 'IPv4' as const, mac: '00:00:00:00:00:01', internal: false as const, cidr: null }] });
  let interfaces = nic('10.0.0.1');
  const notices: string[] = [];
  const watch = watchNetwork(a.ua, (m) => notices.push(m), {
    clock: net.clock, intervalMs: 1000, list: () => interfaces, wallNow: () => net.clock.now(), beforeRecovery: () => a.manager.networkChanged(),
  });
  t.after(() => watch.stop());
  watch.setBusy(true);
  await net.run(1500);
  net.move(a.transport, '10.0.0.5');
  interfaces = nic('10.0.0.5');
  await net.run(1000);
  assert.deepEqual(notices, ['network changed: registering again'], 'seen by the next poll, within 1 s');
  await net.run(100);
  const update = net.requests('UPDATE')[0]?.message;
  assert.match(update?.body.toString() ?? '', /^c=IN IP4 10\.0\.0\.5\r?$/m, 'the refresh carries the offer from the new address');
});


const ufrag = (sdp: string) => /^a=ice-ufrag:(\S+)/m.exec(sdp)?.[1];
const hosts = (sdp: string) => [...sdp.matchAll(/^a=candidate:\S+ 1 UDP \d+ (\S+) \d+ typ host/gm)].map((m) => m[1]);

test('ICE: renewed on a new address, the re-offer restarts ICE on both sides and media moves to the new pair; the engine keeps its hop', async (t) => {
  const a = await iceMedia('127.0.0.1');
  const b = await iceMedia('127.0.0.1');
  t.after(async () => { await a.media.stop(); await b.media.stop(); });
  const answer = b.media.createAnswer(a.media.createOffer());
  assert.equal(typeof answer, 'string');
  assert.equal(a.media.setAnswer(answer as string), undefined);
  await flows(a.engine, b.engine, 'a1');
  await flows(b.engine, a.engine, 'b1');
  const hop = { ...a.engine.config! };

  const renewal = a.media.renew((): MediaAddresses => ({ bindAddress: '0.0.0.0', advertisedAddress: '127.0.0.2', hostAddress: '127.0.0.2' }));
  assert.equal(a.media.pendingRenewal(), renewal, 'the session waits for this before its refresh');
  await renewal;
  const offer = a.media.createOffer();
  assert.equal(a.media.pendingRenewal(), undefined);
  assert.notEqual(ufrag(offer), ufrag(answer as string));
  assert.deepEqual(hosts(offer), ['127.0.0.2'], 'the host candidate on the new address');
  const reanswer = b.media.createAnswer(offer);
  assert.equal(typeof reanswer, 'string');
  assert.notEqual(ufrag(reanswer as string), ufrag(answer as string), 'RFC 8445 §9: the answerer restarts too (new ufrag)');
  assert.equal(a.media.setAnswer(reanswer as string), undefined);
  await flows(a.engine, b.engine, 'a2');
  await flows(b.engine, a.engine, 'b2');
  const deadline = Date.now() + 10_000;
  while (!a.media.pathStats()?.selectedPair && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(a.media.pathStats()?.selectedPair?.local.address, '127.0.0.2', 'the new pair is nominated');
  assert.deepEqual({ address: a.engine.config?.remoteAddress, port: a.engine.config?.remotePort },
    { address: hop.remoteAddress, port: hop.remotePort }, 'the engine still talks to the same loopback hop');
});

test('ICE: a re-offer with the same credentials (a hold, a session refresh) keeps the running checks and our ufrag', async (t) => {
  const a = await iceMedia('127.0.0.1');
  const b = await iceMedia('127.0.0.1');
  t.after(async () => { await a.media.stop(); await b.media.stop(); });
  const answer = b.media.createAnswer(a.media.createOffer()) as string;
  a.media.setAnswer(answer);
  await flows(a.engine, b.engine, 'a1');
  const again = b.media.createAnswer(a.media.createOffer()) as string;
  assert.equal(ufrag(again), ufrag(answer));
  await flows(b.engine, a.engine, 'b1');
});
