/**
 * Interop with imperfect peers (issue 16): tolerant reading of headers we only read, REFER 491
 * retried like re-INVITE glare, one INVITE/REFER transaction at a time per dialog, a timed-out
 * in-dialog request ends the call with cause `timeout`, and a REFER is served while our own
 * re-INVITE hangs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReferClient, ReferOutcome } from '../../../src-main/sip/ua/refer/refer-client.js';
import type { IncomingRefer } from '../../../src-main/sip/ua/refer/incoming-refer.js';
import type { EndCause } from '../../../src-main/sip/ua/session/invite-session.js';
import { getCSeq } from '../../../src-main/sip/message/index.js';
import type { Packet } from '../../support/fake-network.js';
import { ALICE, BOB, CAROL, establishedCall, sendReferNotify } from './support.js';

function outcome(client: ReferClient): () => ReferOutcome | undefined {
  let done: ReferOutcome | undefined;
  client.on('done', (o) => { done = o; });
  return () => done;
}

const fromAlice = (method: string) => (p: Packet) =>
  p.from.address === ALICE && p.message.kind === 'request' && p.message.method === method;

test('RFC 6665 §8.2.3 read tolerantly: final NOTIFY with "terminated;reason=reason=noresource" → 200, transfer done from the sipfrag', async () => {
  const { net, bob, call, answer } = await establishedCall();
  answer.on('refer', () => {});
  const done = outcome(call.refer(`<sip:carol@${CAROL}>`));
  await net.run(10);
  const id = getCSeq(net.requests('REFER')[0]!.message).seq;
  const notify = sendReferNotify(bob, answer.dialog!, id, 'SIP/2.0 200 OK\r\n', 'terminated;reason=reason=noresource');
  await net.run(10);
  assert.equal((await notify).status, 200);
  assert.deepEqual(done(), { ok: true, status: 200, reason: 'OK' });
});

test('RFC 6665 §8.2.3 a Subscription-State without a state token is still refused (400)', async () => {
  const { net, bob, call, answer } = await establishedCall();
  answer.on('refer', () => {});
  const done = outcome(call.refer(`<sip:carol@${CAROL}>`));
  await net.run(10);
  const id = getCSeq(net.requests('REFER')[0]!.message).seq;
  const notify = sendReferNotify(bob, answer.dialog!, id, 'SIP/2.0 200 OK\r\n', ';reason=noresource');
  await net.run(10);
  assert.equal((await notify).status, 400);
  assert.equal(done(), undefined);
});

test('RFC 3261 §14.1 timing: a REFER answered 491 is retried after 2.1–4 s (we own the Call-ID) and then succeeds', async () => {
  const { net, call, answer } = await establishedCall();
  const refers: IncomingRefer[] = [];
  answer.on('refer', (r) => {
    refers.push(r);
    if (refers.length === 1) r.reject(491);
    else {
      r.accept();
      r.notify(200, 'OK');
    }
  });
  const done = outcome(call.refer(`<sip:carol@${CAROL}>`));
  await net.run(10);
  assert.equal(done(), undefined, 'a 491 is not the end of the transfer');
  await net.run(5000);
  const sent = net.requests('REFER');
  assert.equal(sent.length, 2);
  const gap = sent[1]!.at - sent[0]!.at;
  assert.ok(gap >= 2100 && gap <= 4010, `retry after ${gap} ms`);
  assert.ok(getCSeq(sent[1]!.message).seq > getCSeq(sent[0]!.message).seq, 'a new transaction, a new CSeq');
  assert.deepEqual(done(), { ok: true, status: 200, reason: 'OK' });
});

test('RFC 3261 §14.1: a REFER always answered 491 fails after three tries with the 491', async () => {
  const { net, call, answer } = await establishedCall();
  answer.on('refer', (r) => r.reject(491));
  const done = outcome(call.refer(`<sip:carol@${CAROL}>`));
  await net.run(20_000);
  assert.equal(net.requests('REFER').length, 3);
  assert.deepEqual(done(), { ok: false, status: 491, reason: 'Request Pending' });
  assert.equal(call.state, 'confirmed');
});

test('one transaction at a time: a REFER waits until our re-INVITE has its final response', async () => {
  const { net, call, answer } = await establishedCall();
  answer.on('refer', (r) => r.accept());
  // The first re-INVITE is lost: Timer A resends it 500 ms later (§17.1.1.2).
  net.drop(fromAlice('INVITE'));
  const hold = call.reinvite();
  call.refer(`<sip:carol@${CAROL}>`);
  await net.run(3000);
  assert.deepEqual(await hold, { ok: true });
  const okToInvite = net.responses(200).find((p) => p.message.headers.get('CSeq')?.endsWith('INVITE') && p.from.address === BOB && p.at > 0)!;
  const refer = net.requests('REFER')[0]!;
  assert.ok(refer.at >= okToInvite.at, `REFER at ${refer.at} ms, after the re-INVITE's 200 at ${okToInvite.at} ms`);
  assert.equal(net.responses(491).length, 0);
});

test('one transaction at a time: a re-INVITE waits until our REFER has its final response', async () => {
  const { net, call, answer } = await establishedCall();
  answer.on('refer', (r) => r.accept());
  net.drop(fromAlice('REFER'));
  call.refer(`<sip:carol@${CAROL}>`);
  const hold = call.reinvite();
  await net.run(3000);
  assert.deepEqual(await hold, { ok: true });
  const accepted = net.responses(202)[0]!;
  const invites = net.requests('INVITE').filter((p) => p.from.address === ALICE);
  assert.ok(invites.at(-1)!.at >= accepted.at, `re-INVITE at ${invites.at(-1)!.at} ms, after the 202 at ${accepted.at} ms`);
});

test('RFC 3261 §12.2.1.2: a re-INVITE that times out (Timer B) ends the call with cause timeout, status 408', async () => {
  const { net, call } = await establishedCall();
  const ended: EndCause[] = [];
  call.on('ended', (c) => ended.push(c));
  net.drop(fromAlice('INVITE'), 100);
  const hold = call.reinvite();
  await net.run(40_000);
  const r = await hold;
  assert.equal(!r.ok && r.status, 408);
  assert.equal(ended.length, 1);
  assert.equal(ended[0]!.cause, 'timeout');
  assert.equal(ended[0]!.status, 408);
});

test('RFC 3515 / §14.2: a REFER arriving while our re-INVITE gets no answer is answered at once', async () => {
  const { net, call, answer } = await establishedCall();
  const refers: IncomingRefer[] = [];
  call.on('refer', (r) => { refers.push(r); r.accept(); });
  net.drop(fromAlice('INVITE'), 100);
  void call.reinvite();
  await net.run(100);
  const t0 = net.clock.now();
  answer.refer(`<sip:carol@${CAROL}>`);
  await net.run(100);
  assert.equal(refers.length, 1);
  const accepted = net.responses(202).find((p) => p.from.address === ALICE);
  assert.ok(accepted && accepted.at - t0 < 100, '202 within 100 ms');
});

test('RFC 5057 §5.2: an INFO that times out (Timer F) ends the call with cause timeout', async () => {
  const { net, call } = await establishedCall();
  const ended: EndCause[] = [];
  call.on('ended', (c) => ended.push(c));
  net.drop(fromAlice('INFO'), 100);
  call.sendInfo('application/dtmf-relay', 'Signal=1\r\nDuration=160\r\n');
  await net.run(40_000);
  assert.deepEqual(ended.map((c) => [c.cause, c.status]), [['timeout', 408]]);
  assert.equal(net.requests('BYE').filter((p) => p.from.address === ALICE).length, 1);
});
