import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTopVia } from '../../../src-main/sip/message/index.js';
import type { SipRequest } from '../../../src-main/sip/message/index.js';
import { InviteClientTransaction, NonInviteClientTransaction } from '../../../src-main/sip/transaction/index.js';
import { flush, request, setup, udpDest } from './support.js';

test('sendRequest picks ICT for INVITE and NICT otherwise', () => {
  const ctx = setup();
  assert.ok(ctx.layer.sendRequest(request('INVITE'), udpDest, ctx.handler) instanceof InviteClientTransaction);
  assert.ok(ctx.layer.sendRequest(request('REGISTER'), udpDest, ctx.handler) instanceof NonInviteClientTransaction);
  assert.equal(ctx.layer.size.clients, 2);
});

test('§8.1.1.7 a top Via without branch gets z9hG4bK + a random token', async () => {
  const ctx = setup();
  const req = request('OPTIONS', { branch: null });
  ctx.layer.sendRequest(req, udpDest, ctx.handler);
  await flush();
  assert.equal(getTopVia(req).params.get('branch'), 'z9hG4bKt1');
  assert.equal(getTopVia(ctx.transport.sent[0]!.message).params.get('branch'), 'z9hG4bKt1');
});

test('a request without Via gets one with a branch', () => {
  const ctx = setup();
  const req = request('OPTIONS');
  req.headers.remove('Via');
  ctx.layer.sendRequest(req, udpDest, ctx.handler);
  const via = getTopVia(req);
  assert.equal(via.transport, 'UDP');
  assert.equal(via.host, '127.0.0.1');
  assert.equal(via.port, 5060);
  assert.equal(via.params.get('branch'), 'z9hG4bKt1');
  assert.ok(via.params.has('rport'));
});

test('ACK is never sent in a transaction; sendAck sends it directly', async () => {
  const ctx = setup();
  const ack = request('ACK', { toTag: 't', cseqMethod: 'ACK' });
  assert.throws(() => ctx.layer.sendRequest(ack, udpDest, ctx.handler), /sendAck/);
  assert.deepEqual(await ctx.layer.sendAck(ack, udpDest), udpDest);
  assert.equal((ctx.transport.sent[0]!.message as SipRequest).method, 'ACK');
  assert.equal(ctx.layer.size.clients, 0);
});

test('a second client transaction with the same branch and method is refused', () => {
  const ctx = setup();
  ctx.layer.sendRequest(request('OPTIONS'), udpDest, ctx.handler);
  assert.throws(() => ctx.layer.sendRequest(request('OPTIONS'), udpDest, ctx.handler), /already exists/);
});

test('close() terminates every transaction and clears their timers', async () => {
  const ctx = setup();
  ctx.layer.sendRequest(request('INVITE'), udpDest, ctx.handler);
  ctx.transport.inject(request('INVITE', { branch: 'z9hG4bKin' }));
  await flush();
  ctx.layer.close();
  assert.deepEqual(ctx.layer.size, { clients: 0, servers: 0 });
  assert.equal(ctx.clock.pending, 0);
});
