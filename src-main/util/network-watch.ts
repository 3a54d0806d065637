/**
 * Notices when the machine's network changes (Wi-Fi roam, VPN up/down, cable back) by polling
 * the interface list (Node has no portable change event), and when it wakes from sleep: the wall
 * clock jumps ahead of the monotonic one (which stops while suspended). Hosts re-register then.
 */
import { networkInterfaces } from 'node:os';
import type { Clock, TimerHandle } from './clock.js';

export type InterfaceLister = () => ReturnType<typeof networkInterfaces>;

/** The external addresses, sorted: what matters for reachability. */
export function addressFingerprint(list: ReturnType<typeof networkInterfaces>): string {
  const addresses: string[] = [];
  for (const entries of Object.values(list)) {
    for (const e of entries ?? []) if (!e.internal) addresses.push(`${e.family}:${e.address}`);
  }
  return addresses.sort().join(',');
}

/** A wall-clock jump beyond the monotonic clock larger than this means the machine slept. */
export const resumeJumpMs = 30_000;

/**
 * Polls every `intervalMs` while busy (calls up: media must follow a roam quickly), else every
 * `idleIntervalMs` (each poll wakes an idle phone: a longer idle interval saves power; the
 * registration then follows a network change that much later).
 */
export class NetworkWatch {
  private last: string;
  private timer: TimerHandle | undefined;
  private lastWall = 0;
  private lastMono = 0;
  private busy = false;

  constructor(
    private readonly clock: Clock,
    private readonly onChange: (reason: 'network' | 'resume') => void,
    private readonly intervalMs = 3000,
    private readonly list: InterfaceLister = networkInterfaces,
    private readonly wallNow: () => number = Date.now,
    private readonly idleIntervalMs = intervalMs,
  ) {
    this.last = addressFingerprint(list());
  }

  start(): void {
    this.lastWall = this.wallNow();
    this.lastMono = this.clock.now();
    this.timer = this.clock.setTimeout(() => this.poll(), this.busy ? this.intervalMs : this.idleIntervalMs);
  }

  /** Calls are up (poll every intervalMs from now on) or all ended (idleIntervalMs after the next poll). */
  setBusy(busy: boolean): void {
    if (busy === this.busy) return;
    this.busy = busy;
    if (!busy || !this.timer) return;
    this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => this.poll(), this.intervalMs);
  }

  stop(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private poll(): void {
    const slept = this.wallNow() - this.lastWall - (this.clock.now() - this.lastMono) > resumeJumpMs;
    const now = addressFingerprint(this.list());
    if (now !== this.last) {
      this.last = now;
      this.onChange('network');
    } else if (slept) {
      this.onChange('resume');
    }
    this.start();
  }
}
