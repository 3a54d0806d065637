/**
 * STUN Binding and the TURN client (RFC 8656) against real coturn on loopback, over UDP, TCP and
 * TLS: Allocate with long-term credentials, CreatePermission, Send/Data indications, ChannelBind
 * and ChannelData both ways, timer-driven refreshes (fake clock, real server), deallocation.
 */
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { describe, it } from 'node:test';
import { TestClock } from '../support/test-clock.js';
import { cryptoRandom } from '../../src-main/util/random.js';
import { discoverMapping } from '../../src-main/net/stun/binding.js';
import { parseStun } from '../../src-main/net/stun/message.js';
import { StunClient } from '../../src-main/net/stun/transaction.js';
import { openCarrier, type TurnTransport } from '../../src-main/net/turn/carrier.js';
import { CHANNEL_REFRESH_MS, TurnClient } from '../../src-main/net/turn/turn-client.js';
import type { TransportAddress } from '../../src-main/net/stun/attributes.js';
import { makeTestPki } from '../support/pki.js';
import { startCoturn, testScope, waitFor, type Coturn } from './harness/index.js';

function udpPeer(): Promise<{ socket: Socket; address: TransportAddress; received: { from: string; data: Buffer }[] }> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const received: { from: string; data: Buffer }[] = [];
    socket.on('message', (data, r) => received.push({ from: `${r.address}:${r.port}`, data }));
    socket.bind(0, '127.0.0.1', () => resolve({ socket, address: { family: 4, address: '127.0.0.1', port: socket.address().port }, received }));
  });
}

async function turnClient(server: Coturn, transport: TurnTransport, ca: string, password = server.password) {
  const port = transport === 'tls' ? server.tlsPort! : server.port;
  const carrier = await openCarrier({ transport, server: { host: '127.0.0.1', port }, ca, servername: 'localhost' });
  const clock = new TestClock();
  const client = new TurnClient({ carrier, server: { address: '127.0.0.1', port }, username: server.username, password, clock, random: cryptoRandom, software: 'nimbus-test' });
  return { client, clock, carrier };
}

describe('STUN and TURN against coturn (RFC 8489, RFC 8656)', () => {
  it('Binding over UDP: coturn reports our socket address as the mapping', async (t) => {
    const scope = testScope(t);
    const server = scope.use(await startCoturn({ dir: scope.dir }));
    const socket = createSocket('udp4');
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
    t.after(() => socket.close());
    const client = new StunClient({ send: (d, to) => socket.send(d, to.port, to.address), clock: new TestClock(), random: cryptoRandom });
    socket.on('message', (d) => { const r = parseStun(d); if (r.ok) client.handleResponse(r.message); });
    const result = await discoverMapping(client, { address: '127.0.0.1', port: server.port });
    assert.deepEqual(result, { ok: true, mapped: { family: 4, address: '127.0.0.1', port: socket.address().port } });
  });

  for (const transport of ['udp', 'tcp', 'tls'] as const) {
    it(`${transport.toUpperCase()}: allocate, relay both ways by indications and channels, refresh, deallocate`, async (t) => {
      const scope = testScope(t);
      const pki = makeTestPki(`${scope.dir}/pki`);
      const server = scope.use(await startCoturn({ dir: scope.dir, tls: { certFile: pki.serverCertFile, keyFile: pki.serverKeyFile } }));
      const peer = await udpPeer();
      t.after(() => peer.socket.close());
      const { client, clock } = await turnClient(server, transport, pki.caPem);
      t.after(() => client.close());

      const alloc = await client.allocate();
      assert.ok(alloc.ok, alloc.ok ? '' : alloc.reason);
      const relayed = alloc.value.relayed;
      assert.equal(relayed.address, '127.0.0.1');
      assert.equal(alloc.value.mapped?.address, '127.0.0.1');
      assert.ok(alloc.value.lifetime > 60 && alloc.value.lifetime <= 600, `lifetime ${alloc.value.lifetime}`);

      // §9: without a permission the server drops the peer's packets; with one they arrive.
      const fromPeer: Buffer[] = [];
      client.onData = (from, data) => { if (from.port === peer.address.port) fromPeer.push(Buffer.from(data)); };
      const perm = await client.createPermission([peer.address]);
      assert.ok(perm.ok, perm.ok ? '' : perm.reason);

      // §11: Send indication out, Data indication back.
      assert.ok(client.send(peer.address, Buffer.from('via-send-indication')));
      await waitFor(() => peer.received.find((p) => p.data.toString() === 'via-send-indication'), { timeoutMs: 5000, what: 'peer got the Send indication data' });
      assert.equal(peer.received[0]!.from, `${relayed.address}:${relayed.port}`, 'the peer sees the relayed address');
      peer.socket.send(Buffer.from('via-data-indication'), relayed.port, relayed.address);
      await waitFor(() => fromPeer.find((d) => d.toString() === 'via-data-indication'), { timeoutMs: 5000, what: 'client got the Data indication' });

      // §12: ChannelBind, then ChannelData both ways (odd length checks TCP padding).
      const channel = await client.bindChannel(peer.address);
      assert.ok(channel.ok && channel.value === 0x4000, JSON.stringify(channel));
      client.send(peer.address, Buffer.from('via-channel-odd'));
      await waitFor(() => peer.received.find((p) => p.data.toString() === 'via-channel-odd'), { timeoutMs: 5000, what: 'peer got ChannelData' });
      peer.socket.send(Buffer.from('back-through-channel'), relayed.port, relayed.address);
      await waitFor(() => fromPeer.find((d) => d.toString() === 'back-through-channel'), { timeoutMs: 5000, what: 'client got ChannelData' });

      // Timers on the injected clock, answered by the real server: channel refresh at 540 s,
      // allocation refresh 60 s before the lifetime ends.
      const before = client.stats();
      clock.advance(CHANNEL_REFRESH_MS);
      clock.advance((alloc.value.lifetime - 60) * 1000 - CHANNEL_REFRESH_MS);
      await waitFor(() => client.stats().refreshes === before.refreshes + 1, { timeoutMs: 5000, what: 'allocation refreshed' });
      assert.equal(client.state, 'allocated');
      client.send(peer.address, Buffer.from('after-refresh'));
      await waitFor(() => peer.received.find((p) => p.data.toString() === 'after-refresh'), { timeoutMs: 5000, what: 'relay still works after the refreshes' });

      // §8: Refresh with LIFETIME 0 deletes the allocation: the relay stops forwarding.
      const deleted = await client.refresh(0);
      assert.deepEqual(deleted, { ok: true, value: 0 });
      // coturn removes it on its next timer tick (about a second): probe until a probe is dropped.
      let dropped = false;
      for (let i = 0; i < 40 && !dropped; i++) {
        peer.socket.send(Buffer.from(`probe-${i}`), relayed.port, relayed.address);
        await new Promise((r) => setTimeout(r, 250));
        dropped = !fromPeer.some((d) => d.toString() === `probe-${i}`);
      }
      assert.ok(dropped, 'the relay still forwards 10 s after the allocation was deleted');
      await client.close();
      assert.equal(client.state, 'closed');
    });
  }

  it('a wrong password fails the Allocate with 401 and allocates nothing', async (t) => {
    const scope = testScope(t);
    const server = scope.use(await startCoturn({ dir: scope.dir }));
    const { client } = await turnClient(server, 'udp', '', 'wrong-password');
    t.after(() => client.close());
    const r = await client.allocate();
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.code, 401);
    assert.equal(client.state, 'failed');
  });
});
