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

/** A manual clock for tests: time moves only when advance() is called; due timers fire in order. */
export class FakeClock implements Clock {
  private time = 0;
  private next = 1;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.next++;
    this.timers.set(id, { at: this.time + Math.max(0, ms), fn });
    return { id };
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle) this.timers.delete(handle.id);
  }

  /** Number of timers still pending. */
  get pending(): number {
    return this.timers.size;
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let dueId = -1;
      let dueAt = Infinity;
      for (const [id, t] of this.timers) {
        if (t.at <= end && (t.at < dueAt || (t.at === dueAt && id < dueId))) {
          dueId = id;
          dueAt = t.at;
        }
      }
      if (dueId < 0) break;
      const timer = this.timers.get(dueId)!;
      this.timers.delete(dueId);
      this.time = dueAt;
      timer.fn();
    }
    this.time = end;
  }
}
