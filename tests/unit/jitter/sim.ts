/** Drives a JitterBuffer from an arrival table and a playout clock, recording each tick's decision. */
import { JitterBuffer } from '../../../src-main/media/jitter/jitter-buffer.js';
import type { JitterBufferOptions, JitterStats, PlayoutDecision } from '../../../src-main/media/jitter/playout.js';

/** [sequence, timestamp, arrival ms, marker?, ssrc?] */
export type Arrival = [number, number, number, boolean?, number?];

/** The payload carries its sequence number so decisions can name the packet they play. */
export const payloadOf = (seq: number): Uint8Array => Uint8Array.of(seq & 0xff, (seq >> 8) & 0xff, 0x55);
const seqOf = (p: Uint8Array): number => p[0]! | (p[1]! << 8);

/** 'play 7', 'play 7 drop 6', 'conceal', 'conceal next 9', 'insert', '-' (silence). */
export function decisionText(d: PlayoutDecision): string {
  switch (d.kind) {
    case 'play': return `play ${seqOf(d.payload)}${d.dropped ? ` drop ${seqOf(d.dropped)}` : ''}`;
    case 'conceal': return d.next ? `conceal next ${seqOf(d.next)}` : 'conceal';
    case 'insert': return 'insert';
    case 'silence': return '-';
  }
}

export interface Tick {
  atMs: number;
  decision: string;
  timestamp: number;
  stats: JitterStats | undefined;
}

export interface SimOptions {
  frameMs?: number;
  /** Time of the first pop [ms]. */
  startMs?: number;
  ticks: number;
  /** Keep stats() of every tick (costly for long runs). */
  keepStats?: boolean;
  /** Called each tick (for sampling) with the buffer. */
  onTick?: (jb: JitterBuffer, atMs: number, d: PlayoutDecision) => void;
  quiet?: (atMs: number) => boolean;
}

/** Arrivals at or before a tick's time are pushed before that tick's pop. */
export function simulate(opts: Partial<JitterBufferOptions>, arrivals: readonly Arrival[], sim: SimOptions): { ticks: Tick[]; jb: JitterBuffer } {
  const frameMs = sim.frameMs ?? 20;
  const jb = new JitterBuffer({ clockRate: 8000, frameMs, ...opts });
  const sorted = [...arrivals].sort((a, b) => a[2] - b[2]);
  const ticks: Tick[] = [];
  let next = 0;
  for (let k = 0; k < sim.ticks; k++) {
    const at = (sim.startMs ?? 0) + k * frameMs;
    while (next < sorted.length && sorted[next]![2] <= at) {
      const [sequence, timestamp, arrivalMs, marker, ssrc] = sorted[next++]!;
      jb.push({ sequence, timestamp, ssrc: ssrc ?? 0x1234, marker: marker ?? false, payload: payloadOf(sequence) }, arrivalMs);
    }
    const d = jb.pop(at, sim.quiet?.(at) ?? false);
    sim.onTick?.(jb, at, d);
    ticks.push({ atMs: at, decision: decisionText(d), timestamp: d.timestamp, stats: sim.keepStats ? jb.stats() : undefined });
  }
  return { ticks, jb };
}

/** `count` packets of 20 ms at 8 kHz from seq/ts/arrival origins, one every 20 ms. */
export function steady(count: number, seq0 = 0, ts0 = 0, at0 = 0, frameUnits = 160, frameMs = 20): Arrival[] {
  return Array.from({ length: count }, (_, i) => [(seq0 + i) & 0xffff, (ts0 + i * frameUnits) >>> 0, at0 + i * frameMs] as Arrival);
}

/** Deterministic uniform [0, 1) (xorshift32), for reproducible jitter and loss. */
export function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x / 2 ** 32;
  };
}
