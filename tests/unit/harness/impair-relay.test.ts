import { strict as assert } from 'node:assert';
import { createSocket, type Socket } from 'node:dgram';
import { after, describe, it } from 'node:test';
import { DelayLine, startImpairRelay, type ImpairRelay } from '../../interop/harness/impair-relay.js';
import { seededRandom } from '../../support/seeded-random.js';
import { TestClock } from '../../support/test-clock.js';

const HOST = '127.0.0.1';
const opened: Array<Socket | ImpairRelay> = [];
after(async () => {
  for (const s of opened) {
    if ('stats' in s) await s.stop();
    else s.close();
  }
});

async function udp(): Promise<Socket> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, HOST, () => r()));
  opened.push(s);
  return s;
}

/** Datagrams arriving on `s` (as strings), and a promise for the first `n` of them. */
function inbox(s: Socket): { got: string[]; count(n: number): Promise<void> } {
  const got: string[] = [];
  const waiters: Array<{ n: number; done(): void }> = [];
  s.on('message', (m) => {
    got.push(m.toString());
    for (const w of waiters) if (got.length >= w.n) w.done();
  });
  return {
    got,
    count: (n) => new Promise((done) => (got.length >= n ? done() : waiters.push({ n, done }))),
  };
}

/** Yields to I/O (no timers) until `cond` holds. */
async function ioUntil(cond: () => boolean): Promise<void> {
  for (let i = 0; !cond(); i++) {
    if (i > 100_000) throw new Error('condition not met');
    await new Promise((r) => setImmediate(r));
  }
}

/** A deterministic random source cycling through `values`. */
const cycle = (values: number[]) => { let i = 0; return () => values[i++ % values.length]!; };

describe('DelayLine (one direction of the impair relay)', () => {
  it('drops on the loss draw, holds by the delay draw and releases in release order', () => {
    // 25 % loss, 40 ms jitter. Draws: a: keep, 0.5 → 20 ms; b: lost; c: keep, 0.1 → 4 ms; d: keep, 0.25 → 10 ms.
    const line = new DelayLine<string>({ lossPercent: 25, jitterMs: 40 }, cycle([0.9, 0.5, 0.2, 0.3, 0.1, 0.8, 0.25]));
    assert.equal(line.push('a', 0), 20);
    assert.equal(line.push('b', 1), 'lost');
    assert.equal(line.push('c', 2), 6);
    assert.equal(line.push('d', 3), 13);
    assert.equal(line.nextReleaseMs, 6);
    const out: string[] = [];
    line.release(5.9, (x) => out.push(x));
    assert.equal(out.length, 0, 'nothing due yet');
    line.release(13, (x) => out.push(x));
    assert.deepEqual(out, ['c', 'd']);
    line.release(100, (x) => out.push(x));
    assert.deepEqual(out, ['c', 'd', 'a']);
    assert.equal(line.nextReleaseMs, Infinity);
    assert.deepEqual(line.stats(), { received: 4, lost: 1, overflowed: 0, forwarded: 3, reordered: 1, maxDelayMs: 20 });
  });

  it('keeps arrival order for equal release times and with no jitter', () => {
    const line = new DelayLine<number>({ lossPercent: 0, jitterMs: 0 }, cycle([0.5]));
    for (let i = 0; i < 5; i++) assert.equal(line.push(i, 10), 10);
    const out: number[] = [];
    line.release(10, (x) => out.push(x));
    assert.deepEqual(out, [0, 1, 2, 3, 4]);
    assert.equal(line.stats().reordered, 0);
  });

  it('is bounded: beyond maxQueued held datagrams, arrivals are dropped as overflow', () => {
    const line = new DelayLine<number>({ lossPercent: 0, jitterMs: 40 }, cycle([0.5]), 2);
    assert.equal(line.push(1, 0), 20);
    assert.equal(line.push(2, 0), 20);
    assert.equal(line.push(3, 0), 'overflow');
    assert.equal(line.queued, 2);
    line.release(20, () => {});
    assert.equal(line.push(4, 20), 40);
    assert.deepEqual(line.stats(), { received: 4, lost: 0, overflowed: 1, forwarded: 2, reordered: 0, maxDelayMs: 20 });
  });

  it('5 % loss and 40 ms jitter over 20 000 datagrams at 20 ms spacing (seeded)', () => {
    const line = new DelayLine<number>({ lossPercent: 5, jitterMs: 40 }, seededRandom(3));
    let sum = 0;
    let kept = 0;
    for (let i = 0; i < 20_000; i++) {
      const at = line.push(i, i * 20);
      if (typeof at === 'number') { sum += at - i * 20; kept++; }
      line.release(i * 20, () => {});
    }
    line.release(Infinity, () => {});
    const s = line.stats();
    assert.ok(s.lost / s.received > 0.045 && s.lost / s.received < 0.055, `lost share ${s.lost / s.received}`);
    assert.equal(s.forwarded, kept);
    assert.ok(Math.abs(sum / kept - 20) < 0.5, `mean hold ${sum / kept} ms`);
    assert.ok(s.maxDelayMs < 40 && s.maxDelayMs > 39.9, `max hold ${s.maxDelayMs} ms`);
    // Two datagrams 20 ms apart swap when the first is held > 20 ms longer than the second: P = 1/8.
    const swapShare = s.reordered / s.forwarded;
    assert.ok(swapShare > 0.11 && swapShare < 0.14, `reordered share ${swapShare}`);
  });
});

describe('impair relay over loopback', () => {
  it('holds each datagram by its seeded delay (fake clock) and forwards in release order', async () => {
    const clock = new TestClock();
    const target = await udp();
    const atTarget = inbox(target);
    const relay = await startImpairRelay({ target: { host: HOST, port: target.address().port }, lossPercent: 0, jitterMs: 40, seed: 7, clock });
    opened.push(relay);
    const client = await udp();
    for (let i = 0; i < 8; i++) client.send(`m${i}`, relay.port, HOST);
    await ioUntil(() => relay.stats().toTarget.received === 8);
    // The same draws as the relay's client→target generator: loss (never below 0), then the delay.
    const draw = seededRandom(7);
    const holds = Array.from({ length: 8 }, (_, i) => { draw(); return { name: `m${i}`, ms: draw() * 40 }; });
    const expected = [...holds].sort((a, b) => a.ms - b.ms).map((h) => h.name);
    assert.notDeepEqual(expected, holds.map((h) => h.name), 'seed 7 reorders these eight');
    assert.deepEqual(atTarget.got, [], 'nothing leaves before the clock moves');
    clock.advance(40);
    await atTarget.count(8);
    assert.deepEqual(atTarget.got, expected);
    const s = relay.stats().toTarget;
    assert.equal(s.forwarded, 8);
    assert.ok(s.reordered > 0);
    assert.equal(s.maxDelayMs, Math.max(...holds.map((h) => h.ms)));
  });

  it('relays both ways between two peers: A sends to port, B to upstreamPort(A)', async () => {
    const [a, b] = [await udp(), await udp()];
    const relay = await startImpairRelay({ target: { host: HOST, port: b.address().port }, lossPercent: 0, jitterMs: 0 });
    opened.push(relay);
    const towardsA = await relay.upstreamPort({ host: HOST, port: a.address().port });
    const sources = { a: new Set<number>(), b: new Set<number>() };
    a.on('message', (_m, r) => sources.a.add(r.port));
    b.on('message', (_m, r) => sources.b.add(r.port));
    const [gotA, gotB] = [inbox(a), inbox(b)];
    for (let i = 0; i < 3; i++) {
      a.send(`a${i}`, relay.port, HOST);
      b.send(`b${i}`, towardsA, HOST);
    }
    await Promise.all([gotA.count(3), gotB.count(3)]);
    assert.deepEqual(gotA.got, ['b0', 'b1', 'b2']);
    assert.deepEqual(gotB.got, ['a0', 'a1', 'a2']);
    // Each peer hears from the address it sends to (symmetric RTP latches on it).
    assert.deepEqual([...sources.a], [relay.port]);
    assert.deepEqual([...sources.b], [towardsA]);
  });

  it('as a loss relay (no jitter): replies go back to the client that sent, each client its own upstream', async () => {
    const target = await udp();
    target.on('message', (m, r) => target.send(`echo:${m.toString()}`, r.port, r.address));
    const relay = await startImpairRelay({ target: { host: HOST, port: target.address().port }, lossPercent: 0, jitterMs: 0 });
    opened.push(relay);
    const [a, b] = [await udp(), await udp()];
    const [gotA, gotB] = [inbox(a), inbox(b)];
    for (let i = 0; i < 5; i++) { a.send(`a${i}`, relay.port, HOST); b.send(`b${i}`, relay.port, HOST); }
    await Promise.all([gotA.count(5), gotB.count(5)]);
    assert.deepEqual([...gotA.got].sort(), ['echo:a0', 'echo:a1', 'echo:a2', 'echo:a3', 'echo:a4']);
    assert.deepEqual([...gotB.got].sort(), ['echo:b0', 'echo:b1', 'echo:b2', 'echo:b3', 'echo:b4']);
    const { toTarget, toClient } = relay.stats();
    assert.deepEqual([toTarget.forwarded, toTarget.lost, toClient.forwarded, toClient.lost], [10, 0, 10, 0]);
  });

  it('with one given random source: drops exactly the datagrams it selects, one draw per datagram in either direction', async () => {
    const target = await udp();
    const atTarget = inbox(target);
    target.on('message', (m, r) => target.send(`re:${m.toString()}`, r.port, r.address));
    // 20 % loss; the source yields 0.1 (drop) then 0.5, 0.9, 0.3, 0.7 (pass): every fifth decision drops.
    const relay = await startImpairRelay({
      target: { host: HOST, port: target.address().port }, lossPercent: 20, jitterMs: 0, random: cycle([0.1, 0.5, 0.9, 0.3, 0.7]),
    });
    opened.push(relay);
    const client = await udp();
    const got = inbox(client);
    for (let i = 0; i < 10; i++) {
      client.send(`m${i}`, relay.port, HOST);
      // One datagram (and its reply) in flight at a time keeps the decision order fixed.
      await ioUntil(() => {
        const st = relay.stats();
        return st.toTarget.received === i + 1 && st.toClient.received === st.toTarget.forwarded;
      });
    }
    // Decisions: m0 drop; m1 pass+reply pass; m2 pass+pass; m3 drop (6th value); m4, m5 pass; m6 drop; …
    assert.deepEqual(atTarget.got, ['m1', 'm2', 'm4', 'm5', 'm7', 'm8']);
    await got.count(6);
    assert.deepEqual(got.got, ['re:m1', 're:m2', 're:m4', 're:m5', 're:m7', 're:m8']);
    const { toTarget, toClient } = relay.stats();
    assert.deepEqual([toTarget.forwarded, toTarget.lost, toClient.forwarded, toClient.lost], [6, 4, 6, 0]);
  });

  it('setImpairment({ lossPercent: 100 }) drops what arrives afterwards', async () => {
    const target = await udp();
    const atTarget = inbox(target);
    const relay = await startImpairRelay({ target: { host: HOST, port: target.address().port }, lossPercent: 0, jitterMs: 0 });
    opened.push(relay);
    const client = await udp();
    client.send('before', relay.port, HOST);
    await atTarget.count(1);
    relay.setImpairment({ lossPercent: 100 });
    client.send('after', relay.port, HOST);
    await ioUntil(() => relay.stats().toTarget.lost === 1);
    assert.deepEqual(atTarget.got, ['before']);
  });

  it('refuses a target or client off loopback', async () => {
    await assert.rejects(startImpairRelay({ target: { host: '192.0.2.1', port: 5004 }, lossPercent: 5, jitterMs: 40 }), /loopback/);
    const relay = await startImpairRelay({ target: { host: HOST, port: 9 }, lossPercent: 0, jitterMs: 0 });
    opened.push(relay);
    await assert.rejects(relay.upstreamPort({ host: '192.0.2.1', port: 5004 }), /loopback/);
  });
});
