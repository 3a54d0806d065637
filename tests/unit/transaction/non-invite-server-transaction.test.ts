import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SipResponse } from '../../../src-main/sip/message/index.js';
import { NonInviteServerTransaction } from '../../../src-main/sip/transaction/index.js';
import { flush, request, response, setup, tcpPeer, udpPeer } from './support.js';

function incoming(ctx: ReturnType<typeof setup>, source = udpPeer) {
  const req = request('OPTIONS');
  ctx.transport.inject(req, source);
  const tx = ctx.requests[0]?.tx;
  assert.ok(tx instanceof NonInviteServerTransaction);
  return { req, tx };
}

const statuses = (ctx: ReturnType<typeof setup>) => ctx.transport.sent.map((s) => [(s.message as SipResponse).status, s.at]);

test('RFC 3261 §17.2.2 Trying absorbs retransmissions; Proceeding resends the last 1xx', () => {
  const ctx = setup();
  const { req, tx } = incoming(ctx);
  ctx.transport.inject(request('OPTIONS'));
  assert.equal(ctx.transport.sent.length, 0);
  tx.respond(response(req, 100));
  assert.equal(tx.state, 'proceeding');
  ctx.clock.advance(500);
  ctx.transport.inject(request('OPTIONS'));
  assert.deepEqual(statuses(ctx), [[100, 0], [100, 500]]);
  assert.equal(ctx.requests.length, 1, 'retransmissions never reach the TU');
});

test('§17.2.2 Completed resends the final; Timer J = 64*T1 over UDP', () => {
  const ctx = setup();
  const { req, tx } = incoming(ctx);
  tx.respond(response(req, 200));
  assert.equal(tx.state, 'completed');
  ctx.clock.advance(1000);
  ctx.transport.inject(request('OPTIONS'));
  tx.respond(response(req, 500)); // a second final is ignored
  assert.deepEqual(statuses(ctx), [[200, 0], [200, 1000]]);
  ctx.clock.advance(30999);
  assert.equal(tx.state, 'completed');
  ctx.clock.advance(1);
  assert.equal(tx.state, 'terminated');
  ctx.transport.inject(request('OPTIONS'));
  assert.equal(ctx.requests.length, 2, 'after Timer J the same request is new');
});

test('§17.2.2 Timer J = 0 on a reliable transport; response on the same connection', () => {
  const ctx = setup();
  const { req, tx } = incoming(ctx, tcpPeer);
  tx.respond(response(req, 200));
  assert.equal(tx.state, 'terminated');
  assert.equal(ctx.transport.sent[0]!.options?.connectionId, 'c1');
});

test('§17.2.4 transport error: TU told, terminated', async () => {
  const ctx = setup();
  const { req, tx } = incoming(ctx);
  const errors: string[] = [];
  tx.onTransportError = (e) => errors.push(e.message);
  ctx.transport.failures.push(new Error('EPIPE'));
  tx.respond(response(req, 180));
  await flush();
  assert.deepEqual(errors, ['EPIPE']);
  assert.equal(tx.state, 'terminated');
  assert.equal(ctx.layer.size.servers, 0);
});
