/** REFER sent and received in a dialog (RFC 3515, RFC 3420 sipfrag, RFC 5589 call transfer). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingRefer } from '../../../src-main/sip/ua/refer/incoming-refer.js';
import type { ReferClient, ReferOutcome } from '../../../src-main/sip/ua/refer/refer-client.js';
import { getCSeq } from '../../../src-main/sip/message/index.js';
import { CAROL, establishedCall, phone, sendInDialog, sendReferNotify } from './support.js';

function record(client: ReferClient) {
  const seen: string[] = [];
  let done: ReferOutcome | undefined;
  client.on('accepted', () => seen.push('accepted'));
  client.on('progress', (s, r) => seen.push(`${s} ${r}`));
  client.on('done', (o) => { done = o; seen.push(`done ${o.ok} ${o.status}`); });
  return { seen, done: () => done };
}

test('RFC 5589 §6 blind transfer: A refers B to C, B calls C, NOTIFYs report 100 then 200', async () => {
  const { net, bob, call, answer } = await establishedCall();
  const carol = phone(net, 'carol', CAROL, { incomingCallPolicy: 'any' });
  const refers: IncomingRefer[] = [];
  answer.on('refer', (r) => refers.push(r));
  const client = call.refer(`<sip:carol@${CAROL}>`);
  const log = record(client);
  await net.run(10);
  const referRequest = net.requests('REFER')[0]!.message;
  assert.equal(referRequest.headers.get('Refer-To'), `<sip:carol@${CAROL}>`);
  assert.equal(referRequest.headers.get('Referred-By'), `<sip:alice@10.0.0.10>`, 'RFC 3892 Referred-By: our address');
  const refer = refers[0]!;
  assert.equal(refer.referTo.uri.user, 'carol');
  assert.equal(refer.referredBy, '<sip:alice@10.0.0.10>');
  assert.equal(refer.replaces, undefined);
  refer.accept();
  await net.run(10);
  assert.equal(net.responses(202).length, 1);
  const first = net.requests('NOTIFY')[0]!.message;
  assert.equal(first.headers.get('Event'), `refer;id=${getCSeq(referRequest).seq}`);
  assert.match(first.headers.get('Subscription-State') ?? '', /^active/);
  assert.equal(first.headers.get('Content-Type'), 'message/sipfrag;version=2.0');
  assert.equal(first.body.toString('utf8'), 'SIP/2.0 100 Trying\r\n');
  // Bob calls Carol and reports.
  const toCarol = bob.ua.call(refer.referTo.uri, bob.media, 'bob', [['Referred-By', refer.referredBy!]]);
  await net.run(10);
  const carolCall = carol.incoming[0]!;
  assert.equal(carolCall.request.headers.get('Referred-By'), '<sip:alice@10.0.0.10>');
  carolCall.answer();
  await net.run(10);
  assert.equal(toCarol.state, 'confirmed');
  refer.notify(200, 'OK');
  await net.run(10);
  const last = net.requests('NOTIFY').at(-1)!.message;
  assert.equal(last.headers.get('Subscription-State'), 'terminated;reason=noresource');
  assert.equal(net.responses(200).filter((p) => p.message.headers.get('CSeq')?.endsWith('NOTIFY')).length, 2);
  assert.deepEqual(log.seen, ['accepted', '100 Trying', '200 OK', 'done true 200']);
  call.hangup();
  await net.run(10);
  assert.equal(answer.state, 'ended');
  assert.equal(toCarol.state, 'confirmed');
});

test('RFC 3515 §2.4.2 REFER rejected → done with the failure status, no NOTIFY', async () => {
  const { net, call, answer } = await establishedCall();
  answer.on('refer', (r) => r.reject(603));
  const log = record(call.refer(`<sip:carol@${CAROL}>`));
  await net.run(10);
  assert.deepEqual(log.seen, ['done false 603']);
  assert.equal(net.requests('NOTIFY').length, 0);
  assert.equal(call.state, 'confirmed');
});

test('RFC 3515 §2.4.2 in-dialog REFER with nobody listening → 603 Declined', async () => {
  const { net, call } = await establishedCall();
  const log = record(call.refer(`<sip:carol@${CAROL}>`));
  await net.run(10);
  assert.deepEqual(log.seen, ['done false 603']);
});

test('RFC 3515 §2.4.1 REFER without a (valid) Refer-To → 400', async () => {
  const { net, alice, call, answer } = await establishedCall();
  let offered = 0;
  answer.on('refer', () => offered++);
  const missing = sendInDialog(alice, call.dialog!, 'REFER');
  await net.run(10);
  assert.equal((await missing).status, 400);
  assert.equal(offered, 0);
});

test('RFC 5589 §7 the transfer target fails: NOTIFY 486 → done not ok', async () => {
  const { net, call, answer } = await establishedCall();
  answer.on('refer', (r) => {
    r.accept();
    r.notify(180, 'Ringing');
    r.notify(486, 'Busy Here');
  });
  const log = record(call.refer(`<sip:carol@${CAROL}>`));
  await net.run(10);
  assert.deepEqual(log.seen, ['accepted', '100 Trying', '180 Ringing', '486 Busy Here', 'done false 486']);
});

test('RFC 3261 §12.2.2 one NOTIFY in flight: the next waits for the previous one\'s 200 (lost once), in order', async () => {
  const { net, call, answer } = await establishedCall();
  answer.on('refer', (r) => {
    r.accept();
    r.notify(180, 'Ringing');
    r.notify(200, 'OK');
  });
  net.drop((p) => p.message.kind === 'response' && p.message.headers.get('CSeq')?.endsWith('NOTIFY') === true);
  const log = record(call.refer(`<sip:carol@${CAROL}>`));
  await net.run(10_000);
  assert.deepEqual(log.seen, ['accepted', '100 Trying', '180 Ringing', '200 OK', 'done true 200']);
  const notifies = net.requests('NOTIFY', true).map((p) => ({ at: p.at, seq: getCSeq(p.message).seq }));
  const answered = net.responses(200).filter((p) => p.message.headers.get('CSeq')?.endsWith('NOTIFY'))
    .map((p) => ({ at: p.at, seq: getCSeq(p.message).seq }));
  const seqs = [...new Set(notifies.map((n) => n.seq))];
  assert.equal(seqs.length, 3, 'three NOTIFYs (100, 180, 200)');
  assert.ok(notifies.filter((n) => n.seq === seqs[0]).length >= 2, 'the first NOTIFY was retransmitted (its 200 lost)');
  for (let i = 1; i < seqs.length; i++) {
    const sent = Math.min(...notifies.filter((n) => n.seq === seqs[i]).map((n) => n.at));
    const previousAnswered = Math.min(...answered.filter((a) => a.seq === seqs[i - 1]).map((a) => a.at));
    assert.ok(sent >= previousAnswered, `NOTIFY ${seqs[i]} sent at ${sent}, after the 200 to ${seqs[i - 1]} (${previousAnswered})\n${net.trace().join('\n')}`);
  }
});

test('RFC 3515 §2.4.4 accepted but no final NOTIFY → done with 408 after the subscription times out', async () => {
  const { net, call, answer } = await establishedCall();
  answer.on('refer', (r) => r.accept());
  const log = record(call.refer(`<sip:carol@${CAROL}>`));
  await net.run(10);
  assert.deepEqual(log.seen, ['accepted', '100 Trying']);
  await net.run(70_000);
  assert.deepEqual(log.seen, ['accepted', '100 Trying', 'done false 408']);
});

test('RFC 6665 §4.1.3 in-dialog NOTIFY without a matching REFER → 481', async () => {
  const { net, alice, call } = await establishedCall();
  const r = sendInDialog(alice, call.dialog!, 'NOTIFY');
  await net.run(10);
  assert.equal((await r).status, 481);
});

test('RFC 3515 §2.4.6 the NOTIFY id matches the REFER CSeq; another id → 481', async () => {
  const { net, bob, call, answer } = await establishedCall();
  answer.on('refer', () => {});
  const log = record(call.refer(`<sip:carol@${CAROL}>`));
  await net.run(10);
  assert.deepEqual(log.seen, []);
  const referSeq = getCSeq(net.requests('REFER')[0]!.message).seq;
  const send = (id: number, frag: string) => sendReferNotify(bob, answer.dialog!, id, frag);
  const wrong = send(referSeq + 7, 'SIP/2.0 200 OK\r\n');
  await net.run(10);
  assert.equal((await wrong).status, 481);
  const right = send(referSeq, 'SIP/2.0 200 OK\r\n');
  await net.run(10);
  assert.equal((await right).status, 200);
  assert.deepEqual(log.seen, ['accepted', '200 OK', 'done true 200']);
});
