/** INVITE with Replaces (RFC 3891) and attended transfer (RFC 5589 §7). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseUri } from '../../../src-main/sip/message/index.js';
import type { InviteServerSession } from '../../../src-main/sip/ua/session/invite-server-session.js';
import type { InviteSession } from '../../../src-main/sip/ua/session/invite-session.js';
import { formatReplaces, parseReplaces, referToReplacing } from '../../../src-main/sip/ua/session/replaces.js';
import { ALICE, BOB, CAROL, FakeNetwork, phone, type Phone } from './support.js';

const uri = (name: string, address: string) => parseUri(`sip:${name}@${address}`);

/** Every `incoming` with its replaced session. */
function replacing(p: Phone): Array<{ call: InviteServerSession; replaces: InviteSession | undefined }> {
  const seen: Array<{ call: InviteServerSession; replaces: InviteSession | undefined }> = [];
  p.ua.on('incoming', (call, _account, replaces) => seen.push({ call, replaces }));
  return seen;
}

async function aliceCallsCarol(net = new FakeNetwork()) {
  const alice = phone(net, 'alice', ALICE, { incomingCallPolicy: 'any' });
  const bob = phone(net, 'bob', BOB, { incomingCallPolicy: 'any' });
  const carol = phone(net, 'carol', CAROL, { incomingCallPolicy: 'any' });
  const toCarol = alice.ua.call(uri('carol', CAROL), alice.media, 'alice');
  await net.run(10);
  const atCarol = carol.incoming[0]!;
  atCarol.answer();
  await net.run(10);
  return { net, alice, bob, carol, toCarol, atCarol };
}

test('RFC 3891 §6.1 Replaces parses and formats (to-tag, from-tag, early-only)', () => {
  const r = parseReplaces('98732@sip.example.com;from-tag=r33th4x0r;to-tag=ff87ff;early-only');
  assert.deepEqual(r, { callId: '98732@sip.example.com', toTag: 'ff87ff', fromTag: 'r33th4x0r', earlyOnly: true });
  assert.equal(formatReplaces(r), '98732@sip.example.com;to-tag=ff87ff;from-tag=r33th4x0r;early-only');
  assert.throws(() => parseReplaces('abc;to-tag=1'), /from-tag/);
});

test('RFC 5589 §7 attended transfer: Refer-To with Replaces, the target gets an INVITE that replaces our dialog', async () => {
  const { net, alice, bob, carol, toCarol, atCarol } = await aliceCallsCarol();
  const atCarolEvents = replacing(carol);
  // Alice also talks to Bob, then transfers Bob to Carol, replacing her call with Carol.
  const toBob = alice.ua.call(uri('bob', BOB), alice.media, 'alice');
  await net.run(10);
  const atBob = bob.incoming[0]!;
  atBob.answer();
  await net.run(10);
  const referTo = referToReplacing(toCarol.dialog!);
  assert.match(referTo, /^<sip:carol@10\.0\.0\.3\?Replaces=[^>]+%3Bto-tag%3D[^>]+%3Bfrom-tag%3D[^>]+>$/);
  let replaces: ReturnType<typeof parseReplaces> | undefined;
  atBob.on('refer', (refer) => {
    replaces = refer.replaces;
    refer.accept();
    const fromBob = bob.ua.call(refer.referTo.uri, bob.media, 'bob');
    fromBob.on('state', (s) => { if (s === 'confirmed') refer.notify(200, 'OK'); });
  });
  const done: boolean[] = [];
  toBob.refer(referTo).on('done', (o) => done.push(o.ok));
  await net.run(20);
  assert.deepEqual(replaces, { callId: toCarol.dialog!.callId, toTag: atCarol.dialog!.localTag, fromTag: toCarol.dialog!.localTag, earlyOnly: false });
  const invite = net.requests('INVITE').find((p) => p.from.address === BOB)!.message;
  assert.equal(invite.uri.headers.size, 0, '§19.1.5: URI headers move into the request');
  assert.equal(parseReplaces(invite.headers.get('Replaces')!).callId, toCarol.dialog!.callId);
  assert.equal(atCarolEvents.length, 1);
  assert.equal(atCarolEvents[0]!.replaces, atCarol, 'the incoming event names the replaced session');
  // Carol's host answers the new call and ends the replaced one (RFC 3891 §3).
  atCarolEvents[0]!.call.answer();
  atCarol.hangup();
  await net.run(20);
  assert.deepEqual(done, [true]);
  assert.equal(toCarol.state, 'ended');
  assert.equal(atCarolEvents[0]!.call.state, 'confirmed');
});

test('RFC 3891 §3 a Replaces that matches no dialog → 481', async () => {
  const { net, bob } = await aliceCallsCarol();
  bob.ua.call(uri('carol', CAROL), bob.media, 'bob', [['Replaces', 'nope;to-tag=a;from-tag=b']]);
  await net.run(10);
  assert.equal(net.responses(481).length, 1);
});

test('RFC 3891 §3 a Replaces naming a terminated dialog → 603', async () => {
  const { net, bob, toCarol, atCarol } = await aliceCallsCarol();
  const replaces = formatReplaces({ callId: toCarol.callId, toTag: atCarol.dialog!.localTag, fromTag: toCarol.dialog!.localTag, earlyOnly: false });
  toCarol.hangup();
  await net.run(10);
  bob.ua.call(uri('carol', CAROL), bob.media, 'bob', [['Replaces', replaces]]);
  await net.run(10);
  assert.equal(net.responses(603).length, 1);
});

test('RFC 3891 §3 early-only and the dialog is confirmed → 486', async () => {
  const { net, bob, toCarol, atCarol } = await aliceCallsCarol();
  const replaces = formatReplaces({ callId: toCarol.callId, toTag: atCarol.dialog!.localTag, fromTag: toCarol.dialog!.localTag, earlyOnly: true });
  bob.ua.call(uri('carol', CAROL), bob.media, 'bob', [['Replaces', replaces]]);
  await net.run(10);
  assert.equal(net.responses(486).length, 1);
  assert.equal(atCarol.state, 'confirmed');
});

test('RFC 3891 §3 an incoming early dialog (never answered) cannot be replaced → 481', async () => {
  const net = new FakeNetwork();
  const alice = phone(net, 'alice', ALICE, { incomingCallPolicy: 'any' });
  const bob = phone(net, 'bob', BOB, { incomingCallPolicy: 'any' });
  const carol = phone(net, 'carol', CAROL, { incomingCallPolicy: 'any' });
  const toCarol = alice.ua.call(uri('carol', CAROL), alice.media, 'alice');
  await net.run(10);
  carol.incoming[0]!.ring();
  await net.run(10);
  const early = carol.incoming[0]!.dialog!;
  bob.ua.call(uri('carol', CAROL), bob.media, 'bob', [['Replaces', formatReplaces({ callId: early.callId, toTag: early.localTag, fromTag: early.remoteTag, earlyOnly: false })]]);
  await net.run(10);
  assert.equal(net.responses(481).length, 1);
  assert.equal(toCarol.state, 'ringing');
});

test('RFC 3891 §3 an early dialog we initiated can be replaced (call pickup of our own outgoing call)', async () => {
  const net = new FakeNetwork();
  const alice = phone(net, 'alice', ALICE, { incomingCallPolicy: 'any' });
  const bob = phone(net, 'bob', BOB, { incomingCallPolicy: 'any' });
  const carol = phone(net, 'carol', CAROL, { incomingCallPolicy: 'any' });
  const seen = replacing(alice);
  const toCarol = alice.ua.call(uri('carol', CAROL), alice.media, 'alice');
  await net.run(10);
  carol.incoming[0]!.ring();
  await net.run(10);
  const d = carol.incoming[0]!.dialog!;
  // From Alice's side her local tag is the dialog's remote tag at Carol.
  bob.ua.call(uri('alice', ALICE), bob.media, 'bob', [['Replaces', formatReplaces({ callId: d.callId, toTag: d.remoteTag, fromTag: d.localTag, earlyOnly: true })]]);
  await net.run(10);
  assert.equal(seen[0]?.replaces, toCarol);
});

test('RFC 3891 §3 a Replaces INVITE passes the incoming-call policy only from the party of the dialog it names', async () => {
  const net = new FakeNetwork();
  const alice = phone(net, 'alice', ALICE, { incomingCallPolicy: 'any' });
  const bob = phone(net, 'bob', BOB, { incomingCallPolicy: 'any' });
  // Carol keeps the default policy: only her server (PBX) may make her ring.
  const carol = phone(net, 'carol', CAROL, {});
  const seen = replacing(carol);
  const toAlice = carol.ua.call(uri('alice', ALICE), carol.media, 'carol');
  await net.run(10);
  alice.incoming[0]!.answer();
  await net.run(10);
  assert.equal(toAlice.state, 'confirmed');
  const d = toAlice.dialog!;
  const replaces = formatReplaces({ callId: d.callId, toTag: d.localTag, fromTag: d.remoteTag, earlyOnly: false });

  // A third party naming that dialog: refused statelessly, nothing rings, nothing is replaced.
  bob.ua.call(uri('carol', CAROL), bob.media, 'bob', [['Replaces', replaces], ['Require', 'replaces']]);
  await net.run(10);
  assert.equal(net.responses(403).length, 1);
  assert.equal(seen.length, 0);
  assert.equal(toAlice.state, 'confirmed');
  assert.match(carol.notices.join('\n'), /its Replaces names no dialog of that party/);

  // The dialog's own party, from where that dialog's peer is: accepted, and it replaces the call.
  alice.ua.call(uri('carol', CAROL), alice.media, 'alice', [['Replaces', replaces], ['Require', 'replaces']]);
  await net.run(10);
  assert.equal(net.responses(403).length, 1);
  assert.equal(net.responses(420).length, 0, 'Require: replaces is supported');
  assert.equal(seen.at(-1)?.replaces, toAlice);

  // Without Replaces the policy refuses the same party.
  alice.ua.call(uri('carol', CAROL), alice.media, 'alice');
  await net.run(10);
  assert.equal(net.responses(403).length, 2, 'without Replaces the policy still refuses');
});
