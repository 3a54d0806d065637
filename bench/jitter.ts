/**
 * Jitter buffer figures: playout quality over simulated networks (late loss, concealment, delay,
 * drift adjustments) and the cost of push+pop. Figures, not pass/fail.
 * Run alone: `node --import tsx bench/jitter.ts`.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { JitterBuffer } from '../src-main/media/jitter/jitter-buffer.js';

interface Scenario { name: string; jitterMs: number; loss: number; rate: number; seconds: number }

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x / 2 ** 32;
  };
}

function simulate(s: Scenario): Record<string, string | number> {
  const rnd = rng(42);
  const jb = new JitterBuffer({ clockRate: 8000, frameMs: 20 });
  const packets: Array<[number, number]> = [];
  for (let i = 0; i < s.seconds * 50; i++) {
    const lost = rnd() < s.loss;
    const at = (i * 20) / s.rate + rnd() * s.jitterMs;
    if (!lost) packets.push([i, at]);
  }
  packets.sort((a, b) => a[1] - b[1]);
  const payload = new Uint8Array(160);
  let next = 0;
  let delaySum = 0;
  let delayMax = 0;
  let samples = 0;
  const ticks = Math.floor((s.seconds * 50) / Math.max(1, s.rate));
  for (let k = 0; k < ticks; k++) {
    const t = k * 20;
    while (next < packets.length && packets[next]![1] <= t) {
      const [i, at] = packets[next++]!;
      jb.push({ sequence: i & 0xffff, timestamp: (i * 160) >>> 0, ssrc: 1, marker: false, payload }, at);
    }
    jb.pop(t);
    if (t >= 5000 && k % 5 === 0) {
      const d = jb.stats().delayMs;
      delaySum += d;
      delayMax = Math.max(delayMax, d);
      samples++;
    }
  }
  const st = jb.stats();
  return {
    scenario: s.name,
    'late %': +((100 * st.late) / st.received).toFixed(2),
    'concealed %': +((100 * st.concealed) / ticks).toFixed(2),
    'delay ms (mean/max)': `${(delaySum / samples).toFixed(1)} / ${delayMax.toFixed(1)}`,
    'target ms': +st.targetMs.toFixed(1),
    'drops/inserts': `${st.dropped}/${st.inserted}`,
  };
}

function throughput(): string {
  const jb = new JitterBuffer({ clockRate: 48000, frameMs: 20 });
  const payload = new Uint8Array(80);
  const n = 500_000;
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    jb.push({ sequence: i & 0xffff, timestamp: (i * 960) >>> 0, ssrc: 1, marker: false, payload }, i * 20 + (i % 7));
    jb.pop(i * 20 + 60);
  }
  const ns = ((performance.now() - start) * 1e6) / n;
  return `${ns.toFixed(0)} ns per push+pop (${n} frames, Opus 20 ms)`;
}

export function run(): void {
  const scenarios: Scenario[] = [
    { name: 'clean', jitterMs: 2, loss: 0, rate: 1, seconds: 120 },
    { name: 'jitter 20 ms', jitterMs: 20, loss: 0, rate: 1, seconds: 120 },
    { name: 'jitter 40 ms + 5% loss', jitterMs: 40, loss: 0.05, rate: 1, seconds: 120 },
    { name: 'jitter 80 ms + 5% loss', jitterMs: 80, loss: 0.05, rate: 1, seconds: 120 },
    { name: 'sender +0.5% (10 min)', jitterMs: 5, loss: 0, rate: 1.005, seconds: 600 },
    { name: 'sender -0.5% (10 min)', jitterMs: 5, loss: 0, rate: 0.995, seconds: 600 },
  ];
  console.table(scenarios.map(simulate));
  console.log(throughput());
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) run();
