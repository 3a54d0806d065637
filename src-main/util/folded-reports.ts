import type { Clock, TimerHandle } from './clock.js';

/**
 * Reports a stream of similar things without flooding whoever listens: the first at once, then one
 * summary per interval saying how many more there were, made by `summary` from the latest one and
 * the words "N more in S s".
 */
export class FoldedReports<T> {
  private folded = 0;
  private latest: T | undefined;
  private last = Number.NEGATIVE_INFINITY;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly report: (item: T) => void,
    private readonly intervalMs: number,
    private readonly summary: (latest: T, more: string) => T,
  ) {}

  add(item: T): void {
    const now = this.clock.now();
    if (this.timer === undefined && now - this.last >= this.intervalMs) {
      this.last = now;
      this.report(item);
      return;
    }
    this.folded++;
    this.latest = item;
    this.timer ??= this.clock.setTimeout(() => this.flush(), Math.max(0, this.last + this.intervalMs - now));
  }

  stop(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private flush(): void {
    this.timer = undefined;
    const latest = this.latest;
    if (latest === undefined || this.folded === 0) return;
    this.report(this.summary(latest, `${this.folded} more in ${Math.round(this.intervalMs / 1000)} s`));
    this.folded = 0;
    this.latest = undefined;
    this.last = this.clock.now();
  }
}
