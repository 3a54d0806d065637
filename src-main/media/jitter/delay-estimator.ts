/**
 * Network delay statistics over the last `window` packets, from their transit times
 * (arrival − RTP timestamp in ms, RFC 3550 §6.4.1: only differences matter, the offset is unknown).
 *
 * - `spreadMs(q)`: the q-quantile of (transit − lowest transit), i.e. how much later than the fastest
 *   packet the slowest 1−q of packets arrive: the headroom the buffer needs.
 * - `minTransitMs`: the fastest path, against which the playout delay is measured.
 * - `jitterMs`: RFC 3550 §A.8 interarrival jitter (J += (|D| − J) / 16), for reports.
 * Preallocated; the window is also kept sorted as packets come and go (one binary search and one
 * memmove each way per packet), so a quantile is a lookup: no sort, no allocation.
 */
export class DelayEstimator {
  /** Transit times [ms], ring of `window`. */
  private readonly transits: Float64Array;
  /** The same `count` transits, ascending. */
  private readonly sorted: Float64Array;
  private count = 0;
  private head = 0;
  private lastTransit = NaN;
  /** RFC 3550 interarrival jitter [ms]. */
  private jitter = 0;

  constructor(readonly window = 100, private readonly minSamples = 10) {
    this.transits = new Float64Array(window);
    this.sorted = new Float64Array(window);
  }

  add(transitMs: number): void {
    if (this.count === this.window) this.removeSorted(this.transits[this.head]!);
    this.insertSorted(transitMs);
    this.transits[this.head] = transitMs;
    this.head = (this.head + 1) % this.window;
    if (this.count < this.window) this.count++;
    if (!Number.isNaN(this.lastTransit)) this.jitter += (Math.abs(transitMs - this.lastTransit) - this.jitter) / 16;
    this.lastTransit = transitMs;
  }

  /** Enough packets seen to trust the quantile. */
  get ready(): boolean {
    return this.count >= this.minSamples;
  }

  get jitterMs(): number {
    return this.jitter;
  }

  get minTransitMs(): number {
    return this.count > 0 ? this.sorted[0]! : 0;
  }

  /** q-quantile (0..1) of transit above the fastest packet, ms. */
  spreadMs(q: number): number {
    if (this.count === 0) return 0;
    const i = Math.min(this.count - 1, Math.max(0, Math.ceil(q * this.count) - 1));
    return this.sorted[i]! - this.sorted[0]!;
  }

  /** Shift every stored transit (the playout timeline moved by `ms`, e.g. after a re-sync). */
  shift(ms: number): void {
    for (let i = 0; i < this.count; i++) {
      this.transits[i]! += ms;
      this.sorted[i]! += ms; // a uniform shift keeps the order
    }
    if (!Number.isNaN(this.lastTransit)) this.lastTransit += ms;
  }

  reset(): void {
    this.count = 0;
    this.head = 0;
    this.lastTransit = NaN;
    this.jitter = 0;
  }

  /** First index in sorted[0..count) whose value is ≥ v. */
  private lowerBound(v: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private insertSorted(v: number): void {
    const at = this.lowerBound(v);
    this.sorted.copyWithin(at + 1, at, this.count);
    this.sorted[at] = v;
  }

  /** Removes one occurrence of v (it is in the window); count is adjusted by the caller's add(). */
  private removeSorted(v: number): void {
    const at = this.lowerBound(v);
    this.sorted.copyWithin(at, at + 1, this.count);
    this.count--;
  }
}
