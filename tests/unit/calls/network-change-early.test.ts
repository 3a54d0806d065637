/**
 * A network change while a call is not answered yet (issue 13), and a peer that refuses the offer
 * that carries a renewal. Without 100rel no offer may go in the early dialog (RFC 3311 §5.1, RFC
 * 3261 §14.1): an incoming call answers from the new address, an outgoing one sends its new offer
 * right after the 2xx. Plain RTP on the fake network (fake clock); ICE through real media paths
 * on loopback (127.0.0.1 the old address, 127.0.0.2 the new one).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getContacts } from '../../../src-main/sip/message/index.js';
import type { MediaAddresses } from '../../../src-main/calls/call-media.js';
import { callOf, connect, desk, FakeNetwork, type Desk } from './support.js';
import { flows, iceMedia } from './socket-engine.js';

const cLine = (body: Buffer | string) => /^c=IN IP4 (\S+)\r?$/m.exec(body.toString())?.[1];
const withOffer = (method: string) => (p: { message: { method: string; body: Buffer } }) => p.message.method === method && p.message.body.length > 0;

function ended(d: Desk) {
  return d.events.flatMap((e) => (e.type === 'call' && e.call.state === 'ended' ? [e.call] : []));
}

test('incoming call ringing during the change: the 2xx answers from the new address, with the new Contact; no refresh needed', async () => {
  const net = new FakeNetwork();
  const a = desk(net, 'alice', '10.0.0.1');
  const b = desk(net, 'bob', '10.0.0.2', {}, {}, { bindAddress: '0.0.0.0' });
  await a.manager.execute({ type: 'dial', uri: b.uri });
  await net.run(50);
  assert.equal(callOf(b).session.state, 'ringing');
  net.move(b.transport, '10.0.0.6');
  b.manager.networkChanged();
  b.ua.networkChanged();
  await net.run(50);
  await b.manager.execute({ type: 'answer' });
  await net.run(50);
  const ok = net.responses(200).find((p) => p.message.headers.get('CSeq')?.endsWith('INVITE'))!.message;
  assert.equal(cLine(ok.body), '10.0.0.6', 'the answer carries the new address (before: the one of the INVITE\'s time)');
  assert.equal(getContacts(ok).contacts[0]?.uri.host, '10.0.0.6');
  assert.equal([...a.engine.started.values()][0]?.remoteAddress, '10.0.0.6', 'the caller sends there');
  assert.equal(callOf(b).state, 'active');
  assert.equal(callOf(b).media.pendingRenewal(), undefined, 'the answer carried the renewal');
  assert.equal(net.requests('UPDATE').length + net.requests('INVITE').filter((p) => /;tag=/.test(p.message.headers.get('To') ?? '')).length, 0,
    'no target refresh: the 2xx had it all');
});

test('outgoing call ringing during the change: no offer in the early dialog; right after the 2xx an UPDATE carries the new address', async () => {
  const net = new FakeNetwork();
  const a = desk(net, 'alice', '10.0.0.1', {}, {}, { bindAddress: '0.0.0.0' });
  const b = desk(net, 'bob', '10.0.0.2');
  await a.manager.execute({ type: 'dial', uri: b.uri });
  await net.run(50);
  assert.equal(callOf(a).session.state, 'ringing');
  // A second interface: replies to the INVITE's Via still arrive, but media should move.
  net.move(a.transport, '10.0.0.5', true);
  a.manager.networkChanged();
  a.ua.networkChanged();
  await net.run(500);
  assert.equal(net.requests('UPDATE').length, 0, 'RFC 3311 §5.1: no UPDATE with an offer before a reliable answer');
  await b.manager.execute({ type: 'answer' });
  await net.run(100);
  const updates = net.requests('UPDATE').filter(withOffer('UPDATE'));
  assert.equal(updates.length, 1, `one UPDATE with an offer after the 2xx:\n${net.trace().join('\n')}`);
  assert.equal(cLine(updates[0]!.message.body), '10.0.0.5');
  assert.equal(getContacts(updates[0]!.message).contacts[0]?.uri.host, '10.0.0.5', 'with the new Contact (RFC 3261 §12.2.1.1)');
  assert.equal([...b.engine.started.values()][0]?.remoteAddress, '10.0.0.5', 'the far end\'s media goes to the new address');
  assert.equal(callOf(a).state, 'active');
  assert.equal(callOf(a).media.pendingRenewal(), undefined);
});

/** `b` refuses every offer from now on (488, as a peer that cannot take the re-offer). */
function refuseOffers(b: Desk): void {
  const media = callOf(b).media;
  media.createAnswer = () => ({ warnCode: 304, text: 'media type not available' });
}

test('the peer refuses the renewed offer (488): the call ends with cause media-failure and a notice, not left on a dead address', async () => {
  const net = new FakeNetwork();
  const a = desk(net, 'alice', '10.0.0.1', {}, {}, { bindAddress: '0.0.0.0' });
  const b = desk(net, 'bob', '10.0.0.2');
  await connect(net, a, b);
  const notices: string[] = [];
  callOf(a).media.onNotice = (m) => notices.push(m);
  refuseOffers(b);
  net.move(a.transport, '10.0.0.5');
  a.manager.networkChanged();
  a.ua.networkChanged();
  await net.run(200);
  assert.equal(net.responses(488).length, 1);
  const [call] = ended(a);
  assert.ok(call, `alice's call ended:\n${net.trace().join('\n')}`);
  assert.equal(call.cause, 'media-failure');
  assert.match(call.reason ?? '', /refused after a network change: 488/);
  assert.match(notices.join('\n'), /refused our new media offer after the network change \(488 .*\(10\.0\.0\.1\) is gone/);
  assert.equal(net.requests('BYE').length, 1, 'BYE to the far end');
  assert.equal(a.manager.calls.size, 0);
});

test('the peer refuses a renewed offer that changed nothing it sees (same address, no ICE): the call goes on as it was', async () => {
  const net = new FakeNetwork();
  const a = desk(net, 'alice', '10.0.0.1', {}, {}, { bindAddress: '0.0.0.0' });
  const b = desk(net, 'bob', '10.0.0.2');
  await connect(net, a, b);
  refuseOffers(b);
  a.manager.networkChanged(); // e.g. a VPN came and went: the address stayed
  a.ua.networkChanged();
  await net.run(200);
  assert.equal(net.responses(488).length, 1);
  assert.equal(ended(a).length, 0);
  assert.equal(callOf(a).state, 'active');
  assert.equal(net.requests('BYE').length, 0);
});


test('ICE, renewed before the answer: the answer to the old offer does not start the new path; the offer after it restarts ICE there', async (t) => {
  const a = await iceMedia('127.0.0.1');
  const b = await iceMedia('127.0.0.1');
  t.after(async () => { await a.media.stop(); await b.media.stop(); });
  const offer = a.media.createOffer(); // the INVITE
  const answer = b.media.createAnswer(offer) as string; // b answers (its 2xx arrives after our change)
  await a.media.renew((): MediaAddresses => ({ bindAddress: '0.0.0.0', advertisedAddress: '127.0.0.2', hostAddress: '127.0.0.2' }));
  assert.equal(a.media.setAnswer(answer), undefined);
  assert.notEqual(a.media.pendingRenewal(), undefined, 'the renewal still has to go out');
  const reoffer = a.media.createOffer(); // the UPDATE / re-INVITE right after the 2xx
  assert.match(reoffer, /^a=candidate:\S+ 1 UDP \d+ 127\.0\.0\.2 /m);
  const reanswer = b.media.createAnswer(reoffer) as string;
  assert.equal(a.media.setAnswer(reanswer), undefined);
  await flows(a.engine, b.engine, 'a1');
  await flows(b.engine, a.engine, 'b1');
  const deadline = Date.now() + 10_000;
  while (!a.media.pathStats()?.selectedPair && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(a.media.pathStats()?.selectedPair?.local.address, '127.0.0.2', 'the new pair, checked with the peer\'s new credentials');
});

test('ICE: a refused renewal cannot fall back (the old path is closed): renewalRefused says so with a notice', async (t) => {
  const a = await iceMedia('127.0.0.1');
  t.after(async () => { await a.media.stop(); });
  const notices: string[] = [];
  a.media.onNotice = (m) => notices.push(m);
  a.media.createOffer();
  await a.media.renew((): MediaAddresses => ({ bindAddress: '0.0.0.0', advertisedAddress: '127.0.0.1', hostAddress: '127.0.0.1' }));
  assert.equal(a.media.renewalRefused(500, 'Server Internal Error'), false);
  assert.match(notices[0] ?? '', /refused our new media offer after the network change \(500 Server Internal Error\); the old media path is closed/);
});
