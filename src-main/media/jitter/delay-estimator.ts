/**
 * Network delay statistics over the last `window` packets, from their transit times
 * (arrival − RTP timestamp in ms, RFC 3550 §6.4.1: only differences matter, the offset is unknown).
 *
 * - `spreadMs(q)`: the q-quantile of (transit − lowest transit), i.e. how much later than the fastest
 *   packet the slowest 1−q of packets arrive: the headroom the buffer needs.
 * - `minTransitMs`: the fastest path, against which the playout delay is measured.
 * - `jitterMs`: RFC 3550 §A.8 interarrival jitter (J += (|D| − J) / 16), for reports.
 * Preallocated; recomputing the quantile sorts a scratch copy in place (no allocation).
 */
export class DelayEstimator {
  /** Transit times [ms], ring of `window`. */
  private readonly transits: Float64Array;
  private readonly sorted: Float64Array;
  private count = 0;
  private head = 0;
  private dirty = false;
  private min = 0;
  private lastTransit = NaN;
  /** RFC 3550 interarrival jitter [ms]. */
  private jitter = 0;

  constructor(readonly window = 100, private readonly minSamples = 10) {
    this.transits = new Float64Array(window);
    this.sorted = new Float64Array(window);
  }

  add(transitMs: number): void {
    this.transits[this.head] = transitMs;
    this.head = (this.head + 1) % this.window;
    if (this.count < this.window) this.count++;
    this.dirty = true;
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
    this.refresh();
    return this.min;
  }

  /** q-quantile (0..1) of transit above the fastest packet, ms. */
  spreadMs(q: number): number {
    this.refresh();
    if (this.count === 0) return 0;
    const i = Math.min(this.count - 1, Math.max(0, Math.ceil(q * this.count) - 1));
    return this.sorted[i]! - this.min;
  }

  /** Shift every stored transit (the playout timeline moved by `ms`, e.g. after a re-sync). */
  shift(ms: number): void {
    for (let i = 0; i < this.count; i++) this.transits[i]! += ms;
    if (!Number.isNaN(this.lastTransit)) this.lastTransit += ms;
    this.dirty = true;
  }

  reset(): void {
    this.count = 0;
    this.head = 0;
    this.dirty = false;
    this.min = 0;
    this.lastTransit = NaN;
    this.jitter = 0;
  }

  private refresh(): void {
    if (!this.dirty) return;
    this.dirty = false;
    // Views only while the window fills; in steady state the full arrays are used as they are.
    const full = this.count === this.window;
    const view = full ? this.sorted : this.sorted.subarray(0, this.count);
    view.set(full ? this.transits : this.transits.subarray(0, this.count));
    view.sort();
    this.min = view[0] ?? 0;
  }
}
