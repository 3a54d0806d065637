/**
 * RFC 8445 §14.3 pacing of connectivity-check retransmissions (fake clock, a base that records
 * what it sends and a peer that never answers): RTO = MAX(500 ms, Ta × (Waiting + In-Progress
 * pairs)), and a dead pair fails in seconds (19 × RTO), not after STUN's 39.5 s.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TestClock } from '../../support/test-clock.js';
import { cryptoRandom } from '../../../src-main/util/random.js';
import { IceAgent, type Endpoint } from '../../../src-main/media/ice/ice-agent.js';
import type { Candidate } from '../../../src-main/media/ice/candidate.js';

const remote = (i: number): Candidate => ({
  foundation: `f${i}`, component: 1, transport: 'udp', priority: 1000 - i, address: `198.51.100.${20 + i}`, port: 7000, type: 'host',
});

/** A controlling agent with one host candidate whose base records every datagram; `n` silent remote candidates. */
function silentPeers(n: number, ta = 50) {
  const clock = new TestClock();
  const sends: Array<{ at: number; to: Endpoint; data: Buffer }> = [];
  const agent = new IceAgent({ controlling: true, clock, random: cryptoRandom, ta });
  const base = agent.addBase({ send: (data, to) => sends.push({ at: clock.now(), to, data: Buffer.from(data) }) });
  agent.addLocalCandidate({ type: 'host', address: '198.51.100.2', port: 5000 }, base);
  agent.setRemote({ ufrag: 'abcd', pwd: 'abcdefghijklmnopqrstuvwx', candidates: Array.from({ length: n }, (_, i) => remote(i + 1)) });
  /** Send times of each transaction (first send and its retransmissions: the same bytes). */
  const transactions = () => {
    const byId = new Map<string, number[]>();
    for (const s of sends) {
      const id = s.data.subarray(8, 20).toString('hex');
      byId.set(id, [...byId.get(id) ?? [], s.at]);
    }
    return [...byId.values()];
  };
  return { clock, agent, sends, transactions };
}

/** Advance in 10 ms steps, letting transaction outcomes (promises) run between. */
async function run(clock: TestClock, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 10) {
    clock.advance(Math.min(10, ms - t));
    await new Promise<void>((r) => setImmediate(r));
  }
}

describe('connectivity-check retransmissions (RFC 8445 §14.3)', () => {
  it('one pair: RTO 500 ms, sends at 0, 0.5, 1.5, 3.5, 7.5 s, and the pair (so ICE) fails at 9.5 s', async () => {
    const { clock, agent, transactions } = silentPeers(1);
    agent.start();
    await run(clock, 9_000);
    assert.equal(agent.state, 'checking', 'not failed before 19 × RTO');
    await run(clock, 1_000);
    assert.equal(agent.state, 'failed', 'a dead pair fails in seconds, not after 39.5 s');
    const [check, ...others] = transactions();
    assert.equal(others.length, 0);
    assert.deepEqual(check!.map((t) => t - check![0]!), [0, 500, 1500, 3500, 7500]);
  });

  it('RTO = Ta × (Waiting + In-Progress) when that is over 500 ms: 20 pairs at Ta 50 ms space the first check\'s resends by 1 s', async () => {
    const { clock, agent, transactions } = silentPeers(20);
    agent.start();
    await run(clock, 4_000);
    const first = transactions()[0]!;
    // The first check goes out with all 20 pairs Waiting or In-Progress: RTO = 20 × 50 ms.
    assert.deepEqual(first.map((t) => t - first[0]!), [0, 1000, 3000]);
    // Checks sent later see fewer Waiting pairs: never below the 500 ms floor.
    for (const t of transactions()) if (t.length > 1) assert.ok(t[1]! - t[0]! >= 500, `resend after ${t[1]! - t[0]!} ms`);
    await run(clock, 30_000);
    assert.equal(agent.state, 'failed', 'every dead pair failed within 34 s (19 × RTO of at most 1 s, after 20 × Ta)');
  });

});
