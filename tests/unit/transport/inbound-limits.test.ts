/** Limits on connections other hosts open to our TCP listener: caps, first-message and idle timeouts. */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { TestClock } from '../../support/test-clock.js';
import { StreamTransport } from '../../../src-main/sip/transport/stream-transport.js';
import { tcpDriver } from '../../../src-main/sip/transport/tcp-transport.js';
import { EventTally, InboundGate } from '../../../src-main/sip/transport/inbound-limits.js';
import type { TransportEvent } from '../../../src-main/sip/transport/events.js';

/** Wait on the kernel until `done()` holds or `ms` passed. */
async function until(done: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return true;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function listener(inbound: { maxConnections?: number; maxPerAddress?: number; firstMessageMs?: number; idleMs?: number }) {
  const clock = new TestClock();
  const events: TransportEvent[] = [];
  const messages: string[] = [];
  const t = new StreamTransport(tcpDriver, {
    bindAddress: '127.0.0.1', clock, keepAliveIntervalMs: 0, pongTimeoutMs: 500, idleTimeoutMs: 0, connectTimeoutMs: 10_000,
    inbound, onMessage: (_c, data) => messages.push(data.toString()), onEvent: (e) => events.push(e),
  });
  // Bind on all of 127/8 so clients can come from distinct loopback addresses.
  await t.listen(0);
  cleanups.push(() => t.close());
  return { t, clock, events, messages, port: t.listeningPort! };
}

/** A client socket from `from`; resolves once connected, with a flag that turns true when the server closes it. */
function client(port: number, from = '127.0.0.1'): Promise<{ socket: Socket; closed: () => boolean }> {
  return new Promise((resolve, reject) => {
    let closed = false;
    const socket = connect({ host: '127.0.0.1', port, localAddress: from });
    cleanups.push(() => void socket.destroy());
    socket.on('close', () => (closed = true));
    socket.on('error', () => {});
    socket.once('connect', () => resolve({ socket, closed: () => closed }));
    socket.once('error', reject);
  });
}

const options = 'OPTIONS sip:a@127.0.0.1 SIP/2.0\r\nContent-Length: 0\r\n\r\n';

describe('inbound TCP connections (docs/security.md, "Signalling")', () => {
  it('at most 8 per source address: the 9th from the same IP is closed at once, another IP still gets in', async () => {
    const { t, events, port } = await listener({});
    const same = await Promise.all(Array.from({ length: 10 }, () => client(port, '127.0.0.1')));
    assert.ok(await until(() => same.filter((c) => c.closed()).length === 2 && t.inboundCount === 8, 3000),
      `8 admitted, 2 closed (admitted ${t.inboundCount}, closed ${same.filter((c) => c.closed()).length})`);
    const other = await client(port, '127.0.0.2');
    assert.ok(await until(() => t.inboundCount === 9, 3000));
    assert.equal(other.closed(), false);
    assert.equal(events.filter((e) => e.kind === 'connection-refused').length, 1, 'refusals are reported in one summary, not one event each');
  });

  it('at most 64 in all, whatever the sources', async () => {
    const { t, port } = await listener({});
    const all = [];
    for (let host = 2; host < 12; host++) for (let i = 0; i < 8; i++) all.push(client(port, `127.0.0.${host}`));
    const clients = await Promise.all(all.map((p) => p.catch(() => undefined)));
    assert.ok(await until(() => t.inboundCount === 64 && clients.filter((c) => !c || c.closed()).length === 16, 3000),
      `64 admitted (got ${t.inboundCount})`);
  });

  it('a connection that sends no complete message within 10 s is closed; one that did is kept', async () => {
    const { t, clock, messages, port } = await listener({});
    const silent = await client(port);
    const talker = await client(port, '127.0.0.3');
    const slow = await client(port, '127.0.0.4');
    talker.socket.write(options);
    slow.socket.write(options.slice(0, 20)); // half a message never completes one
    assert.ok(await until(() => messages.length === 1 && t.inboundCount === 3, 3000));
    clock.advance(9_999);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(silent.closed(), false);
    clock.advance(1);
    assert.ok(await until(() => silent.closed() && slow.closed(), 3000), 'silent and incomplete connections closed');
    assert.equal(talker.closed(), false);
    assert.equal(t.inboundCount, 1, 'their slots are free again');
  });

  it('an accepted connection idle for 120 s is closed', async () => {
    const { clock, port } = await listener({});
    const c = await client(port);
    c.socket.write(options);
    await new Promise((r) => setTimeout(r, 50));
    clock.advance(119_000);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(c.closed(), false);
    clock.advance(1_000);
    assert.ok(await until(() => c.closed(), 3000));
  });
});

describe('InboundGate and EventTally', () => {
  it('counts per address and in all, and frees slots', () => {
    const gate = new InboundGate({ maxConnections: 3, maxPerAddress: 2, firstMessageMs: 0, idleMs: 0 });
    assert.deepEqual(['a', 'a', 'a', 'b', 'c'].map((x) => gate.admit(x)), [true, true, false, true, false]);
    gate.release('a');
    assert.equal(gate.admit('c'), true);
    assert.equal(gate.open, 3);
  });

  it('reports the first event at once and one summary per interval for the rest', () => {
    const clock = new TestClock();
    const out: string[] = [];
    const tally = new EventTally(clock, (e) => out.push(e.message), 10_000);
    const e = (n: number): TransportEvent => ({ kind: 'connection-refused', protocol: 'tcp', message: `refused ${n}` });
    for (let i = 0; i < 100; i++) tally.add(e(i));
    assert.deepEqual(out, ['refused 0']);
    clock.advance(10_000);
    assert.deepEqual(out, ['refused 0', '99 more in 10 s, latest: refused 99']);
    clock.advance(20_000);
    tally.add(e(100));
    assert.equal(out.at(-1), 'refused 100');
  });
});
