import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flush, isRequest, request, response, setup, tcpDest, udpDest } from './support.js';

test('RFC 3261 §17.1.2.2 Timer E over UDP doubles up to T2, Timer F at 64*T1', async () => {
  const { clock, transport, layer, handler, events } = setup();
  const tx = layer.sendRequest(request('OPTIONS'), udpDest, handler);
  await flush();
  clock.advance(40000);
  assert.deepEqual(
    transport.times(isRequest('OPTIONS')),
    [0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500],
  );
  assert.deepEqual(events, ['timeout@32000']);
  assert.equal(tx.state, 'terminated');
  assert.equal(clock.pending, 0);
});

test('§17.1.2.2 in Proceeding, Timer E is reset to T2', async () => {
  const { clock, transport, layer, handler, events } = setup();
  const req = request('REGISTER');
  const tx = layer.sendRequest(req, udpDest, handler);
  await flush();
  clock.advance(600);
  transport.inject(response(req, 100));
  assert.equal(tx.state, 'proceeding');
  clock.advance(40000);
  // Pending E fires at 1500, then every T2; F still ends it at 32000.
  assert.deepEqual(transport.times(isRequest('REGISTER')), [0, 500, 1500, 5500, 9500, 13500, 17500, 21500, 25500, 29500]);
  assert.deepEqual(events, ['response 100', 'timeout@32000']);
});

test('§17.1.2.2 reliable: no Timer E; Timer F still fires', async () => {
  const { clock, transport, layer, handler, events } = setup();
  layer.sendRequest(request('OPTIONS'), tcpDest, handler);
  await flush();
  clock.advance(40000);
  assert.deepEqual(transport.times(isRequest('OPTIONS')), [0]);
  assert.deepEqual(events, ['timeout@32000']);
});

test('§17.1.2.2 final response: Completed absorbs retransmissions, Timer K = T4 over UDP', async () => {
  const { clock, transport, layer, handler, events, strays } = setup();
  const req = request('BYE');
  const tx = layer.sendRequest(req, udpDest, handler);
  await flush();
  clock.advance(700);
  transport.inject(response(req, 200));
  assert.equal(tx.state, 'completed');
  clock.advance(1000);
  transport.inject(response(req, 200));
  assert.deepEqual(events, ['response 200']);
  assert.deepEqual(transport.times(isRequest('BYE')), [0, 500], 'no retransmission once Completed');
  clock.advance(3999);
  assert.equal(tx.state, 'completed');
  clock.advance(1);
  assert.equal(tx.state, 'terminated');
  transport.inject(response(req, 200));
  assert.equal(strays.length, 1);
});

test('§17.1.2.2 Timer K is 0 on a reliable transport', async () => {
  const { transport, layer, handler } = setup();
  const req = request('BYE');
  const tx = layer.sendRequest(req, tcpDest, handler);
  await flush();
  transport.inject(response(req, 481));
  assert.equal(tx.state, 'terminated');
  assert.equal(layer.size.clients, 0);
});

test('§17.1.4 transport error: TU told, terminated', async () => {
  const { clock, transport, layer, handler, events } = setup();
  transport.failures.push(new Error('no route'));
  const tx = layer.sendRequest(request('MESSAGE'), udpDest, handler);
  await flush();
  clock.advance(64000);
  assert.deepEqual(events, ['transport-error no route']);
  assert.equal(tx.state, 'terminated');
});
