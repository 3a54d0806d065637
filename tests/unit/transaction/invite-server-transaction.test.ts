import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTo } from '../../../src-main/sip/message/index.js';
import type { SipResponse } from '../../../src-main/sip/message/index.js';
import { InviteServerTransaction } from '../../../src-main/sip/transaction/index.js';
import { flush, isStatus, request, response, setup, tcpPeer, udpPeer } from './support.js';

function incomingInvite(ctx: ReturnType<typeof setup>, source = udpPeer) {
  const invite = request('INVITE');
  ctx.transport.inject(invite, source);
  const tx = ctx.requests[0]?.tx;
  assert.ok(tx instanceof InviteServerTransaction);
  return { invite, tx };
}

test('RFC 3261 §17.2.1 100 Trying after 200 ms when the TU has not answered', () => {
  const ctx = setup();
  const { tx } = incomingInvite(ctx);
  ctx.clock.advance(199);
  assert.equal(ctx.transport.sent.length, 0);
  ctx.clock.advance(1);
  assert.deepEqual(ctx.transport.times(isStatus(100)), [200]);
  const trying = ctx.transport.sent[0]!.message as SipResponse;
  assert.equal(getTo(trying).params.get('tag'), undefined, '§8.2.6.1: no To tag on 100');
  assert.deepEqual(ctx.transport.sent[0]!.destination, { protocol: 'udp', address: '127.0.0.1', port: 5070 });
  assert.equal(tx.state, 'proceeding');
});

test('§17.2.1 no 100 Trying when the TU answers within 200 ms', () => {
  const ctx = setup();
  const { invite, tx } = incomingInvite(ctx);
  ctx.clock.advance(50);
  tx.respond(response(invite, 180));
  ctx.clock.advance(1000);
  assert.deepEqual(ctx.transport.sent.map((s) => (s.message as SipResponse).status), [180]);
});

test('§17.2.1 Proceeding: INVITE retransmission resends the last provisional, never reaches the TU', () => {
  const ctx = setup();
  const { invite, tx } = incomingInvite(ctx);
  ctx.transport.inject(request('INVITE')); // before any response: absorbed, nothing to resend
  tx.respond(response(invite, 100));
  tx.respond(response(invite, 183));
  ctx.clock.advance(300);
  ctx.transport.inject(request('INVITE'));
  assert.deepEqual(ctx.transport.sent.map((s) => [(s.message as SipResponse).status, s.at]), [[100, 0], [183, 0], [183, 300]]);
  assert.equal(ctx.requests.length, 1);
});

test('§17.2.1 Completed over UDP: Timer G doubles up to T2, Timer H at 64*T1 reports the missing ACK', () => {
  const ctx = setup();
  const { invite, tx } = incomingInvite(ctx);
  let ackTimeouts = 0;
  tx.onAckTimeout = () => ackTimeouts++;
  tx.respond(response(invite, 486));
  assert.equal(tx.state, 'completed');
  ctx.clock.advance(40000);
  assert.deepEqual(ctx.transport.times(isStatus(486)), [0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
  assert.equal(ackTimeouts, 1);
  assert.equal(tx.state, 'terminated');
  assert.equal(ctx.layer.size.servers, 0);
  assert.equal(ctx.clock.pending, 0);
});

test('§17.2.1 ACK moves Completed to Confirmed: retransmissions stop, Timer I = T4, ACK not passed up', () => {
  const ctx = setup();
  const { invite, tx } = incomingInvite(ctx);
  tx.respond(response(invite, 404));
  ctx.clock.advance(600);
  ctx.transport.inject(request('INVITE')); // retransmission in Completed: resend final
  ctx.transport.inject(request('ACK', { toTag: 'tt1', cseqMethod: 'ACK' }));
  assert.equal(tx.state, 'confirmed');
  ctx.transport.inject(request('ACK', { toTag: 'tt1', cseqMethod: 'ACK' })); // absorbed
  ctx.clock.advance(4999);
  assert.equal(tx.state, 'confirmed');
  ctx.clock.advance(1);
  assert.equal(tx.state, 'terminated');
  assert.deepEqual(ctx.transport.times(isStatus(404)), [0, 500, 600]);
  assert.equal(ctx.requests.length, 1);
});

test('§17.2.1 reliable: no Timer G, Timer I = 0', () => {
  const ctx = setup();
  const { invite, tx } = incomingInvite(ctx, tcpPeer);
  tx.respond(response(invite, 480));
  assert.equal(ctx.transport.sent[0]!.options?.connectionId, 'c1', '§18.2.2: same connection');
  ctx.clock.advance(10000);
  assert.deepEqual(ctx.transport.times(isStatus(480)), [0]);
  ctx.transport.inject(request('ACK', { toTag: 'tt1', cseqMethod: 'ACK' }), tcpPeer);
  assert.equal(tx.state, 'terminated');
});

test('RFC 6026 §7.1 Accepted: INVITE absorbed, TU 2xx retransmissions sent, ACKs passed up, Timer L', () => {
  const ctx = setup();
  const { invite, tx } = incomingInvite(ctx);
  tx.respond(response(invite, 200));
  assert.equal(tx.state, 'accepted');
  ctx.clock.advance(500);
  tx.respond(response(invite, 200)); // the TU's §13.3.1.4 retransmission
  ctx.transport.inject(request('INVITE')); // absorbed, nothing resent
  assert.deepEqual(ctx.transport.times(isStatus(200)), [0, 500]);
  // A proper 2xx ACK has its own branch: no transaction, TU gets it with tx undefined.
  ctx.transport.inject(request('ACK', { branch: 'z9hG4bKack', toTag: 'tt1', cseqMethod: 'ACK' }));
  // One reusing the INVITE's branch matches the IST in Accepted and is passed up too.
  ctx.transport.inject(request('ACK', { toTag: 'tt1', cseqMethod: 'ACK' }));
  assert.deepEqual(ctx.requests.map((r) => [r.request.method, r.tx?.kind]), [['INVITE', 'ist'], ['ACK', undefined], ['ACK', 'ist']]);
  assert.equal(tx.state, 'accepted');
  ctx.clock.advance(31499);
  assert.equal(tx.state, 'accepted');
  ctx.clock.advance(1);
  assert.equal(tx.state, 'terminated');
  // After Timer L the INVITE retransmission would be new: that is why L lasts 64*T1.
});

test('§17.2.4 transport error sending a response: TU told, transaction terminated', async () => {
  const ctx = setup();
  const { invite, tx } = incomingInvite(ctx);
  const errors: string[] = [];
  tx.onTransportError = (e) => errors.push(e.message);
  ctx.transport.failures.push(new Error('EPIPE'));
  tx.respond(response(invite, 486));
  await flush();
  assert.deepEqual(errors, ['EPIPE']);
  assert.equal(tx.state, 'terminated');
  ctx.clock.advance(64000);
  assert.equal(ctx.transport.sent.length, 0);
});
