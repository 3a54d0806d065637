/** The server-transaction cap and the TU's screening: refusals answered statelessly (§8.2.7), never kept. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SipRequest, SipResponse } from '../../../src-main/sip/message/index.js';
import { TransactionLayer } from '../../../src-main/sip/transaction/index.js';
import type { Screening } from '../../../src-main/sip/transaction/index.js';
import { TestClock } from '../../support/test-clock.js';
import { sequenceRandom } from '../../../src-main/util/random.js';
import { FakeTransport, flush, request, udpPeer } from './support.js';

function layer(opts: { max?: number; screen?: (r: SipRequest) => Screening } = {}) {
  const clock = new TestClock();
  const transport = new FakeTransport(clock);
  const seen: SipRequest[] = [];
  const layer = new TransactionLayer({
    transport, clock, random: sequenceRandom(),
    user: { onRequest: (r) => seen.push(r), onStrayResponse: () => {}, ...(opts.screen ? { screen: opts.screen } : {}) },
    ...(opts.max !== undefined ? { maxServerTransactions: opts.max } : {}),
  });
  const responses = () => transport.sent.map((s) => s.message).filter((m): m is SipResponse => m.kind === 'response');
  return { clock, transport, layer, seen, responses };
}

test('§21.5.4 above the server-transaction cap a new request gets a stateless 503 with Retry-After', async () => {
  const t = layer({ max: 3 });
  for (let i = 0; i < 5; i++) t.transport.inject(request('OPTIONS', { branch: `z9hG4bKcap${i}` }), udpPeer);
  await flush();
  assert.equal(t.layer.size.servers, 3, 'the table stops at the cap');
  assert.equal(t.seen.length, 3, 'only admitted requests reach the TU');
  const busy = t.responses().filter((r) => r.status === 503);
  assert.equal(busy.length, 2);
  assert.equal(busy[0]!.headers.get('Retry-After'), '10');
  assert.match(busy[0]!.headers.get('To') ?? '', /;tag=/, '§8.2.6.2 a To tag on the stateless answer');
  assert.equal(t.layer.stateless.full, 2);
  // A retransmission of an admitted request is still absorbed by its transaction.
  t.transport.inject(request('OPTIONS', { branch: 'z9hG4bKcap0' }), udpPeer);
  await flush();
  assert.equal(t.seen.length, 3);
});

test('the default cap is 1,000 server transactions', async () => {
  const t = layer();
  for (let i = 0; i < 1005; i++) t.transport.inject(request('OPTIONS', { branch: `z9hG4bKd${i}` }), udpPeer);
  await flush();
  assert.equal(t.layer.size.servers, 1000);
  assert.equal(t.responses().filter((r) => r.status === 503).length, 5);
});

test('§8.2.7 a request the TU refuses is answered once, statelessly: no transaction, no retransmission', async () => {
  const t = layer({ screen: (r) => (r.method === 'INVITE' ? { action: 'reject', status: 403 } : { action: 'accept' }) });
  t.transport.inject(request('INVITE', { branch: 'z9hG4bKscan' }), udpPeer);
  await flush();
  assert.equal(t.layer.size.servers, 0);
  assert.equal(t.seen.length, 0);
  assert.deepEqual(t.responses().map((r) => r.status), [403]);
  t.clock.advance(64 * 500);
  await flush();
  assert.deepEqual(t.responses().map((r) => r.status), [403], 'nothing retransmits a stateless answer');
  // The caller's ACK for that 403 matches nothing: handed up as a stray ACK (the UA ignores it).
  t.transport.inject(request('ACK', { branch: 'z9hG4bKscan', toTag: 'x', cseqMethod: 'ACK' }), udpPeer);
  assert.equal(t.layer.size.servers, 0);
});

test('a request the TU drops gets no answer and leaves nothing behind', async () => {
  const t = layer({ screen: () => ({ action: 'drop' }) });
  t.transport.inject(request('INVITE', { branch: 'z9hG4bKdrop' }), udpPeer);
  await flush();
  assert.equal(t.transport.sent.length, 0);
  assert.equal(t.layer.size.servers, 0);
  assert.equal(t.layer.stateless.dropped, 1);
});
