/**
 * The timer behind a keep-alive (OPTIONS or STUN): running or stopped, one tick after each
 * `delay()`; the keep-alive asks for the next tick once its ping is answered.
 */
import type { Clock, TimerHandle } from '../../../util/clock.js';

export class KeepAliveTimer {
  private handle: TimerHandle | undefined;
  running = false;

  constructor(private readonly clock: Clock, private readonly delay: () => number, private readonly tick: () => void) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.next();
  }

  stop(): void {
    this.running = false;
    this.clock.clearTimeout(this.handle);
  }

  /** The next tick, after `delay()`. */
  next(): void {
    this.handle = this.clock.setTimeout(() => {
      if (this.running) this.tick();
    }, this.delay());
  }
}
