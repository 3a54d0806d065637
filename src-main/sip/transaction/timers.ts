/** RFC 3261 §17 timer values (Table 4 of §A) and a named-timer helper for the state machines. */
import type { Clock, TimerHandle } from '../../util/clock.js';

export interface TimerSettings {
  /** RTT estimate [ms], 500 by default. */
  T1: number;
  /** Longest retransmit interval for non-INVITE requests and INVITE responses [ms], 4000. */
  T2: number;
  /** Longest time a message stays in the network [ms], 5000. */
  T4: number;
}

export const defaultTimerSettings: TimerSettings = { T1: 500, T2: 4000, T4: 5000 };

/** §17.2.1: an IST sends 100 Trying if the TU has not answered within 200 ms [ms]. */
export const tryingDelay = 200;

/**
 * Table 4 of RFC 3261 (and RFC 6026 §8.4 for L and M) [ms]. Values that are 0 on a reliable
 * transport mean "fire at once". Timer C (§16.6, > 3 min on a proxy's INVITE) is proxy-only and
 * not used by this user-agent stack: the UA bounds a ringing INVITE with its own expiry + CANCEL.
 */
export function timerValues(t: TimerSettings, reliable: boolean) {
  return {
    /** ICT INVITE retransmit, initially T1, doubles (unreliable only). */
    A: t.T1,
    /** ICT timeout. */
    B: 64 * t.T1,
    /** ICT wait for response retransmissions in Completed: ≥ 32 s unreliable, 0 reliable. */
    D: reliable ? 0 : Math.max(32000, 64 * t.T1),
    /** NICT retransmit, initially T1, doubles up to T2 (unreliable only). */
    E: t.T1,
    /** NICT timeout. */
    F: 64 * t.T1,
    /** IST response retransmit, initially T1, doubles up to T2 (unreliable only). */
    G: t.T1,
    /** IST wait for ACK. */
    H: 64 * t.T1,
    /** IST wait for ACK retransmissions in Confirmed. */
    I: reliable ? 0 : t.T4,
    /** NIST wait for request retransmissions in Completed. */
    J: reliable ? 0 : 64 * t.T1,
    /** NICT wait for response retransmissions in Completed. */
    K: reliable ? 0 : t.T4,
    /** RFC 6026 IST wait in Accepted for INVITE retransmissions / ACKs. */
    L: 64 * t.T1,
    /** RFC 6026 ICT wait in Accepted for 2xx retransmissions and forks. */
    M: 64 * t.T1,
  };
}

export type TimerValues = ReturnType<typeof timerValues>;

/** Named one-shot timers of one transaction; starting a name again replaces it. */
export class TimerSet<Name extends string> {
  private readonly handles = new Map<Name, TimerHandle>();

  constructor(private readonly clock: Clock) {}

  /** Start (or restart) a timer; a 0 ms timer runs fn at once (RFC "fires immediately"). */
  start(name: Name, ms: number, fn: () => void): void {
    this.stop(name);
    if (ms <= 0) {
      fn();
      return;
    }
    this.handles.set(name, this.clock.setTimeout(() => {
      this.handles.delete(name);
      fn();
    }, ms));
  }

  stop(name: Name): void {
    this.clock.clearTimeout(this.handles.get(name));
    this.handles.delete(name);
  }

  stopAll(): void {
    for (const h of this.handles.values()) this.clock.clearTimeout(h);
    this.handles.clear();
  }

  has(name: Name): boolean {
    return this.handles.has(name);
  }
}
