/**
 * Exactly one `ended` per call id (issue 16): the double `ended local-hangup` after a failed
 * transfer and quit, and a property over random command sequences and peer behaviours on the
 * unit harness (three call managers on the fake network, seeded, reproducible).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallEvent, Command } from '../../../src-main/contract/calls.js';
import type { Packet } from '../../support/fake-network.js';
import { seededRandom } from '../../support/seeded-random.js';
import { callOf, connect, desk, type Desk, FakeNetwork } from './support.js';

/** Per call id: how many `call` events said ended, and how many history records came. */
function endings(events: CallEvent[]): Map<string, { ended: number; history: number }> {
  const seen = new Map<string, { ended: number; history: number }>();
  const of = (id: string) => seen.get(id) ?? seen.set(id, { ended: 0, history: 0 }).get(id)!;
  for (const e of events) {
    if (e.type === 'call') {
      const n = of(e.call.id);
      if (e.call.state === 'ended') n.ended++;
    }
    if (e.type === 'history') of(e.record.callId).history++;
  }
  return seen;
}

function assertEndedOnce(d: Desk, context: string): void {
  for (const [id, n] of endings(d.events)) {
    assert.deepEqual(n, { ended: 1, history: 1 }, `${d.name}, call ${id}: ${context}`);
  }
}

test('a failed transfer then quit: one ended event for the call, not two', async () => {
  const net = new FakeNetwork();
  const a = desk(net, 'alice', '10.0.0.1');
  const b = desk(net, 'bob', '10.0.0.2', {}, { transferPolicy: 'any' });
  desk(net, 'carol', '10.0.0.3'); // rings, never answers: no final NOTIFY
  await connect(net, a, b);
  void a.manager.execute({ type: 'transfer', uri: 'sip:carol@10.0.0.3' });
  await net.run(500);
  assert.equal(callOf(a).state, 'transferring');
  a.manager.hangupAll(); // quit
  await net.run(500);
  const statuses = a.events.flatMap((e) => (e.type === 'transfer' ? [e.status] : []));
  assert.equal(statuses.at(-1), 'failed');
  const ends = a.events.filter((e) => e.type === 'call' && e.call.state === 'ended');
  assert.equal(ends.length, 1, `ended events: ${JSON.stringify(ends)}`);
  assertEndedOnce(a, 'failed transfer + quit');
});

const methods = ['INVITE', 'ACK', 'BYE', 'CANCEL', 'REFER', 'NOTIFY'] as const;

test('property: for random commands and peer behaviours, every call id ends exactly once on every desk', async () => {
  const runs = 60;
  const covered = { calls: 0, answered: 0, transfers: 0, held: 0 };
  for (let seed = 1; seed <= runs; seed++) {
    const rnd = seededRandom(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const net = new FakeNetwork();
    const desks = [
      desk(net, 'alice', '10.0.0.1', {}, { transferPolicy: 'any' }),
      desk(net, 'bob', '10.0.0.2', {}, { transferPolicy: 'any' }),
      desk(net, 'carol', '10.0.0.3', {}, { transferPolicy: 'any' }),
    ];
    // Peer behaviours: some answer by themselves, some reject, some stay silent; the network
    // loses a few requests and responses (each message type at most a few times).
    for (const d of desks) {
      const behaviour = pick(['answer', 'reject', 'silent', 'manual'] as const);
      d.manager.on('call', (call) => {
        if (call.direction !== 'incoming') return;
        if (behaviour === 'answer') queueMicrotask(() => void d.manager.execute({ type: 'answer', callId: call.id }));
        if (behaviour === 'reject') queueMicrotask(() => void d.manager.execute({ type: 'reject', callId: call.id, status: 486 }));
      });
    }
    for (let i = 0; i < 3; i++) {
      const method = pick(methods);
      const at = pick(desks).address;
      net.drop((p: Packet) => p.from.address === at && p.message.kind === 'request' && p.message.method === method, 1 + Math.floor(rnd() * 3));
    }
    const log: string[] = [];
    for (let step = 0; step < 14; step++) {
      const d = pick(desks);
      const other = pick(desks.filter((x) => x !== d));
      const calls = [...d.manager.calls.keys()];
      const callId = calls.length > 0 && rnd() < 0.8 ? pick(calls) : undefined;
      const commands: Command[] = [
        { type: 'dial', uri: other.uri },
        { type: 'answer', ...(callId ? { callId } : {}) },
        { type: 'hangup', ...(callId ? { callId } : {}) },
        { type: 'hold', ...(callId ? { callId } : {}) },
        { type: 'resume', ...(callId ? { callId } : {}) },
        { type: 'transfer', uri: pick(desks).uri, ...(callId ? { callId } : {}) },
        { type: 'reject', ...(callId ? { callId } : {}) },
        { type: 'mute' },
      ];
      const command = pick(commands);
      log.push(`${d.name}: ${JSON.stringify(command)}`);
      void d.manager.execute(command);
      await net.run(Math.floor(rnd() * 3000));
    }
    // Quit everywhere, then let every timer (transactions, NOTIFY waits) run out.
    for (const d of desks) d.manager.hangupAll();
    await net.run(70_000);
    for (const d of desks) {
      for (const e of d.events) {
        if (e.type === 'history') covered.calls++;
        if (e.type === 'history' && e.record.answeredAt !== undefined) covered.answered++;
        if (e.type === 'transfer') covered.transfers++;
        if (e.type === 'call' && e.call.state === 'held') covered.held++;
      }
      assertEndedOnce(d, `seed ${seed}, steps:\n${log.join('\n')}`);
      assert.equal(d.manager.getState().calls.length, 0, `seed ${seed}: ${d.name} has no call left`);
    }
  }
  // The sequences reach the interesting states (not only calls that never connect).
  for (const [what, n] of Object.entries(covered)) assert.ok(n >= 10, `${what}: ${n} across ${runs} runs`);
});

test('RFC 3515 / RFC 5589 §6: a REFER arriving while our re-INVITE gets no answer is followed at once', async () => {
  const net = new FakeNetwork();
  const a = desk(net, 'alice', '10.0.0.1', {}, { transferPolicy: 'any' });
  const b = desk(net, 'bob', '10.0.0.2');
  const c = desk(net, 'carol', '10.0.0.3');
  c.manager.on('call', (call) => queueMicrotask(() => void c.manager.answer(call.id)));
  await connect(net, a, b);
  // Bob never sees Alice's hold re-INVITE (nor its retransmissions).
  net.drop((p) => p.from.address === a.address && p.to.address === b.address && p.message.kind === 'request' && p.message.method === 'INVITE', Infinity);
  void a.manager.execute({ type: 'hold' });
  await net.run(1000);
  const t0 = net.clock.now();
  callOf(b).session.refer(`<${c.uri}>`);
  await net.run(1000);
  const toCarol = net.requests('INVITE').find((p) => p.to.address === c.address && p.from.address === a.address);
  assert.ok(toCarol, 'alice called carol');
  assert.ok(toCarol.at - t0 < 500, `alice called carol ${toCarol.at - t0} ms after the REFER`);
  const frags = net.requests('NOTIFY').filter((p) => p.from.address === a.address).map((p) => p.message.body.toString('utf8').trim());
  assert.deepEqual([frags[0], frags.at(-1)], ['SIP/2.0 100 Trying', 'SIP/2.0 200 OK']);
});
