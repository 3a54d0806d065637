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

/** A system timer's handle carries its Node timer: no lookup table, no closure per timer. */
interface SystemTimerHandle extends TimerHandle {
  readonly timeout: NodeJS.Timeout;
}

/**
 * The real clock: performance.now() and Node timers (unref'd, so they never keep a host alive).
 * The media worker's pacer takes a timer every 20 ms, so a timer costs only Node's own Timeout and
 * this handle (a Map of live timers and a wrapper closure were young-generation garbage each tick).
 */
export function systemClock(): Clock {
  let next = 1;
  return {
    now: () => performance.now(),
    setTimeout(fn, ms): SystemTimerHandle {
      const timeout = setTimeout(fn, ms);
      timeout.unref();
      return { id: next++, timeout };
    },
    clearTimeout(handle) {
      if (handle && 'timeout' in handle) clearTimeout((handle as SystemTimerHandle).timeout);
    },
  };
}

/** Wall-clock time, ms since the epoch: for times people read (history, RTCP NTP stamps), never for timers. */
export const systemWallClock = (): number => Date.now();

// The manual clock for tests is tests/support/test-clock.ts (TestClock), kept out of product code.
