/** Call pickup from a ringing lamp: INVITE with Replaces …;early-only (RFC 3891) or a feature code. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatUri, getFrom, getTo, parseUri } from '../../../src-main/sip/message/index.js';
import type { InviteSession } from '../../../src-main/sip/ua/session/invite-session.js';
import type { DialogInfoDialog } from '../../../src-main/sip/ua/event-package/dialog-info.js';
import { pickupByFeatureCode, pickupByReplaces } from '../../../src-main/sip/ua/session/pickup.js';
import { ALICE, BOB, CAROL, FakeNetwork, phone } from '../ua/support.js';

const ringingAtBob = (over: Partial<DialogInfoDialog> = {}): DialogInfoDialog => ({
  id: 'd1', callId: 'call-1', localTag: 'bobtag', remoteTag: 'alicetag', direction: 'recipient', state: 'early',
  local: { identity: 'sip:bob@pbx', target: undefined }, remote: { identity: 'sip:alice@pbx', target: 'sip:alice@10.0.0.1:5060' }, ...over,
});

test('RFC 3891 §6.1: the Replaces names the caller\'s tag as to-tag, the callee\'s as from-tag, early-only; sent to the caller', () => {
  const t = pickupByReplaces(ringingAtBob());
  assert.ok(t);
  assert.equal(formatUri(t.uri), 'sip:alice@pbx');
  assert.deepEqual(t.headers, [['Replaces', 'call-1;to-tag=alicetag;from-tag=bobtag;early-only']]);
  assert.equal(formatUri(pickupByReplaces(ringingAtBob({ remote: { identity: undefined, target: 'sip:alice@10.0.0.1:5060' } }))!.uri), 'sip:alice@10.0.0.1:5060');
  for (const missing of [{ callId: undefined }, { localTag: undefined }, { remoteTag: undefined }, { remote: { identity: undefined, target: undefined } }]) {
    assert.equal(pickupByReplaces(ringingAtBob(missing)), undefined);
  }
});

test('directed pickup feature code: *8 + the extension at its domain', () => {
  const t = pickupByFeatureCode('*8', parseUri('sip:1002@pbx.example.com:5070'));
  assert.equal(formatUri(t!.uri), 'sip:*81002@pbx.example.com:5070');
  assert.equal(pickupByFeatureCode('*8;x', parseUri('sip:1002@pbx')), undefined);
});

test('two stacks: Alice calls Bob, Bob rings; Carol picks up with Replaces early-only → Alice takes Carol\'s call in place of the ringing one', async () => {
  const net = new FakeNetwork();
  const alice = phone(net, 'alice', ALICE, { incomingCallPolicy: 'any' });
  const bob = phone(net, 'bob', BOB, { incomingCallPolicy: 'any' });
  const carol = phone(net, 'carol', CAROL, { incomingCallPolicy: 'any' });
  const outgoing = alice.ua.call(parseUri(`sip:bob@${BOB}`), alice.media, 'alice');
  await net.run(10);
  const ringing = bob.incoming[0]!;
  ringing.ring();
  await net.run(10);
  // What Bob's dialog-info would show (call-id, Bob's local tag, Alice's tag as remote tag).
  const ringingResponse = net.responses(180)[0]!.message;
  const dialog = ringingAtBob({
    callId: outgoing.callId, localTag: getTo(ringingResponse).params.get('tag')!, remoteTag: getFrom(ringingResponse).params.get('tag')!,
    remote: { identity: `sip:alice@${ALICE}`, target: undefined },
  });
  let replaced: InviteSession | undefined;
  alice.ua.on('incoming', (_call, _account, r) => (replaced = r));
  const target = pickupByReplaces(dialog)!;
  const pickup = carol.ua.call(target.uri, carol.media, 'carol', target.headers);
  await net.run(10);
  assert.equal(replaced, outgoing, 'Alice\'s UA matched the early dialog it initiated');
  assert.match(net.requests('INVITE').at(-1)!.message.headers.get('Replaces') ?? '', /;early-only$/);
  alice.incoming.at(-1)!.answer();
  outgoing.hangup();
  await net.run(50);
  assert.equal(pickup.state, 'confirmed');
  assert.equal(ringing.state, 'ended', 'the call ringing at Bob was cancelled');
});

test('RFC 3891 §3: early-only on an answered dialog → 486 (the call was answered meanwhile)', async () => {
  const net = new FakeNetwork();
  const alice = phone(net, 'alice', ALICE, { incomingCallPolicy: 'any' });
  const bob = phone(net, 'bob', BOB, { incomingCallPolicy: 'any' });
  const carol = phone(net, 'carol', CAROL, { incomingCallPolicy: 'any' });
  const outgoing = alice.ua.call(parseUri(`sip:bob@${BOB}`), alice.media, 'alice');
  await net.run(10);
  bob.incoming[0]!.answer();
  await net.run(10);
  const ok = net.responses(200).find((p) => p.message.headers.get('CSeq')?.endsWith('INVITE'))!.message;
  const target = pickupByReplaces(ringingAtBob({
    callId: outgoing.callId, localTag: getTo(ok).params.get('tag')!, remoteTag: getFrom(ok).params.get('tag')!,
    remote: { identity: `sip:alice@${ALICE}`, target: undefined },
  }))!;
  const pickup = carol.ua.call(target.uri, carol.media, 'carol', target.headers);
  await net.run(50);
  assert.equal(pickup.state, 'ended');
  assert.equal(pickup.endCause?.status, 486);
});
