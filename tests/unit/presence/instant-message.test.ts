/** MESSAGE (RFC 3428) between two full stacks in memory, and unsolicited MWI (RFC 3842) under the server-only rule. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage, parseUri } from '../../../src-main/sip/message/index.js';
import type { SipRequest } from '../../../src-main/sip/message/index.js';
import { MessageReceiver, sendMessage, type MessageOutcome, type ReceivedMessage } from '../../../src-main/sip/ua/pager/instant-message.js';
import { UnsolicitedMwi } from '../../../src-main/sip/ua/subscription/unsolicited-notify.js';
import type { MessageSummary } from '../../../src-main/sip/ua/event-package/message-summary.js';
import { ALICE, BOB, FakeNetwork, PBX, phone, RawPeer } from '../ua/support.js';

/** Alice and Bob; Bob's account has a registrar (the PBX) and takes `policy` for incoming requests. */
function pair(policy: 'any' | 'trusted-or-addressed' = 'trusted-or-addressed') {
  const net = new FakeNetwork();
  const alice = phone(net, 'alice', ALICE, {});
  const bob = phone(net, 'bob', BOB, { registrar: `sip:${PBX}`, register: false, incomingCallPolicy: policy });
  const inbox: ReceivedMessage[] = [];
  bob.ua.use(new MessageReceiver(bob.ua.usageHost(), (m) => inbox.push(m)));
  return { net, alice, bob, inbox };
}

function send(p: ReturnType<typeof phone>, to: string, text: string): Promise<MessageOutcome> {
  const host = p.ua.usageHost();
  return new Promise((resolve, reject) => {
    const error = sendMessage(host, host.account()!, parseUri(to), text, resolve);
    if (error) reject(new Error(error));
  });
}

test('RFC 3428 §4/§7: text/plain UTF-8 arrives intact (accents, emoji) and the 200 reports delivered', async () => {
  const { net, alice, inbox } = pair('any');
  const outcome = send(alice, `sip:bob@${BOB}`, 'Café crème ? Oui 👍🏽 — ça marche');
  await net.run(100);
  assert.deepEqual(await outcome, { delivered: true, code: 200, reason: 'OK' });
  assert.equal(inbox.length, 1);
  assert.equal(inbox[0]!.text, 'Café crème ? Oui 👍🏽 — ça marche');
  assert.equal(inbox[0]!.from.uri, `sip:alice@${PBX}`);
  assert.equal(inbox[0]!.account, 'bob');
  const m = net.requests('MESSAGE')[0]!.message;
  assert.equal(m.headers.get('Content-Type'), 'text/plain;charset=UTF-8');
  assert.equal(m.headers.has('Contact'), false, '§10: MESSAGE carries no Contact');
});

test('a 404 from the far end is reported as failed with its code; no answer at all as 408', async () => {
  const net = new FakeNetwork();
  const alice = phone(net, 'alice', ALICE, {});
  new RawPeer(net, BOB, 5060, (m, peer) => {
    if (m.message.kind !== 'request') return;
    const r = { kind: 'response' as const, status: 404, reason: 'Not Found', headers: m.message.headers.clone(), body: Buffer.alloc(0) };
    r.headers.set('To', `${m.message.headers.get('To')};tag=x`);
    peer.send(r, m.source);
  });
  const failed = send(alice, `sip:nobody@${BOB}`, 'hello');
  await net.run(100);
  assert.deepEqual(await failed, { delivered: false, code: 404, reason: 'Not Found' });
  const silent = send(alice, `sip:x@10.0.0.99`, 'anyone?');
  await net.run(40_000);
  assert.equal((await silent).code, 408);
});

test('§8 size: over 700 bytes on UDP is refused before sending; empty text too', () => {
  const net = new FakeNetwork();
  const alice = phone(net, 'alice', ALICE, {});
  const host = alice.ua.usageHost();
  assert.match(sendMessage(host, host.account()!, parseUri(`sip:bob@${BOB}`), 'é'.repeat(400), () => {}) ?? '', /800 bytes is over 700/);
  assert.equal(sendMessage(host, host.account()!, parseUri(`sip:bob@${BOB}`), '', () => {}), 'empty message');
});

let n = 0;
function rawMessage(from: string, toUser: string, body: string, type = 'text/plain;charset=UTF-8', callId?: string): SipRequest {
  n++;
  const text = [
    `MESSAGE sip:${toUser}@${BOB} SIP/2.0`, `Via: SIP/2.0/UDP ${from}:5060;branch=z9hG4bKmsg${n}`, 'Max-Forwards: 70',
    `From: "Ann" <sip:ann@${from}>;tag=m${n}`, `To: <sip:${toUser}@${BOB}>`, `Call-ID: ${callId ?? `msg-${n}`}`, 'CSeq: 1 MESSAGE',
    `Content-Type: ${type}`, `Content-Length: ${Buffer.byteLength(body)}`, '', body,
  ].join('\r\n');
  const parsed = parseMessage(Buffer.from(text));
  if (!parsed.ok || parsed.message.kind !== 'request') throw new Error('bad test message');
  return parsed.message;
}

test('incoming policy: a MESSAGE from a stranger (other user, untrusted address) gets 403 and is not shown', async () => {
  const { net, bob, inbox } = pair();
  const stranger = new RawPeer(net, '10.0.0.66');
  await net.run(0);
  stranger.send(rawMessage('10.0.0.66', '100', 'buy now'), { address: BOB, port: 5060 });
  await net.run(100);
  assert.equal(stranger.responses(403).length, 1);
  assert.equal(inbox.length, 0);
  assert.match(bob.notices.join('\n'), /refused MESSAGE for 100 from .*10\.0\.0\.66/);
  // Through the registrar (its address): shown, with the sender's display name.
  const pbx = new RawPeer(net, PBX);
  pbx.send(rawMessage(PBX, '100', 'via the pbx'), { address: BOB, port: 5060 });
  await net.run(100);
  assert.deepEqual(inbox.map((m) => m.text), ['via the pbx']);
  assert.equal(inbox[0]!.from.displayName, 'Ann');
});

test('§7: other media types get 415 with Accept: text/plain; bad UTF-8 400; a retried MESSAGE is shown once', async () => {
  const { net, inbox } = pair();
  const peer = new RawPeer(net, PBX);
  peer.send(rawMessage(PBX, 'bob', '<html/>', 'text/html'), { address: BOB, port: 5060 });
  peer.send(rawMessage(PBX, 'bob', 'x', 'text/plain;charset=ISO-8859-1'), { address: BOB, port: 5060 });
  await net.run(50);
  assert.equal(peer.responses(415).length, 2);
  assert.equal(peer.responses(415)[0]!.headers.get('Accept'), 'text/plain');
  const bad = rawMessage(PBX, 'bob', 'xx');
  bad.body = Buffer.from([0xc3, 0x28]);
  peer.send(bad, { address: BOB, port: 5060 });
  await net.run(50);
  assert.equal(peer.responses(400).length, 1);
  peer.send(rawMessage(PBX, 'bob', 'once', undefined, 'dup-1'), { address: BOB, port: 5060 });
  peer.send(rawMessage(PBX, 'bob', 'once', undefined, 'dup-1'), { address: BOB, port: 5060 });
  await net.run(50);
  assert.deepEqual(inbox.map((m) => m.text), ['once']);
  assert.equal(peer.responses(200).length, 2);
});

function mwiNotify(from: string, body: string, event = 'message-summary'): SipRequest {
  n++;
  const text = [
    `NOTIFY sip:bob@${BOB} SIP/2.0`, `Via: SIP/2.0/UDP ${from}:5060;branch=z9hG4bKmwi${n}`, 'Max-Forwards: 70',
    `From: <sip:bob@${PBX}>;tag=v${n}`, `To: <sip:bob@${PBX}>`, `Call-ID: mwi-${n}`, 'CSeq: 1 NOTIFY', `Event: ${event}`,
    'Subscription-State: active', 'Content-Type: application/simple-message-summary', `Content-Length: ${Buffer.byteLength(body)}`, '', body,
  ].join('\r\n');
  const parsed = parseMessage(Buffer.from(text));
  if (!parsed.ok || parsed.message.kind !== 'request') throw new Error('bad test notify');
  return parsed.message;
}

test('RFC 3842 unsolicited NOTIFY: from our registrar → delivered; from anyone else → 403; bad body → 400', async () => {
  const { net, bob } = pair();
  const summaries: Array<[string | undefined, MessageSummary]> = [];
  bob.ua.use(new UnsolicitedMwi(bob.ua.usageHost(), (account, s) => summaries.push([account, s])));
  const pbx = new RawPeer(net, PBX);
  const other = new RawPeer(net, '10.0.0.66');
  await net.run(0);
  pbx.send(mwiNotify(PBX, 'Messages-Waiting: yes\r\nVoice-Message: 2/8\r\n'), { address: BOB, port: 5060 });
  other.send(mwiNotify('10.0.0.66', 'Messages-Waiting: yes\r\nVoice-Message: 9/9\r\n'), { address: BOB, port: 5060 });
  pbx.send(mwiNotify(PBX, 'garbage'), { address: BOB, port: 5060 });
  await net.run(100);
  assert.equal(summaries.length, 1);
  assert.equal(summaries[0]![0], 'bob');
  assert.deepEqual(summaries[0]![1].classes.get('voice-message'), { new: 2, old: 8, urgentNew: 0, urgentOld: 0 });
  assert.equal(other.responses(403).length, 1);
  assert.equal(pbx.responses(400).length, 1);
  // Other packages outside a dialog still get 481 from the user agent (RFC 6665 §4.1.3).
  pbx.send(mwiNotify(PBX, '', 'presence'), { address: BOB, port: 5060 });
  await net.run(100);
  assert.equal(pbx.responses(481).length, 1);
});
