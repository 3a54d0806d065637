/**
 * The timer behind a keep-alive (OPTIONS or STUN): running or stopped, one tick after each
 * `delay()`; the keep-alive asks for the next tick once its ping is answered.
 */
import type { Clock, TimerHandle } from '../../../util/clock.js';

export class KeepAliveTimer {
  private handle: TimerHandle | undefined;
  running = false;

  constructor(private readonly clock: Clock, private readonly delay: () => number, private readonly tick: () => void) {}

  /** The first tick after `delay()`, or at once (still asynchronously) when `now`. */
  start(now = false): void {
    if (this.running) return;
    this.running = true;
    this.next(now ? 0 : undefined);
  }

  stop(): void {
    this.running = false;
    this.clock.clearTimeout(this.handle);
  }

  /** The next tick, after `delay()` (or `ms`). */
  next(ms = this.delay()): void {
    this.handle = this.clock.setTimeout(() => {
      if (this.running) this.tick();
    }, ms);
  }
}
