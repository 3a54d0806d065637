import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { prng, simulate, type Arrival } from './sim.js';

/** 20 ms packets at 8 kHz: `count` of them, sender clock `rate` × real time, `jitterMs` uniform extra delay, `loss` share dropped. */
function network(count: number, o: { rate?: number; jitterMs?: number; loss?: number; seed?: number; spurt?: [onMs: number, offMs: number] } = {}): Arrival[] {
  const rnd = prng(o.seed ?? 7);
  const out: Arrival[] = [];
  const period = o.spurt ? (o.spurt[0] + o.spurt[1]) / 20 : 0;
  let seq = 0;
  for (let i = 0; i < count; i++) {
    const inSpurt = !o.spurt || i % period < o.spurt[0] / 20;
    const lost = rnd() < (o.loss ?? 0);
    const jitter = rnd() * (o.jitterMs ?? 0);
    if (!inSpurt) continue; // DTX: the sender sends nothing, its timestamps keep running
    const marker = !!o.spurt && i % period === 0;
    if (!lost) out.push([seq & 0xffff, (i * 160) >>> 0, (i * 20) / (o.rate ?? 1) + jitter, marker]);
    seq++;
  }
  return out;
}

describe('JitterBuffer: adaptation', () => {
  it('40 ms jitter with 5% loss: late loss < 1% after adaptation, delay ≈ the jitter', () => {
    const arrivals = network(3000, { jitterMs: 40, loss: 0.05, seed: 11 }); // 60 s
    let lateAt2s = 0;
    let receivedAt2s = 0;
    const { jb } = simulate({}, arrivals, {
      ticks: 3000,
      onTick: (b, at) => {
        if (at === 2000) ({ late: lateAt2s, received: receivedAt2s } = b.stats());
      },
    });
    const s = jb.stats();
    const lateRate = (s.late - lateAt2s) / (s.received - receivedAt2s);
    assert.ok(lateRate < 0.01, `late loss ${(lateRate * 100).toFixed(2)}%`);
    assert.ok(s.targetMs >= 40 && s.targetMs <= 70, `target ${s.targetMs}`);
    assert.ok(s.delayMs >= s.targetMs - 10 && s.delayMs <= s.targetMs + 30, `delay ${s.delayMs} vs target ${s.targetMs}`);
    assert.ok(Math.abs(s.lost - 150) < 40, `lost ${s.lost} of ~150 dropped by the network`);
    assert.ok(s.reordered > 100, 'this much jitter reorders packets');
  });

  it('calm link turning to 80 ms jitter + 5% loss: a few late packets while it grows, then < 1%', () => {
    const rnd = prng(5);
    const arrivals: Arrival[] = [];
    for (let i = 0; i < 3000; i++) {
      const lost = i >= 500 && rnd() < 0.05;
      const jitter = rnd() * (i < 500 ? 2 : 80); // the change comes at 10 s
      if (!lost) arrivals.push([i & 0xffff, i * 160, i * 20 + jitter]);
    }
    const at = new Map<number, { late: number; received: number; targetMs: number }>();
    const { jb } = simulate({}, arrivals, {
      ticks: 3000,
      onTick: (b, t) => {
        if (t === 10_000 || t === 12_000) at.set(t, b.stats());
      },
    });
    const s = jb.stats();
    assert.ok(at.get(10_000)!.targetMs < 30, 'calm link: low target');
    const lateWhileGrowing = at.get(12_000)!.late - at.get(10_000)!.late;
    assert.ok(lateWhileGrowing > 0 && lateWhileGrowing < 20, `${lateWhileGrowing} late while adapting`);
    const lateRate = (s.late - at.get(12_000)!.late) / (s.received - at.get(12_000)!.received);
    assert.ok(lateRate < 0.01, `late loss ${(lateRate * 100).toFixed(2)}% after adapting`);
    assert.ok(s.inserted >= 2, `grew by inserting frames (${s.inserted})`);
    assert.ok(s.targetMs >= 80 && s.targetMs <= 110, `target ${s.targetMs}`);
  });

  it('the target follows the jitter: calm link → near the minimum', () => {
    const { jb } = simulate({}, network(1000, { jitterMs: 4 }), { ticks: 1000 });
    const s = jb.stats();
    assert.ok(s.targetMs <= 25, `target ${s.targetMs}`);
    assert.ok(s.delayMs <= s.targetMs + 25, `delay ${s.delayMs} within the band above target ${s.targetMs}`);
    assert.equal(s.late, 0);
  });

  for (const [name, rate] of [['fast', 1.005], ['slow', 0.995]] as const) {
    it(`sender clock 0.5% ${name} over 10 minutes: delay stays bounded, one adjustment per ~4 s`, () => {
      const packets = 30_000; // 10 min of 20 ms frames on the sender's clock
      const arrivals = network(packets, { rate, jitterMs: 5, seed: 3 });
      let maxDelay = 0;
      let minDelay = Infinity;
      const { jb } = simulate({}, arrivals, {
        ticks: Math.floor(packets / rate),
        onTick: (b, at) => {
          if (at < 30_000 || at % 100 !== 0) return; // after the start-up excess is gone
          const d = b.stats().delayMs;
          maxDelay = Math.max(maxDelay, d);
          minDelay = Math.min(minDelay, d);
        },
      });
      const s = jb.stats();
      // The sender produces 0.5% more (fast) or less (slow) audio than we play: ~150 frames in 10 min.
      const expected = Math.abs(packets - packets / rate);
      const adjustments = rate > 1 ? s.dropped : s.inserted;
      const other = rate > 1 ? s.inserted : s.dropped;
      assert.ok(Math.abs(adjustments - expected) <= 0.1 * expected + 3, `${adjustments} adjustments for ${expected.toFixed(0)} frames of drift`);
      assert.ok(other <= 3, `${other} adjustments the wrong way`);
      assert.ok(maxDelay <= s.targetMs + 45 && minDelay >= s.targetMs - 10, `delay ${minDelay.toFixed(1)}…${maxDelay.toFixed(1)} ms, target ${s.targetMs}`);
      assert.ok(s.late <= 5, `late ${s.late}`);
    });
  }

  it('drift with talk spurts: every adjustment lands in the sender\'s silence, none mid-speech', () => {
    let midSpeech = 0;
    const { jb } = simulate({}, network(15_000, { rate: 1.005, jitterMs: 5, spurt: [2000, 1000] }), {
      ticks: Math.floor(15_000 / 1.005),
      onTick: (_b, at, d) => {
        // After the first spurt (whose start-up excess over the initial guess may be cut mid-speech).
        if (at > 3000 && ((d.kind === 'play' && d.dropped) || d.kind === 'insert')) midSpeech++;
      },
    });
    const s = jb.stats();
    assert.ok(s.dropped >= 65 && s.dropped <= 85, `dropped ${s.dropped} for ~75 frames of drift`);
    assert.equal(midSpeech, 0);
  });

  it('without silence, a wanted drop waits for a quiet frame (engine hint) before forcing one', () => {
    // Playout starts at 100 ms (initial guess) on a clean link (target 40 ms) and no silence follows.
    let firstDropAt = -1;
    simulate({ minDelayMs: 40, initialDelayMs: 100, dropWaitMs: 20_000 }, network(400), {
      ticks: 400,
      quiet: (at) => at >= 3000 && at < 3100,
      onTick: (_b, at, d) => {
        if (firstDropAt < 0 && d.kind === 'play' && d.dropped) firstDropAt = at;
      },
    });
    assert.equal(firstDropAt, 3000, 'dropped at the first quiet frame');
  });

  it('talk-spurt start re-anchors: excess delay is dropped in one go during the silence', () => {
    // Spurt 1 starts at 100 ms (initial guess) on a clean link (target 40 ms); mid-speech drops are held off.
    const arrivals = network(100, { spurt: [600, 400] });
    const { ticks, jb } = simulate({ minDelayMs: 40, initialDelayMs: 100, dropWaitMs: 60_000 }, arrivals, { ticks: 100 });
    const spurt2 = ticks.find((t) => t.decision === 'play 30')!; // ts 50 × 160 = 1000 ms, marker
    assert.equal(spurt2.atMs, 1000 + 40, 'the second spurt plays at the target delay');
    const spurt1 = ticks.find((t) => t.decision === 'play 0')!;
    assert.equal(spurt1.atMs, 100, 'the first spurt started 60 ms too late');
    assert.equal(jb.stats().dropped, 3);
  });
});
