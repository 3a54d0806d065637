/**
 * What the transport says when a TCP connection ends, for flow recovery (RFC 5626 §4.4): a close
 * or reset by the far end of a connection we opened is reported with its remote address and
 * `outbound: true`; connections we close ourselves are not reported; inbound ones that close are
 * summarised, never one event each.
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { TestClock } from '../../support/test-clock.js';
import { StreamTransport } from '../../../src-main/sip/transport/stream-transport.js';
import { tcpDriver } from '../../../src-main/sip/transport/tcp-transport.js';
import { TransportLayer } from '../../../src-main/sip/transport/transport-layer.js';
import type { TransportEvent } from '../../../src-main/sip/transport/events.js';
import { createRequest, parseUri } from '../../../src-main/sip/message/index.js';
import { lostFlow } from '../../../src-main/sip/ua/registration/flow-recovery.js';
import { until } from './helpers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function transport() {
  const events: TransportEvent[] = [];
  const t = new StreamTransport(tcpDriver, {
    bindAddress: '127.0.0.1', clock: new TestClock(), keepAliveIntervalMs: 0, pongTimeoutMs: 500,
    idleTimeoutMs: 0, connectTimeoutMs: 10_000, onMessage: () => {}, onEvent: (e) => events.push(e),
  });
  cleanups.push(() => t.close());
  return { t, events };
}

async function server(): Promise<{ port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const s: Server = createServer((socket) => {
    socket.on('error', () => {});
    socket.resume(); // read, so a close from our side is seen
    sockets.push(socket);
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => {
    for (const socket of sockets) socket.destroy();
    s.close(() => resolve());
  }));
  return { port: (s.address() as AddressInfo).port, sockets };
}

describe('a flow we opened ends', () => {
  it('closed by the peer (FIN): connection-closed, outbound, with the remote address', async () => {
    const srv = await server();
    const { t, events } = transport();
    const c = await t.getOrConnect({ protocol: 'tcp', address: '127.0.0.1', port: srv.port });
    await until(() => srv.sockets.length === 1, 'accepted');
    srv.sockets[0]!.end();
    await until(() => events.length === 1, 'close event');
    assert.equal(events[0]!.kind, 'connection-closed');
    assert.equal(events[0]!.outbound, true);
    assert.equal(events[0]!.connectionId, c.id);
    assert.deepEqual(events[0]!.remote, { address: '127.0.0.1', port: srv.port });
    assert.deepEqual(lostFlow(events[0]!)?.flow, { protocol: 'tcp', address: '127.0.0.1', port: srv.port });
    assert.equal(lostFlow(events[0]!)?.established, true);
  });

  it('reset by the peer (RST): one socket-error ECONNRESET, a lost flow', async () => {
    const srv = await server();
    const { t, events } = transport();
    await t.getOrConnect({ protocol: 'tcp', address: '127.0.0.1', port: srv.port });
    await until(() => srv.sockets.length === 1, 'accepted');
    srv.sockets[0]!.resetAndDestroy();
    await until(() => events.length === 1, 'reset event');
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(events.length, 1, 'one event per connection');
    assert.equal(events[0]!.kind, 'socket-error');
    assert.equal(events[0]!.code, 'ECONNRESET');
    assert.equal(lostFlow(events[0]!)?.established, true);
  });

  it('cannot connect: connection-failed, outbound, not an established flow', async () => {
    const srv = await server();
    const port = srv.port;
    await cleanups.pop()!();
    const { t, events } = transport();
    await assert.rejects(t.getOrConnect({ protocol: 'tcp', address: '127.0.0.1', port }));
    assert.equal(events[0]!.kind, 'connection-failed');
    assert.equal(events[0]!.outbound, true);
    assert.deepEqual(lostFlow(events[0]!), { flow: { protocol: 'tcp', address: '127.0.0.1', port }, established: false, detail: events[0]!.kind + ': ' + events[0]!.message });
  });

  it('closed by us (closeConnections, a network change): nothing reported', async () => {
    const srv = await server();
    const { t, events } = transport();
    const c = await t.getOrConnect({ protocol: 'tcp', address: '127.0.0.1', port: srv.port });
    t.closeConnections();
    assert.equal(c.open, false);
    assert.equal(t.connectionCount, 0);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(events, []);
  });
});

describe('connections others opened to us', () => {
  it('closing ones are summarised, not lost flows', async () => {
    const { t, events } = transport();
    await t.listen(0);
    for (let i = 0; i < 5; i++) {
      const client = connect(t.listeningPort!, '127.0.0.1');
      client.on('error', () => {});
      await until(() => t.connectionCount === 1, 'accepted');
      client.end();
      await until(() => t.connectionCount === 0, 'closed');
    }
    assert.ok(events.length <= 1, `at most the first at once (${events.length})`);
    for (const e of events) {
      assert.equal(e.outbound, false);
      assert.equal(lostFlow(e), undefined, 'an inbound connection is never a flow of ours');
    }
  });
});

describe('TransportLayer.resetFlows', () => {
  it('closes every stream connection and forgets the learnt local address', async () => {
    const srv = await server();
    const layer = new TransportLayer({ bindAddress: '127.0.0.1', udpPort: 0, clock: new TestClock() });
    await layer.start();
    cleanups.push(() => layer.stop());
    const request = createRequest('OPTIONS', parseUri('sip:b@127.0.0.1'), [
      ['Via', 'SIP/2.0/TCP 0.0.0.0;branch=z9hG4bKx'], ['Max-Forwards', '70'], ['From', '<sip:a@127.0.0.1>;tag=1'],
      ['To', '<sip:b@127.0.0.1>'], ['Call-ID', 'x'], ['CSeq', '1 OPTIONS'],
    ], Buffer.alloc(0));
    await layer.send(request, { protocol: 'tcp', address: '127.0.0.1', port: srv.port });
    assert.equal(layer.stats().connections, 1);
    assert.notEqual(layer.localAddress('tcp').port, 0, 'no listener: the port of our latest connection');
    layer.resetFlows();
    assert.equal(layer.stats().connections, 0);
    assert.equal(layer.localAddress('tcp').port, 0, 'forgotten');
    await until(() => srv.sockets.length === 1 && srv.sockets[0]!.closed, 'the far end sees the close');
  });
});
