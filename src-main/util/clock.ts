/** Time is injected everywhere protocol logic runs, so tests use a fake clock and never sleep. */
export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
}

/** The real clock: performance.now() and Node timers (unref'd, so they never keep a host alive). */
export function systemClock(): Clock {
  const timers = new Map<number, NodeJS.Timeout>();
  let next = 1;
  return {
    now: () => performance.now(),
    setTimeout(fn, ms) {
      const id = next++;
      const t = setTimeout(() => {
        timers.delete(id);
        fn();
      }, ms);
      t.unref();
      timers.set(id, t);
      return { id };
    },
    clearTimeout(handle) {
      if (!handle) return;
      const t = timers.get(handle.id);
      if (t) {
        clearTimeout(t);
        timers.delete(handle.id);
      }
    },
  };
}

/** Wall-clock time, ms since the epoch: for times people read (history, RTCP NTP stamps), never for timers. */
export const systemWallClock = (): number => Date.now();

// The manual clock for tests is tests/support/test-clock.ts (TestClock), kept out of product code.
