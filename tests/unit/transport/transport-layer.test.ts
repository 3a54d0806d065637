import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { createRequest, createResponse } from '../../../src-main/sip/message/builders.js';
import { getTopVia } from '../../../src-main/sip/message/accessors.js';
import { parseMessage } from '../../../src-main/sip/message/parser.js';
import { serializeMessage } from '../../../src-main/sip/message/serializer.js';
import { parseUri } from '../../../src-main/sip/message/uri.js';
import type { SipRequest, SipResponse } from '../../../src-main/sip/message/types.js';
import { TransportLayer, type TransportLayerOptions } from '../../../src-main/sip/transport/transport-layer.js';
import type { IncomingMessage } from '../../../src-main/sip/transport/types.js';
import { sequenceRandom } from '../../../src-main/util/random.js';
import { rawUdp, testPki, until } from './helpers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function layer(opts: Omit<TransportLayerOptions, 'bindAddress'> = {}) {
  const t = new TransportLayer({ bindAddress: '127.0.0.1', random: sequenceRandom(), ...opts });
  await t.start();
  cleanups.push(() => t.stop());
  const inbox: IncomingMessage[] = [];
  t.onMessage((m) => inbox.push(m));
  return { t, inbox };
}

function request(via: string, opts: { method?: string; body?: string; callId?: string } = {}): SipRequest {
  const method = opts.method ?? 'OPTIONS';
  const fields: [string, string][] = [
    ['Via', via], ['Max-Forwards', '70'], ['From', '<sip:alice@127.0.0.1>;tag=a1'], ['To', '<sip:bob@127.0.0.1>'],
    ['Call-ID', opts.callId ?? 'c1@nimbus'], ['CSeq', `1 ${method}`],
  ];
  if (opts.body) fields.push(['Content-Type', 'text/plain']);
  return createRequest(method, parseUri('sip:bob@127.0.0.1'), fields, Buffer.from(opts.body ?? ''));
}


function parsed(data: Buffer): SipResponse {
  const r = parseMessage(data);
  assert.ok(r.ok && r.message.kind === 'response', 'a response');
  return r.message;
}

/** A port free for both UDP and TCP right now (for the §18.1.1 UDP→TCP switch to the same port). */
async function layerOnSharedPort() {
  for (let attempt = 0; ; attempt++) {
    const probe = await rawUdp(cleanups);
    await cleanups.pop()!();
    try {
      return await layer({ udpPort: probe.port, tcpPort: probe.port });
    } catch (err) {
      if (attempt >= 5) throw err;
    }
  }
}

describe('UDP (§18.1.1, §18.2.1, RFC 3581)', () => {
  it('fills our Via, stamps received/rport at the receiver and routes the response back by rport', async () => {
    const a = await layer({ udpPort: 0 });
    const b = await layer({ udpPort: 0 });
    const aPort = a.t.localAddress('udp').port;
    const req = request('SIP/2.0/UDP 0.0.0.0;branch=z9hG4bK1');
    const sent = await a.t.send(req, { protocol: 'udp', address: '127.0.0.1', port: b.t.localAddress('udp').port });
    assert.equal(sent.protocol, 'udp');
    assert.equal(req.headers.get('Via'), `SIP/2.0/UDP 127.0.0.1:${aPort};branch=z9hG4bK1;rport`);
    await until(() => b.inbox.length === 1, 'request at b');
    const got = b.inbox[0]!;
    assert.deepEqual(got.source, { protocol: 'udp', address: '127.0.0.1', port: aPort });
    assert.equal(got.message.headers.get('Via'), `SIP/2.0/UDP 127.0.0.1:${aPort};branch=z9hG4bK1;rport=${aPort};received=127.0.0.1`);

    await b.t.send(createResponse(got.message as SipRequest, 200), got.source);
    await until(() => a.inbox.length === 1, 'response at a');
    assert.equal((a.inbox[0]!.message as SipResponse).status, 200);
    assert.deepEqual(a.t.localAddress('udp'), { address: '127.0.0.1', port: aPort });
    assert.equal(a.t.stats().sent, 1);
    assert.equal(b.t.stats().received, 1);
  });

  it('§18.2.1/§18.2.2: received when sent-by differs, and without rport the response goes to the sent-by port', async () => {
    const b = await layer({ udpPort: 0 });
    const sender = await rawUdp(cleanups);
    const listener = await rawUdp(cleanups);
    const req = request(`SIP/2.0/UDP localhost:${listener.port};branch=z9hG4bK2`);
    sender.socket.send(serializeMessage(req), b.t.localAddress('udp').port, '127.0.0.1');
    await until(() => b.inbox.length === 1, 'request at b');
    const got = b.inbox[0]!;
    assert.equal(got.message.headers.get('Via'), `SIP/2.0/UDP localhost:${listener.port};branch=z9hG4bK2;received=127.0.0.1`);
    await b.t.send(createResponse(got.message as SipRequest, 486), got.source);
    await until(() => listener.inbox.length === 1, 'response at the sent-by port');
    assert.equal(parsed(listener.inbox[0]!).status, 486);
    assert.equal(sender.inbox.length, 0);
  });

  it('answers a malformed request with a stateless 400 carrying the reason', async () => {
    const b = await layer({ udpPort: 0 });
    const raw = await rawUdp(cleanups);
    const text = `OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${raw.port};branch=z9hG4bK3;rport\r\n` +
      'From: <sip:a@127.0.0.1>;tag=x\r\nTo: <sip:b@127.0.0.1>\r\nCall-ID: bad@x\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: lots\r\n\r\n';
    raw.socket.send(Buffer.from(text), b.t.localAddress('udp').port, '127.0.0.1');
    await until(() => raw.inbox.length === 1, '400 at the sender');
    const res = parsed(raw.inbox[0]!);
    assert.equal(res.status, 400);
    assert.match(res.reason, /Max-Forwards/);
    assert.equal(res.headers.get('To'), '<sip:b@127.0.0.1>;tag=t1');
    assert.equal(getTopVia(res).params.get('rport'), String(raw.port));
    assert.equal(b.inbox.length, 0);
    assert.equal(b.t.stats().parseErrors, 1);
    assert.equal(b.t.stats().badRequestsAnswered, 1);
  });

  it('survives garbage datagrams and keeps working', async () => {
    const b = await layer({ udpPort: 0 });
    const raw = await rawUdp(cleanups);
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
    const port = b.t.localAddress('udp').port;
    const junk = ['', 'SIP/2.0 200 OK\r\n\r\n', 'INVITE\r\n\r\n', 'SIP/2.0 200 OK\r\nCall-ID: x\r\n\r\n', '\r\n\r\n'];
    for (const j of junk) raw.socket.send(Buffer.from(j), port, '127.0.0.1');
    for (let i = 0; i < 100; i++) raw.socket.send(Buffer.from(Array.from({ length: 1 + (i * 37) % 900 }, next)), port, '127.0.0.1');
    raw.socket.send(serializeMessage(request(`SIP/2.0/UDP 127.0.0.1:${raw.port};branch=z9hG4bK4`)), port, '127.0.0.1');
    await until(() => b.inbox.length === 1, 'the valid request after the junk');
    assert.equal(b.t.stats().received, junk.length + 101);
    // Junk whose first byte is 0..3 is STUN's range (RFC 7983 §7): dropped there, never parsed as SIP.
    const stats = b.t.stats();
    assert.ok(stats.stun.received > 0, 'some junk fell in STUN\'s range');
    assert.equal(stats.stun.dropped, stats.stun.received);
    assert.equal(stats.parseErrors + stats.stun.received, junk.length + 100);
    assert.equal(raw.inbox.length, 0, 'no 400 without the headers to build one');
  });
});

describe('handler faults', () => {
  it('a throwing message handler is reported, not propagated; other handlers and later messages still run', async () => {
    const events: string[] = [];
    const b = new TransportLayer({ bindAddress: '127.0.0.1', udpPort: 0, onError: (e) => events.push(e.kind) });
    await b.start();
    cleanups.push(() => b.stop());
    let calls = 0;
    b.onMessage(() => {
      calls++;
      throw new Error('boom');
    });
    const after: IncomingMessage[] = [];
    b.onMessage((m) => after.push(m));
    const a = await layer({ udpPort: 0 });
    const dest = { protocol: 'udp' as const, address: '127.0.0.1', port: b.localAddress('udp').port };
    await a.t.send(request('SIP/2.0/UDP 0.0.0.0;branch=z9hG4bKd', { callId: 'one@x' }), dest);
    await a.t.send(request('SIP/2.0/UDP 0.0.0.0;branch=z9hG4bKe', { callId: 'two@x' }), dest);
    await until(() => calls === 2 && after.length === 2, 'both messages at both handlers');
    assert.deepEqual(events, ['handler-error', 'handler-error']);
    assert.equal(after.length, 2, 'a later handler still sees both');
  });
});

describe('§18.1.1 large requests over UDP', () => {
  it('sends a 3 KB request over TCP instead, and says so', async () => {
    const a = await layer({ udpPort: 0 });
    const b = await layerOnSharedPort();
    const port = b.t.localAddress('udp').port;
    const req = request('SIP/2.0/UDP 0.0.0.0;branch=z9hG4bK5', { method: 'MESSAGE', body: 'x'.repeat(3000) });
    const sent = await a.t.send(req, { protocol: 'udp', address: '127.0.0.1', port });
    assert.deepEqual(sent, { protocol: 'tcp', address: '127.0.0.1', port });
    await until(() => b.inbox.length === 1, 'request over TCP');
    const got = b.inbox[0]!;
    assert.equal(got.source.protocol, 'tcp');
    assert.equal(got.message.body.length, 3000);
    assert.equal(getTopVia(got.message).transport, 'TCP');
    assert.equal(a.t.stats().udpToTcp, 1);
  });

  it('falls back to UDP when TCP is refused, and rejects what UDP cannot carry', async () => {
    const a = await layer({ udpPort: 0 });
    const b = await layer({ udpPort: 0, parseLimits: { maxMessageBytes: 65535, maxHeaderBytes: 8192, maxHeaders: 256 } });
    const dest = { protocol: 'udp' as const, address: '127.0.0.1', port: b.t.localAddress('udp').port };
    const req = request('SIP/2.0/UDP 0.0.0.0;branch=z9hG4bK6', { method: 'MESSAGE', body: 'y'.repeat(3000) });
    assert.deepEqual(await a.t.send(req, dest), dest);
    await until(() => b.inbox.length === 1, 'request over UDP');
    assert.equal(getTopVia(b.inbox[0]!.message).transport, 'UDP');
    const huge = request('SIP/2.0/UDP 0.0.0.0;branch=z9hG4bK7', { method: 'MESSAGE', body: 'z'.repeat(70_000) });
    await assert.rejects(a.t.send(huge, dest), /ECONNREFUSED/);
  });
});

describe('TCP and TLS (§18.2.2 responses on the same connection)', () => {
  it('TCP: the response goes back over the connection the request came on', async () => {
    const a = await layer({ udpPort: 0 });
    const b = await layer({ tcpPort: 0 });
    const port = b.t.localAddress('tcp').port;
    const req = request('SIP/2.0/UDP ;branch=z9hG4bK8');
    await a.t.send(req, { protocol: 'tcp', address: '127.0.0.1', port });
    const aLocal = a.t.localAddress('tcp').port;
    assert.notEqual(aLocal, 0);
    assert.equal(req.headers.get('Via'), `SIP/2.0/TCP 127.0.0.1:${aLocal};branch=z9hG4bK8;rport`);
    await until(() => b.inbox.length === 1, 'request at b');
    const got = b.inbox[0]!;
    assert.match(got.source.connectionId ?? '', /^tcp-/);
    await b.t.send(createResponse(got.message as SipRequest, 200), got.source, { connectionId: got.source.connectionId! });
    await until(() => a.inbox.length === 1, 'response at a');
    assert.equal(a.inbox[0]!.source.protocol, 'tcp');
    assert.equal(a.inbox[0]!.source.port, port);
    assert.equal(a.t.stats().connections, 1);
    assert.equal(b.t.stats().connections, 1);
  });

  it('TCP: when that connection is gone, the response opens one to received + sent-by port', async () => {
    const a = await layer({ tcpPort: 0 });
    const b = await layer({ tcpPort: 0 });
    const client = connect(b.t.localAddress('tcp').port, '127.0.0.1');
    const req = request(`SIP/2.0/TCP 127.0.0.1:${a.t.localAddress('tcp').port};branch=z9hG4bK9;rport`);
    client.write(serializeMessage(req));
    await until(() => b.inbox.length === 1, 'request at b');
    client.destroy();
    await until(() => b.t.stats().connections === 0, 'connection closed at b');
    const got = b.inbox[0]!;
    await b.t.send(createResponse(got.message as SipRequest, 200), got.source, { connectionId: got.source.connectionId! });
    await until(() => a.inbox.length === 1, 'response at a');
    assert.equal((a.inbox[0]!.message as SipResponse).status, 200);
  });

  it('TLS: verified with the test CA, request and response on one connection', async () => {
    const pki = testPki();
    const a = await layer({ tls: { ca: pki.caPem } });
    const b = await layer({ tlsPort: 0, tls: { cert: readFileSync(pki.serverCertFile), key: readFileSync(pki.serverKeyFile) } });
    const dest = { protocol: 'tls' as const, address: '127.0.0.1', port: b.t.localAddress('tls').port, serverName: 'localhost' };
    await a.t.send(request('SIP/2.0/UDP 0.0.0.0;branch=z9hG4bKa'), dest);
    await until(() => b.inbox.length === 1, 'request over TLS');
    const got = b.inbox[0]!;
    assert.equal(getTopVia(got.message).transport, 'TLS');
    await b.t.send(createResponse(got.message as SipRequest, 202), got.source, { connectionId: got.source.connectionId! });
    await until(() => a.inbox.length === 1, 'response over TLS');
    assert.equal((a.inbox[0]!.message as SipResponse).status, 202);
  });

  it('TLS: a server the client cannot verify rejects the send with the OpenSSL code', async () => {
    const pki = testPki();
    const a = await layer({});
    const b = await layer({ tlsPort: 0, tls: { cert: readFileSync(pki.serverCertFile), key: readFileSync(pki.serverKeyFile) } });
    const dest = { protocol: 'tls' as const, address: '127.0.0.1', port: b.t.localAddress('tls').port, serverName: 'localhost' };
    await assert.rejects(a.t.send(request('SIP/2.0/UDP 0.0.0.0;branch=z9hG4bKb'), dest),
      { name: 'TransportError', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    assert.equal(a.t.stats().sendErrors, 1);
  });

  it('TCP: garbage closes that connection only; malformed framed requests get a 400 on it', async () => {
    const b = await layer({ tcpPort: 0 });
    const port = b.t.localAddress('tcp').port;
    const good = connect(port, '127.0.0.1');
    let answer = '';
    good.on('data', (d) => { answer += d.toString(); });
    const bad = connect(port, '127.0.0.1');
    bad.on('error', () => {});
    cleanups.push(() => { good.destroy(); bad.destroy(); });
    bad.write(Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) & 0x7f)));
    const text = 'OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:1;branch=z9hG4bKc\r\n' +
      'From: <sip:a@127.0.0.1>;tag=x\r\nTo: <sip:b@127.0.0.1>\r\nCall-ID: bad@x\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n';
    good.write(text);
    await until(() => answer.includes('\r\n\r\n'), '400 on the same connection');
    assert.match(answer, /^SIP\/2\.0 400 CSeq method "INVITE" does not match/);
    assert.equal(b.inbox.length, 0);
  });
});
