/**
 * Decides whether the playout delay should shrink (drop a frame) or grow (insert one), and when a
 * change may be made mid-speech. Pure: time and measurements come in as arguments.
 *
 *   target = clamp(spread + frame, min, max)         (spread: the delay quantile over the fastest packet)
 *   delay < target − frame/4             → want insert
 *   delay > target + frame + frame/4     → want drop    (one drop still leaves delay ≥ target)
 *
 * A want is applied at once in silence; mid-speech only after a wait (insertWaitMs; dropWaitMs,
 * shortened the further the delay is above target), which survives short dips back into the band.
 */
export type Want = 'none' | 'drop' | 'insert';

export interface DelayControllerOptions {
  frameMs: number;
  minDelayMs: number;
  maxDelayMs: number;
  initialDelayMs: number;
  dropWaitMs: number;
  insertWaitMs: number;
}

export class DelayController {
  /** [ms] */
  targetMs: number;
  want: Want = 'none';
  /** Direction waiting to be applied, since when, and when the delay was last out of the band [ms]. */
  private pending: Want = 'none';
  private pendingSinceMs = 0;
  private outOfBandMs = 0;
  private readonly hysteresisMs: number;

  constructor(private readonly o: DelayControllerOptions) {
    this.targetMs = clamp(o.initialDelayMs, o.minDelayMs, o.maxDelayMs);
    this.hysteresisMs = o.frameMs / 4;
  }

  /** New measurements: `spreadMs` (NaN while too few packets were seen) and the current delay. */
  update(nowMs: number, spreadMs: number, delayMs: number): void {
    if (Number.isNaN(spreadMs)) return;
    const { frameMs } = this.o;
    this.targetMs = clamp(spreadMs + frameMs, this.o.minDelayMs, this.o.maxDelayMs);
    const want: Want = delayMs < this.targetMs - this.hysteresisMs ? 'insert'
      : delayMs > this.targetMs + frameMs + this.hysteresisMs ? 'drop' : 'none';
    if (want === 'none') {
      if (nowMs - this.outOfBandMs > this.o.dropWaitMs) this.pending = 'none';
    } else {
      this.outOfBandMs = nowMs;
      if (want !== this.pending) {
        this.pending = want;
        this.pendingSinceMs = nowMs;
      }
    }
    this.want = want;
  }

  /** A drop may be made mid-speech now. */
  dropDue(nowMs: number, delayMs: number): boolean {
    const excessFrames = (delayMs - this.targetMs) / this.o.frameMs - 1;
    return excessFrames > 3 || (nowMs - this.pendingSinceMs) * Math.max(1, excessFrames) >= this.o.dropWaitMs;
  }

  /** An insert may be made mid-speech now. */
  insertDue(nowMs: number): boolean {
    return nowMs - this.pendingSinceMs >= this.o.insertWaitMs;
  }

  /** Whole frames the delay is above target (what silence may drop at once). */
  excessFrames(delayMs: number): number {
    return Math.floor((delayMs - this.targetMs) / this.o.frameMs);
  }

  /** One frame was dropped or inserted: wait for the next measurement. */
  adjusted(): void {
    this.want = 'none';
    this.pending = 'none';
  }
}

export function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
