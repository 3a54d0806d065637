import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCSeq, getTo, getTopVia } from '../../../src-main/sip/message/index.js';
import type { SipRequest } from '../../../src-main/sip/message/index.js';
import { flush, isRequest, request, response, setup, tcpDest, udpDest } from './support.js';

test('RFC 3261 §17.1.1.2 Timer A: INVITE over UDP retransmitted at 500, 1500, 3500 ... until Timer B (64*T1)', async () => {
  const { clock, transport, layer, handler, events } = setup();
  const tx = layer.sendRequest(request('INVITE'), udpDest, handler);
  await flush();
  clock.advance(40000);
  assert.deepEqual(transport.times(isRequest('INVITE')), [0, 500, 1500, 3500, 7500, 15500, 31500]);
  assert.deepEqual(events, ['timeout@32000']);
  assert.equal(tx.state, 'terminated');
  assert.equal(layer.size.clients, 0);
  assert.equal(clock.pending, 0);
});

test('§17.1.1.2 reliable transport: no retransmission, Timer B still fires', async () => {
  const { clock, transport, layer, handler, events } = setup();
  layer.sendRequest(request('INVITE'), tcpDest, handler);
  await flush();
  clock.advance(40000);
  assert.deepEqual(transport.times(isRequest('INVITE')), [0]);
  assert.deepEqual(events, ['timeout@32000']);
});

test('§18.1.1 a UDP INVITE the transport sent over TCP runs reliable timers', async () => {
  const { clock, transport, layer, handler } = setup();
  transport.reroute = (d) => ({ ...d, protocol: 'tcp' });
  const tx = layer.sendRequest(request('INVITE'), udpDest, handler);
  await flush();
  clock.advance(10000);
  assert.deepEqual(transport.times(isRequest('INVITE')), [0]);
  assert.equal(tx.destination.protocol, 'tcp');
});

test('timers follow T1 settings', async () => {
  const { clock, transport, layer, handler, events } = setup({ T1: 100 });
  layer.sendRequest(request('INVITE'), udpDest, handler);
  await flush();
  clock.advance(10000);
  assert.deepEqual(transport.times(isRequest('INVITE')), [0, 100, 300, 700, 1500, 3100, 6300]);
  assert.deepEqual(events, ['timeout@6400']);
});

test('§17.1.1.2 a provisional response stops retransmissions and Timer B', async () => {
  const { clock, transport, layer, handler, events } = setup();
  const invite = request('INVITE');
  const tx = layer.sendRequest(invite, udpDest, handler);
  await flush();
  clock.advance(600);
  transport.inject(response(invite, 180));
  assert.equal(tx.state, 'proceeding');
  clock.advance(100000);
  assert.deepEqual(transport.times(isRequest('INVITE')), [0, 500]);
  assert.deepEqual(events, ['response 180']);
  assert.equal(tx.state, 'proceeding');
});

function checkAck(ack: SipRequest, invite: SipRequest, toTag: string): void {
  assert.equal(ack.method, 'ACK');
  assert.deepEqual(ack.uri, invite.uri);
  assert.equal(getTopVia(ack).params.get('branch'), getTopVia(invite).params.get('branch'));
  assert.equal(ack.headers.getAll('Via').length, 1);
  assert.equal(ack.headers.get('Call-ID'), invite.headers.get('Call-ID'));
  assert.equal(ack.headers.get('From'), invite.headers.get('From'));
  assert.equal(getTo(ack).params.get('tag'), toTag);
  assert.deepEqual(getCSeq(ack), { seq: getCSeq(invite).seq, method: 'ACK' });
  assert.deepEqual(ack.headers.getAll('Route'), invite.headers.getAll('Route'));
  assert.equal(ack.body.length, 0);
}

test('§17.1.1.3 non-2xx final: ACK built and sent, retransmitted final re-ACKed not passed up, Timer D', async () => {
  const { clock, transport, layer, handler, events } = setup();
  const invite = request('INVITE', { seq: 7 });
  const tx = layer.sendRequest(invite, udpDest, handler);
  await flush();
  clock.advance(100);
  transport.inject(response(invite, 486, 'busy1'));
  assert.equal(tx.state, 'completed');
  await flush();
  const acks = transport.sent.filter((s) => isRequest('ACK')(s.message));
  assert.equal(acks.length, 1);
  checkAck(acks[0]!.message as SipRequest, invite, 'busy1');
  assert.deepEqual(acks[0]!.destination, udpDest);

  clock.advance(1000);
  transport.inject(response(invite, 486, 'busy1'));
  await flush();
  assert.deepEqual(transport.times(isRequest('ACK')), [100, 1100]);
  assert.deepEqual(events, ['response 486']);
  assert.deepEqual(transport.times(isRequest('INVITE')), [0]);

  clock.advance(31999 - 1000);
  assert.equal(tx.state, 'completed');
  clock.advance(1);
  assert.equal(tx.state, 'terminated');
  assert.equal(clock.pending, 0);
});

test('§17.1.1.2 Timer D is 0 on a reliable transport', async () => {
  const { transport, layer, handler } = setup();
  const invite = request('INVITE');
  const tx = layer.sendRequest(invite, tcpDest, handler);
  await flush();
  transport.inject(response(invite, 603));
  assert.equal(tx.state, 'terminated');
  await flush();
  assert.deepEqual(transport.times(isRequest('ACK')), [0]);
});

test('RFC 6026 §8.4 Accepted: every 2xx (retransmission or fork) goes up, no ACK, Timer M', async () => {
  const { clock, transport, layer, handler, responses, strays } = setup();
  const invite = request('INVITE');
  const tx = layer.sendRequest(invite, udpDest, handler);
  await flush();
  transport.inject(response(invite, 100));
  transport.inject(response(invite, 200, 'fork1'));
  assert.equal(tx.state, 'accepted');
  clock.advance(1000);
  transport.inject(response(invite, 200, 'fork1'));
  transport.inject(response(invite, 200, 'fork2'));
  transport.inject(response(invite, 180, 'fork3')); // not a 2xx: dropped
  assert.deepEqual(responses.map((r) => `${r.status} ${getTo(r).params.get('tag') ?? ''}`), ['100 ', '200 fork1', '200 fork1', '200 fork2']);
  assert.deepEqual(transport.times(isRequest('ACK')), [], 'the TU ACKs 2xx');
  assert.deepEqual(transport.times(isRequest('INVITE')), [0]);
  clock.advance(31000);
  assert.equal(tx.state, 'terminated');
  transport.inject(response(invite, 200, 'fork1'));
  assert.equal(strays.length, 1, 'after Timer M a 2xx is stray');
});

test('§17.1.4 transport error on the first send: TU told, transaction terminated', async () => {
  const { clock, transport, layer, handler, events } = setup();
  transport.failures.push(new Error('ECONNREFUSED'));
  const tx = layer.sendRequest(request('INVITE'), udpDest, handler);
  await flush();
  assert.deepEqual(events, ['transport-error ECONNREFUSED']);
  assert.equal(tx.state, 'terminated');
  assert.equal(layer.size.clients, 0);
  clock.advance(64000);
  assert.deepEqual(events, ['transport-error ECONNREFUSED']);
});

test('§17.1.4 transport error on a retransmission', async () => {
  const { clock, transport, layer, handler, events } = setup();
  const tx = layer.sendRequest(request('INVITE'), udpDest, handler);
  await flush();
  transport.failures.push(new Error('EHOSTUNREACH'));
  clock.advance(500);
  await flush();
  assert.deepEqual(events, ['transport-error EHOSTUNREACH']);
  assert.equal(tx.state, 'terminated');
});
