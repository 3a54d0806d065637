/** REFERs under the account's transfer policy (domain / ask / any), and auto-answer requests only from the PBX. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseUri } from '../../../src-main/sip/message/index.js';
import { decideTransfer } from '../../../src-main/calls/transfer-policy.js';
import type { CallEvent } from '../../../src-main/contract/calls.js';
import type { SessionMedia } from '../../../src-main/sip/ua/session/invite-session.js';
import { callOf, connect, desk, type Desk, FakeNetwork } from './support.js';

test('decideTransfer: domain follows the account\'s and registrar\'s hosts only; ask asks; any follows SIP targets', () => {
  const domain = { policy: 'domain' as const, domains: ['pbx.example.com', '192.0.2.10'] };
  const cases: Array<[typeof domain | { policy: 'ask' | 'any'; domains: string[] }, string, string]> = [
    [domain, 'sip:1002@pbx.example.com', 'follow'],
    [domain, 'sip:1002@PBX.example.com:5080;transport=tcp', 'follow'],
    [domain, 'sip:1002@192.0.2.10', 'follow'],
    [domain, 'sip:+19005550100@evil.example', 'decline'],
    [domain, 'sip:1002@pbx.example.com.evil.example', 'decline'],
    [domain, 'tel:+19005550100', 'decline'],
    [{ policy: 'ask', domains: [] }, 'sip:+19005550100@evil.example', 'ask'],
    [{ policy: 'any', domains: [] }, 'sip:+19005550100@evil.example', 'follow'],
    [{ policy: 'any', domains: [] }, 'tel:+19005550100', 'decline'],
  ];
  for (const [scope, target, action] of cases) assert.equal(decideTransfer(scope, parseUri(target)).action, action, `${scope.policy} ${target}`);
});

/** Alice calls Bob, Bob answers; Bob's account as given. */
async function callWithBob(bobAccount: Parameters<typeof desk>[4] = {}) {
  const net = new FakeNetwork();
  const a = desk(net, 'alice', '10.0.0.1');
  const b = desk(net, 'bob', '10.0.0.2', {}, bobAccount);
  await connect(net, a, b);
  return { net, a, b };
}

const requests = (d: Desk) => d.events.filter((e): e is Extract<CallEvent, { type: 'transfer-request' }> => e.type === 'transfer-request');
const transferStatuses = (d: Desk) => d.events.filter((e) => e.type === 'transfer').map((e) => e.type === 'transfer' && e.status);

test('domain (default): a REFER to sip:+19005550100@evil.example is declined with 603 and never dialled', async () => {
  const { net, a, b } = await callWithBob();
  const invitesBefore = net.requests('INVITE').length;
  const transfer = a.manager.execute({ type: 'transfer', uri: 'sip:+19005550100@evil.example' });
  await net.run(3000);
  await transfer;
  const [req] = requests(b);
  assert.equal(req?.action, 'decline');
  assert.equal(req?.policy, 'domain');
  assert.equal(req?.target, 'sip:+19005550100@evil.example');
  assert.match(req?.reason ?? '', /evil\.example is not the account's domain/);
  assert.equal(net.responses(603).filter((p) => p.message.headers.get('CSeq')?.endsWith('REFER')).length, 1, 'RFC 3515: 603 to the REFER');
  assert.equal(net.requests('INVITE').filter((p) => p.message.uri.host === 'evil.example').length, 0, 'nothing dialled the premium number');
  assert.equal(net.requests('INVITE').length - invitesBefore, 2, 'only the hold and resume re-INVITEs');
  assert.deepEqual(transferStatuses(a).at(-1), 'failed');
  assert.equal(callOf(b).state, 'active', 'Bob stays in his call');
});

test('domain: a target at the account\'s registrar host is followed', async () => {
  // Bob's registrar is 10.0.0.3, where Carol is: her URI is in Bob's domain.
  const net = new FakeNetwork();
  const a = desk(net, 'alice', '10.0.0.1');
  const b = desk(net, 'bob', '10.0.0.2', {}, { registrar: 'sip:10.0.0.3' });
  const c = desk(net, 'carol', '10.0.0.3');
  c.manager.on('call', (call) => queueMicrotask(() => void c.manager.answer(call.id)));
  await connect(net, a, b);
  const transfer = a.manager.execute({ type: 'transfer', uri: c.uri });
  await net.run(3000);
  await transfer;
  assert.equal(requests(b)[0]?.action, 'follow');
  assert.equal(transferStatuses(a).at(-1), 'success');
  assert.equal(callOf(c).state, 'active');
});

test('ask: the host decides — accept-transfer follows, reject-transfer answers 603; nothing waits for ever', async () => {
  for (const verdict of ['accept-transfer', 'reject-transfer', 'timeout'] as const) {
    const net = new FakeNetwork();
    const a = desk(net, 'alice', '10.0.0.1');
    const b = desk(net, 'bob', '10.0.0.2', {}, { transferPolicy: 'ask' });
    const c = desk(net, 'carol', '10.0.0.3');
    c.manager.on('call', (call) => queueMicrotask(() => void c.manager.answer(call.id)));
    await connect(net, a, b);
    const transfer = a.manager.execute({ type: 'transfer', uri: c.uri });
    await net.run(100);
    const [req] = requests(b);
    assert.equal(req?.action, 'ask');
    assert.equal(req?.timeoutS, 20);
    assert.equal(net.responses().filter((p) => p.message.headers.get('CSeq')?.endsWith('REFER')).length, 0, `${verdict}: REFER pending`);
    if (verdict === 'timeout') await net.run(20_000);
    else assert.equal((await b.manager.execute({ type: verdict, callId: req!.callId })).ok, true);
    await net.run(3000);
    await transfer;
    const final = net.responses().filter((p) => p.message.headers.get('CSeq')?.endsWith('REFER')).map((p) => p.message.status);
    assert.deepEqual(final, verdict === 'accept-transfer' ? [202] : [603], verdict);
    assert.equal(transferStatuses(a).at(-1), verdict === 'accept-transfer' ? 'success' : 'failed', verdict);
    assert.equal((await b.manager.execute({ type: 'accept-transfer' })).ok, false, 'nothing left to answer');
  }
});

/** A plain SDP offer for raw INVITEs from a UA without a call manager. */
const offer: SessionMedia = {
  createOffer: () => 'v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n',
  createAnswer: () => undefined,
  setAnswer: () => {},
};

test('auto-answer request from the account\'s PBX: beep first, then answered, snapshot says autoAnswered', async () => {
  const net = new FakeNetwork();
  const pbx = desk(net, 'pbx', '10.0.0.10');
  const b = desk(net, 'bob', '10.0.0.2', {}, { registrar: 'sip:10.0.0.10', incomingCallPolicy: 'trusted' });
  await net.run(10);
  pbx.ua.call(parseUri(b.uri), offer, 'pbx', [['Call-Info', '<sip:10.0.0.10>;answer-after=0']]);
  await net.run(50);
  assert.equal(callOf(b).state, 'incoming');
  await net.run(600);
  await net.run(50);
  const stream = callOf(b).media.stream;
  assert.deepEqual(b.engine.tones.filter(([s]) => s === stream).map(([, t]) => t).slice(0, 2), ['call-waiting', 'none'], 'a short beep');
  assert.equal(callOf(b).state, 'active');
  assert.equal(callOf(b).snapshot().autoAnswered, true);
});

test('auto-answer request from anyone else (policy any lets it ring): it rings, is never answered, and a notice says why', async () => {
  const net = new FakeNetwork();
  const stranger = desk(net, 'stranger', '10.0.0.66');
  const b = desk(net, 'bob', '10.0.0.2', {}, { registrar: 'sip:10.0.0.10', incomingCallPolicy: 'any' });
  await net.run(10);
  stranger.ua.call(parseUri(b.uri), offer, 'stranger', [['Answer-Mode', 'Auto']]);
  await net.run(50);
  await net.run(600);
  await net.run(50);
  assert.equal(callOf(b).state, 'incoming', 'still ringing');
  assert.equal(callOf(b).snapshot().autoAnswered, false);
  assert.equal(b.engine.tones.some(([, t]) => t === 'call-waiting'), false);
  assert.ok(b.events.some((e) => e.type === 'notice' && /auto-answer request from 10\.0\.0\.66:5060 ignored/.test(e.message)));
});

test('a stranger\'s INVITE with the default policy never rings at all', async () => {
  const net = new FakeNetwork();
  const stranger = desk(net, 'stranger', '10.0.0.66');
  const b = desk(net, 'bob', '10.0.0.2', {}, { registrar: 'sip:10.0.0.10', incomingCallPolicy: 'trusted' });
  await net.run(10);
  stranger.ua.call(parseUri(b.uri), offer, 'stranger', [['Call-Info', '<sip:x>;answer-after=0']]);
  await net.run(50);
  assert.equal(b.manager.calls.size, 0);
  assert.deepEqual(b.engine.rings, []);
  assert.equal(net.responses(403).length, 1);
});
