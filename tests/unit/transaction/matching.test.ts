import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTopVia } from '../../../src-main/sip/message/index.js';
import { InviteServerTransaction, NonInviteServerTransaction } from '../../../src-main/sip/transaction/index.js';
import { flush, parse, request, response, setup, udpDest } from './support.js';

test('RFC 3261 §17.1.3 responses match by branch and CSeq method (INVITE and its CANCEL share a branch)', async () => {
  const ctx = setup();
  const invite = request('INVITE');
  const ict = ctx.layer.sendRequest(invite, udpDest, ctx.handler);
  const cancelEvents: number[] = [];
  const cancel = request('CANCEL');
  const nict = ctx.layer.sendRequest(cancel, udpDest, {
    onResponse: (r) => cancelEvents.push(r.status),
    onTimeout: () => assert.fail('no timeout'),
    onTransportError: () => assert.fail('no error'),
  });
  await flush();
  ctx.transport.inject(response(cancel, 200));
  ctx.transport.inject(response(invite, 487));
  assert.deepEqual(cancelEvents, [200]);
  assert.deepEqual(ctx.events, ['response 487']);
  assert.equal(nict.state, 'completed');
  assert.equal(ict.state, 'completed');
});

test('§17.1.3 a response with an unknown branch or no branch is stray', () => {
  const ctx = setup();
  ctx.transport.inject(response(request('INVITE', { branch: 'z9hG4bKother' }), 200));
  ctx.transport.inject(response(request('INVITE', { branch: null }), 200));
  assert.equal(ctx.strays.length, 2);
});

test('§17.2.3 same branch but different sent-by is a different server transaction', () => {
  const ctx = setup();
  ctx.transport.inject(request('OPTIONS', { sentBy: '127.0.0.1:5060' }));
  ctx.transport.inject(request('OPTIONS', { sentBy: '127.0.0.2:5060' }));
  ctx.transport.inject(request('OPTIONS', { sentBy: '127.0.0.2:5060' })); // retransmission
  assert.equal(ctx.requests.length, 2);
  assert.equal(ctx.layer.size.servers, 2);
});

test('§9.2 CANCEL gets its own NIST, is delivered with it, and finds the INVITE server transaction', () => {
  const ctx = setup();
  ctx.transport.inject(request('INVITE'));
  const cancel = request('CANCEL');
  ctx.transport.inject(cancel);
  const [inv, can] = ctx.requests;
  assert.ok(inv?.tx instanceof InviteServerTransaction);
  assert.ok(can?.tx instanceof NonInviteServerTransaction);
  assert.equal(can.request.method, 'CANCEL');
  assert.equal(ctx.layer.findInviteServerTransaction(cancel), inv.tx);
  assert.equal(ctx.layer.findInviteServerTransaction(request('CANCEL', { branch: 'z9hG4bKnope' })), undefined);
  assert.equal(ctx.layer.findInviteServerTransaction(request('CANCEL', { sentBy: '127.0.0.9:5060' })), undefined);
});

test('§17.2.3 RFC 2543 fallback (no magic cookie): retransmission absorbed, ACK matched by To tag of our response', () => {
  const ctx = setup();
  const old = { branch: null } as const;
  const invite = request('INVITE', old);
  ctx.transport.inject(invite);
  const tx = ctx.requests[0]?.tx;
  assert.ok(tx instanceof InviteServerTransaction);
  tx.respond(response(invite, 486, 'our-tag'));
  ctx.transport.inject(request('INVITE', old)); // retransmission: final resent
  assert.equal(ctx.requests.length, 1);
  assert.equal(ctx.transport.sent.length, 2);
  ctx.transport.inject(request('ACK', { ...old, toTag: 'wrong', cseqMethod: 'ACK' }));
  assert.equal(ctx.requests.length, 2, 'an ACK with another To tag is not ours');
  assert.equal(tx.state, 'completed');
  ctx.transport.inject(request('ACK', { ...old, toTag: 'our-tag', cseqMethod: 'ACK' }));
  assert.equal(tx.state, 'confirmed');
  assert.equal(ctx.requests.length, 2);
});

test('§17.2.3 RFC 2543 fallback: different Call-ID, CSeq, Request-URI or From tag is a new transaction', () => {
  const ctx = setup();
  ctx.transport.inject(request('OPTIONS', { branch: null }));
  ctx.transport.inject(request('OPTIONS', { branch: null, seq: 2 }));
  ctx.transport.inject(request('OPTIONS', { branch: null, uri: 'sip:carol@127.0.0.1' }));
  ctx.transport.inject(request('OPTIONS', { branch: 'old-style-branch' })); // non-cookie branch: 2543 rules, other top Via
  ctx.transport.inject(request('OPTIONS', { branch: null, toTag: 'x' }));
  ctx.transport.inject(request('OPTIONS', { branch: null })); // retransmission of the first
  assert.equal(ctx.requests.length, 5);
});

test('§9.2 CANCEL from an RFC 2543 peer finds the INVITE', () => {
  const ctx = setup();
  ctx.transport.inject(request('INVITE', { branch: null }));
  assert.ok(ctx.layer.findInviteServerTransaction(request('CANCEL', { branch: null })));
  assert.equal(ctx.layer.findInviteServerTransaction(request('CANCEL', { branch: null, seq: 9 })), undefined);
});

test('a request whose Via cannot be parsed is dropped', () => {
  const ctx = setup();
  const bad = request('OPTIONS');
  bad.headers.set('Via', 'garbage');
  ctx.transport.inject(bad);
  assert.equal(ctx.requests.length, 0);
  assert.equal(getTopVia(request('OPTIONS')).params.get('branch'), 'z9hG4bKb1');
});

test('parse helper keeps compact forms working with matching', () => {
  const ctx = setup();
  ctx.transport.inject(parse(`OPTIONS sip:bob@127.0.0.1 SIP/2.0
v: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKc1
f: <sip:a@127.0.0.1>;tag=1
t: <sip:bob@127.0.0.1>
i: c@1
CSeq: 1 OPTIONS
Max-Forwards: 70
l: 0

`));
  assert.equal(ctx.requests.length, 1);
});
