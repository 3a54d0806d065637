/**
 * Candidate pairs and their check states (RFC 8445 §6.1.2). One component, one data stream:
 * one checklist. Pure data and ordering; the agent drives it.
 *
 *   Frozen ─unfreeze─▶ Waiting ─check sent─▶ In-Progress ─2xx─▶ Succeeded
 *                                                  └──error/timeout──▶ Failed
 */
import { pairPriority, type Candidate } from './candidate.js';

export enum PairState { Frozen, Waiting, InProgress, Succeeded, Failed }

export interface CandidatePair {
  /** The local candidate whose base sends (host or relay; srflx is replaced by its base, §6.1.2.4). */
  local: Candidate;
  remote: Candidate;
  /** Index of the local base that sends for this pair. */
  baseId: number;
  priority: bigint;
  state: PairState;
  nominated: boolean;
  /** USE-CANDIDATE was received for it before it succeeded (controlled agent, §7.3.1.5). */
  nominateOnSuccess: boolean;
  /** Checks sent (first sends and triggered ones). */
  checks: number;
}

export const pairKey = (p: { local: Candidate; remote: Candidate }) =>
  `${p.local.address}:${p.local.port}|${p.remote.address}:${p.remote.port}`;

export class Checklist {
  readonly pairs: CandidatePair[] = [];
  /** §6.1.4.1 triggered-check queue (FIFO). */
  readonly triggered: CandidatePair[] = [];
  /** §6.1.2.5: most pairs kept. */
  static readonly MAX_PAIRS = 100;

  find(local: Candidate, remote: Candidate): CandidatePair | undefined {
    const k = pairKey({ local, remote });
    return this.pairs.find((p) => pairKey(p) === k);
  }

  /** Add a pair unless an equal one exists (§6.1.2.4 pruning); keeps the list sorted. */
  add(local: Candidate, remote: Candidate, baseId: number, controlling: boolean): CandidatePair | undefined {
    if (local.component !== remote.component) return undefined;
    if (local.address.includes(':') !== remote.address.includes(':')) return undefined;
    const existing = this.find(local, remote);
    if (existing) return existing;
    if (this.pairs.length >= Checklist.MAX_PAIRS) return undefined;
    const pair: CandidatePair = {
      local, remote, baseId, state: PairState.Frozen, nominated: false, nominateOnSuccess: false, checks: 0,
      priority: controlling ? pairPriority(local.priority, remote.priority) : pairPriority(remote.priority, local.priority),
    };
    this.pairs.push(pair);
    this.sort();
    return pair;
  }

  /** §6.1.2.3 after a role change priorities flip. */
  reprioritize(controlling: boolean): void {
    for (const p of this.pairs) {
      p.priority = controlling ? pairPriority(p.local.priority, p.remote.priority) : pairPriority(p.remote.priority, p.local.priority);
    }
    this.sort();
  }

  private sort(): void {
    this.pairs.sort((a, b) => (a.priority > b.priority ? -1 : a.priority < b.priority ? 1 : 0));
  }

  /**
   * §6.1.2.6: for each foundation pair the highest-priority pair becomes Waiting; with nothing
   * Waiting, the next Frozen pair is unfrozen so checks always progress.
   */
  unfreeze(): void {
    const seen = new Set<string>();
    for (const p of this.pairs) {
      const f = `${p.local.foundation}|${p.remote.foundation}`;
      if (seen.has(f)) continue;
      seen.add(f);
      if (p.state === PairState.Frozen) p.state = PairState.Waiting;
    }
  }

  /** Next pair to check (§6.1.4.2): the triggered queue first, then the best Waiting pair. */
  next(): CandidatePair | undefined {
    while (this.triggered.length) {
      const p = this.triggered.shift()!;
      if (p.state !== PairState.Succeeded && p.state !== PairState.InProgress) return p;
    }
    let waiting = this.pairs.find((p) => p.state === PairState.Waiting);
    if (!waiting) {
      waiting = this.pairs.find((p) => p.state === PairState.Frozen);
    }
    return waiting;
  }

  /** Best pair that succeeded (the valid list, §7.2.5.3.2). */
  bestValid(): CandidatePair | undefined {
    return this.pairs.find((p) => p.state === PairState.Succeeded);
  }

  /** All checks done and none succeeded: ICE failed (§8.1.2). */
  allFailed(): boolean {
    return this.pairs.length > 0 && this.pairs.every((p) => p.state === PairState.Failed);
  }
}
