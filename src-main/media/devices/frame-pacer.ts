/**
 * Calls `onFrame` once per frame period on an injected clock, scheduled by absolute time
 * (start + n·period), so timer lateness never accumulates into drift. When the timer runs late
 * by several periods the missed frames are delivered at once, up to `maxCatchUp`; beyond that they
 * are skipped (counted), as a real device would overrun.
 *
 * Timers are asked for in whole milliseconds, rounded up: Node's timers run on libuv's
 * millisecond loop clock, and a fractional delay made every period wake twice (once a fraction of
 * a millisecond early, to find nothing due, then again). A frame due within `EARLY_MS` counts as
 * due, for wakes that the millisecond clock still puts slightly early.
 */
import type { Clock, TimerHandle } from '../../util/clock.js';

export const DEFAULT_MAX_CATCH_UP = 5;
/** A wake this close before a frame's due time delivers it (ms). */
export const EARLY_MS = 1;

export class FramePacer {
  private startAt = 0;
  /** Frames delivered (or skipped) since start. */
  private done = 0;
  private timer: TimerHandle | undefined;
  private running = false;
  frames = 0;
  skipped = 0;

  constructor(
    private readonly clock: Clock,
    /** Period, ms. */
    private readonly periodMs: number,
    private readonly onFrame: () => void,
    private readonly maxCatchUp = DEFAULT_MAX_CATCH_UP,
  ) {}

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.startAt = this.clock.now();
    this.done = 0;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private readonly tick = (): void => {
    this.timer = undefined;
    if (!this.running) return;
    const due = Math.floor((this.clock.now() - this.startAt + EARLY_MS) / this.periodMs);
    if (due - this.done > this.maxCatchUp) {
      this.skipped += due - this.done - this.maxCatchUp;
      this.done = due - this.maxCatchUp;
    }
    while (this.done < due && this.running) {
      this.done++;
      this.frames++;
      this.onFrame();
    }
    if (this.running) this.schedule();
  };

  private schedule(): void {
    const nextAt = this.startAt + (this.done + 1) * this.periodMs;
    this.timer = this.clock.setTimeout(this.tick, Math.max(0, Math.ceil(nextAt - this.clock.now())));
  }
}
