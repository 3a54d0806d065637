import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket, type AddressInfo } from 'node:net';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../../src-main/util/clock.js';
import { TestClock } from '../../support/test-clock.js';
import { StreamTransport, type StreamDriver } from '../../../src-main/sip/transport/stream-transport.js';
import { tcpDriver } from '../../../src-main/sip/transport/tcp-transport.js';
import { tlsDriver } from '../../../src-main/sip/transport/tls-transport.js';
import { TransportError, type TransportEvent } from '../../../src-main/sip/transport/events.js';
import { testPki, until } from './helpers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function transport(
  driver: StreamDriver,
  opts: { clock?: Clock; keepAliveIntervalMs?: number; idleTimeoutMs?: number; strictPong?: boolean } = {},
) {
  const messages: { id: string; text: string }[] = [];
  const events: TransportEvent[] = [];
  const t = new StreamTransport(driver, {
    bindAddress: '127.0.0.1', clock: opts.clock ?? new TestClock(), keepAliveIntervalMs: opts.keepAliveIntervalMs ?? 0,
    pongTimeoutMs: 500, strictPong: opts.strictPong ?? false, idleTimeoutMs: opts.idleTimeoutMs ?? 0, connectTimeoutMs: 10_000,
    onMessage: (c, data) => messages.push({ id: c.id, text: data.toString() }),
    onEvent: (e) => events.push(e),
  });
  cleanups.push(() => t.close());
  return { t, messages, events };
}

/** A raw TCP server on loopback that records what it receives. */
async function rawServer(): Promise<{ port: number; sockets: Socket[]; received: () => string }> {
  const sockets: Socket[] = [];
  let data = '';
  const server: Server = createServer((s) => {
    sockets.push(s);
    s.on('data', (d) => { data += d.toString(); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  }));
  return { port: (server.address() as AddressInfo).port, sockets, received: () => data };
}

const msg = (body: string) => `MESSAGE sip:a@127.0.0.1 SIP/2.0\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

describe('TCP connections (§18.3)', () => {
  it('reuses one connection per remote address:port, also for concurrent sends', async () => {
    const server = await rawServer();
    const { t } = transport(tcpDriver);
    const dest = { protocol: 'tcp' as const, address: '127.0.0.1', port: server.port };
    const [a, b] = await Promise.all([t.getOrConnect(dest), t.getOrConnect(dest)]);
    assert.equal(a, b);
    assert.equal(await t.getOrConnect(dest), a);
    await a.write(Buffer.from(msg('x')));
    await until(() => server.received() === msg('x'), 'server data');
    assert.equal(t.connectionCount, 1);
  });

  it('frames incoming messages and answers CRLFCRLF pings with a CRLF pong (RFC 5626 §4.4.1)', async () => {
    const { t, messages } = transport(tcpDriver);
    await t.listen(0);
    const client = connect(t.listeningPort!, '127.0.0.1');
    cleanups.push(() => { client.destroy(); });
    let fromServer = '';
    client.on('data', (d) => { fromServer += d.toString(); });
    client.write('\r\n\r\n' + msg('hi').slice(0, 10));
    client.write(msg('hi').slice(10));
    await until(() => messages.length === 1 && fromServer === '\r\n', 'framed message and pong');
    assert.equal(messages[0]!.text, msg('hi'));
    assert.match(messages[0]!.id, /^tcp-\d+$/);
  });

  it('closes the connection and reports a framing error on a missing Content-Length', async () => {
    const { t, events } = transport(tcpDriver);
    await t.listen(0);
    const client = connect(t.listeningPort!, '127.0.0.1');
    cleanups.push(() => { client.destroy(); });
    let closed = false;
    client.on('close', () => { closed = true; });
    client.on('error', () => {});
    client.write('OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n');
    await until(() => closed, 'server to close the connection');
    assert.equal(events[0]?.kind, 'framing-error');
    assert.match(events[0]!.message, /Missing Content-Length/);
    assert.equal(t.connectionCount, 0);
  });

  it('rejects with the system code when nobody listens', async () => {
    const server = await rawServer();
    const port = server.port;
    await cleanups.pop()!(); // close it again: the port is now refused
    const { t, events } = transport(tcpDriver);
    await assert.rejects(t.getOrConnect({ protocol: 'tcp', address: '127.0.0.1', port }),
      (e: TransportError) => e.code === 'ECONNREFUSED' && /TCP error for 127\.0\.0\.1:\d+/.test(e.message));
    assert.equal(events[0]?.kind, 'connection-failed');
  });
});

describe('RFC 5626 §4.4.1 keep-alive on connections we opened', () => {
  it('pings every interval and keeps the flow when pongs arrive', async () => {
    const clock = new TestClock();
    const server = await rawServer();
    const { t, events } = transport(tcpDriver, { clock, keepAliveIntervalMs: 1000, strictPong: true });
    const c = await t.getOrConnect({ protocol: 'tcp', address: '127.0.0.1', port: server.port });
    clock.advance(999);
    assert.equal(c.awaitingPong, false);
    clock.advance(1);
    assert.equal(c.awaitingPong, true);
    await until(() => server.received() === '\r\n\r\n', 'ping at the server');
    server.sockets[0]!.write('\r\n');
    await until(() => !c.awaitingPong, 'pong processed');
    clock.advance(500);
    assert.equal(c.open, true);
    assert.deepEqual(events, []);
  });

  it('closes and reports the flow when no pong arrives in time', async () => {
    const clock = new TestClock();
    const server = await rawServer();
    const { t, events } = transport(tcpDriver, { clock, keepAliveIntervalMs: 1000, strictPong: true });
    const c = await t.getOrConnect({ protocol: 'tcp', address: '127.0.0.1', port: server.port });
    clock.advance(1000);
    clock.advance(499);
    assert.equal(c.open, true);
    clock.advance(1);
    assert.equal(c.open, false);
    assert.equal(events[0]?.kind, 'keepalive-timeout');
    assert.equal(t.find('127.0.0.1', server.port), undefined);
  });

  it('by default requires pongs only from a peer that has answered one', async () => {
    const clock = new TestClock();
    const server = await rawServer();
    const { t, events } = transport(tcpDriver, { clock, keepAliveIntervalMs: 1000 });
    const c = await t.getOrConnect({ protocol: 'tcp', address: '127.0.0.1', port: server.port });
    clock.advance(3000); // three unanswered pings from a peer without RFC 5626: harmless (§7.5)
    await until(() => server.received() === '\r\n\r\n'.repeat(3), 'three pings');
    assert.equal(c.open, true);
    server.sockets[0]!.write('\r\n');
    await until(() => c.pongSeen, 'pong');
    clock.advance(1000); // ping 4; from now on a pong is due
    assert.equal(c.awaitingPong, true);
    clock.advance(500);
    assert.equal(c.open, false);
    assert.equal(events[0]?.kind, 'keepalive-timeout');
  });

  it('does not ping on connections the peer opened', async () => {
    const clock = new TestClock();
    const { t } = transport(tcpDriver, { clock, keepAliveIntervalMs: 1000 });
    await t.listen(0);
    const client = connect(t.listeningPort!, '127.0.0.1');
    cleanups.push(() => { client.destroy(); });
    let got = '';
    client.on('data', (d) => { got += d.toString(); });
    await until(() => t.connectionCount === 1, 'accepted connection');
    clock.advance(5000);
    client.write('\r\n\r\n'); // our ping → their pong proves the link works and nothing else came
    await until(() => got.length > 0, 'pong');
    assert.equal(got, '\r\n');
  });

  it('closes idle connections after idleTimeoutMs without traffic', async () => {
    const clock = new TestClock();
    const server = await rawServer();
    const { t, events } = transport(tcpDriver, { clock, idleTimeoutMs: 30_000 });
    const c = await t.getOrConnect({ protocol: 'tcp', address: '127.0.0.1', port: server.port });
    clock.advance(20_000);
    await c.write(Buffer.from(msg('')));
    clock.advance(20_000);
    assert.equal(c.open, true);
    clock.advance(10_000);
    assert.equal(c.open, false);
    assert.equal(events[0]?.kind, 'idle-timeout');
  });
});

describe('TLS (RFC 3261 §26.2, RFC 5922)', () => {
  async function tlsServer() {
    const pki = testPki();
    const { t, messages } = transport(tlsDriver({ cert: readFileSync(pki.serverCertFile), key: readFileSync(pki.serverKeyFile) }));
    await t.listen(0);
    return { pki, port: t.listeningPort!, messages };
  }

  it('connects with the custom CA, verifying the host name, and carries messages', async () => {
    const { pki, port, messages } = await tlsServer();
    const { t } = transport(tlsDriver({ ca: pki.caPem }));
    const c = await t.getOrConnect({ protocol: 'tls', address: '127.0.0.1', port, serverName: 'localhost' });
    await c.write(Buffer.from(msg('secure')));
    await until(() => messages.length === 1, 'message over TLS');
    assert.equal(messages[0]!.text, msg('secure'));
    // Verification by IP SAN when no name is given.
    const { t: t2 } = transport(tlsDriver({ ca: pki.caPem }));
    assert.equal((await t2.getOrConnect({ protocol: 'tls', address: '127.0.0.1', port })).open, true);
  });

  it('fails verification without the CA and surfaces the OpenSSL code', async () => {
    const { port } = await tlsServer();
    const { t } = transport(tlsDriver({}));
    await assert.rejects(t.getOrConnect({ protocol: 'tls', address: '127.0.0.1', port, serverName: 'localhost' }),
      (e: TransportError) => e.code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' && /TLS certificate verification failed for localhost:/.test(e.message));
  });

  it('fails on a host name the certificate does not cover', async () => {
    const { pki, port } = await tlsServer();
    const { t } = transport(tlsDriver({ ca: pki.caPem }));
    await assert.rejects(t.getOrConnect({ protocol: 'tls', address: '127.0.0.1', port, serverName: 'pbx.example.com' }),
      (e: TransportError) => e.code === 'ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('reports a self-signed server certificate as DEPTH_ZERO_SELF_SIGNED_CERT', async () => {
    const pki = testPki();
    const [cert, key] = [join(pki.dir, 'self.pem'), join(pki.dir, 'self.key')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost',
      '-keyout', key, '-out', cert, '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'pipe' });
    const { t: server } = transport(tlsDriver({ cert: readFileSync(cert), key: readFileSync(key) }));
    await server.listen(0);
    const { t } = transport(tlsDriver({}));
    await assert.rejects(t.getOrConnect({ protocol: 'tls', address: '127.0.0.1', port: server.listeningPort!, serverName: 'localhost' }),
      (e: TransportError) => e.code === 'DEPTH_ZERO_SELF_SIGNED_CERT' && e instanceof TransportError);
  });
});
