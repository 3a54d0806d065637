/**
 * The one manual Clock for tests and benches: time moves only on advance(); due timers fire in
 * (time, creation) order, each at its own time, including timers set by timers that fire. Timers
 * live in a binary heap (cleared ones are skipped lazily), so floods of tens of thousands of
 * transaction timers stay cheap; nextDue() lets a driver jump from event to event.
 */
import type { Clock, TimerHandle } from '../../src-main/util/clock.js';

interface Entry {
  at: number;
  id: number;
  fn: () => void;
}

export class TestClock implements Clock {
  private time = 0;
  private nextId = 1;
  private readonly heap: Entry[] = [];
  /** Ids of live timers; cleared ones leave the heap when they reach the top. */
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

  /** When the next live timer is due, if any. */
  nextDue(): number | undefined {
    this.dropCleared();
    return this.heap[0]?.at;
  }

  /** Move time forward by `ms`, firing due timers in (time, id) order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      this.dropCleared();
      const top = this.heap[0];
      if (!top || top.at > end) break;
      this.pop();
      this.live.delete(top.id);
      this.time = top.at;
      top.fn();
    }
    this.time = end;
  }

  private dropCleared(): void {
    while (this.heap.length > 0 && !this.live.has(this.heap[0]!.id)) this.pop();
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
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
