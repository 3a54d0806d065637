import { strict as assert } from 'node:assert';
import { createSocket, type Socket } from 'node:dgram';
import { after, test } from 'node:test';
import { seededRandom, startLossRelay, type LossRelay } from '../../interop/harness/loss-relay.js';

const HOST = '127.0.0.1';
const opened: Array<Socket | LossRelay> = [];
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

/** Collects datagrams arriving on `s` as strings. */
function inbox(s: Socket): string[] {
  const got: string[] = [];
  s.on('message', (m) => got.push(m.toString()));
  return got;
}

async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
const settle = () => new Promise((r) => setTimeout(r, 100));

/** A deterministic random source cycling through `values`. */
const cycle = (values: number[]) => { let i = 0; return () => values[i++ % values.length]!; };

test('forwards both ways without loss and routes replies to the right client', async () => {
  const target = await udp();
  target.on('message', (m, r) => target.send(`echo:${m.toString()}`, r.port, r.address));
  const relay = await startLossRelay({ target: { host: HOST, port: target.address().port }, lossPercent: 0 });
  opened.push(relay);
  const [a, b] = [await udp(), await udp()];
  const [gotA, gotB] = [inbox(a), inbox(b)];
  for (let i = 0; i < 5; i++) { a.send(`a${i}`, relay.port, HOST); b.send(`b${i}`, relay.port, HOST); }
  await until(() => gotA.length === 5 && gotB.length === 5);
  assert.deepEqual([...gotA].sort(), ['echo:a0', 'echo:a1', 'echo:a2', 'echo:a3', 'echo:a4']);
  assert.deepEqual([...gotB].sort(), ['echo:b0', 'echo:b1', 'echo:b2', 'echo:b3', 'echo:b4']);
  assert.deepEqual(relay.stats(), {
    forwarded: 20, dropped: 0, toTarget: { forwarded: 10, dropped: 0 }, toClient: { forwarded: 10, dropped: 0 },
  });
});

test('drops exactly the datagrams the random source selects, per direction', async () => {
  const target = await udp();
  const atTarget = inbox(target);
  target.on('message', (m, r) => target.send(`re:${m.toString()}`, r.port, r.address));
  // 20 % loss; the source yields 0.1 (drop) then 0.5, 0.9, 0.3, 0.7 (pass): every fifth decision drops.
  const relay = await startLossRelay({
    target: { host: HOST, port: target.address().port }, lossPercent: 20, random: cycle([0.1, 0.5, 0.9, 0.3, 0.7]),
  });
  opened.push(relay);
  const client = await udp();
  const got = inbox(client);
  for (let i = 0; i < 10; i++) {
    client.send(`m${i}`, relay.port, HOST);
    await settle(); // one datagram in flight at a time keeps the decision order fixed
  }
  // Decisions: m0 drop; m1 pass+reply pass; m2 pass+pass; m3 drop (6th value); m4, m5 pass; m6 drop; …
  assert.deepEqual(atTarget, ['m1', 'm2', 'm4', 'm5', 'm7', 'm8']);
  assert.deepEqual(got, ['re:m1', 're:m2', 're:m4', 're:m5', 're:m7', 're:m8']);
  assert.deepEqual(relay.stats(), {
    forwarded: 12, dropped: 4, toTarget: { forwarded: 6, dropped: 4 }, toClient: { forwarded: 6, dropped: 0 },
  });
});

test('statistical loss is close to the requested share with a seeded generator', async () => {
  const target = await udp();
  const relay = await startLossRelay({ target: { host: HOST, port: target.address().port }, lossPercent: 20, random: seededRandom(42) });
  opened.push(relay);
  const atTarget = inbox(target);
  const client = await udp();
  for (let i = 0; i < 1000; i++) {
    client.send(`x${i}`, relay.port, HOST);
    if (i % 20 === 19) await new Promise((r) => setTimeout(r, 2)); // stay within socket buffers
  }
  await until(() => relay.stats().toTarget.forwarded + relay.stats().toTarget.dropped === 1000);
  await until(() => atTarget.length === relay.stats().toTarget.forwarded);
  const share = relay.stats().toTarget.dropped / 1000;
  assert.ok(share > 0.16 && share < 0.24, `dropped share ${share}`);
});

test('setLoss(100) drops everything afterwards; stop() closes the port', async () => {
  const target = await udp();
  const atTarget = inbox(target);
  const relay = await startLossRelay({ target: { host: HOST, port: target.address().port }, lossPercent: 0 });
  const client = await udp();
  client.send('before', relay.port, HOST);
  await until(() => atTarget.length === 1);
  relay.setLoss(100);
  client.send('after', relay.port, HOST);
  await until(() => relay.stats().dropped === 1);
  assert.deepEqual(atTarget, ['before']);
  await relay.stop();
  const again = createSocket('udp4');
  await new Promise<void>((r, j) => { again.once('error', j); again.bind(relay.port, HOST, () => r()); });
  again.close();
});

test('refuses a target off loopback', async () => {
  await assert.rejects(startLossRelay({ target: { host: '192.0.2.1', port: 5060 }, lossPercent: 1 }), /loopback/);
});
