/**
 * A manual Clock for floods: like util/clock.ts's FakeClock (time moves only on advance()), but
 * timers live in a binary heap so tens of thousands of transaction timers stay cheap.
 */
import type { Clock, TimerHandle } from '../../src-main/util/clock.js';

interface Entry {
  at: number;
  id: number;
  fn: () => void;
}

export class HeapClock implements Clock {
  private time = 0;
  private nextId = 1;
  private readonly heap: Entry[] = [];
  /** Ids of live timers; cleared ones are skipped lazily when they reach the top. */
  private readonly live = new Set<number>();

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.live.add(id);
    this.push({ at: this.time + Math.max(0, ms), id, fn });
    return { id };
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle) this.live.delete(handle.id);
  }

  /** Timers still pending. */
  get pending(): number {
    return this.live.size;
  }

  /** Move time forward by `ms`, firing due timers in (time, id) order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const top = this.heap[0];
      if (!top || top.at > end) break;
      this.pop();
      if (!this.live.delete(top.id)) continue;
      this.time = top.at;
      top.fn();
    }
    this.time = end;
  }

  private less(x: Entry, y: Entry): boolean {
    return x.at < y.at || (x.at === y.at && x.id < y.id);
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
