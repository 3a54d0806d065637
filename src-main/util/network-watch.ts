/**
 * Notices when the machine's network changes (Wi-Fi roam, VPN up/down, cable back) by polling
 * the interface list: Node has no portable change event. Hosts re-register when it fires.
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

export class NetworkWatch {
  private last: string;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly onChange: () => void,
    private readonly intervalMs = 3000,
    private readonly list: InterfaceLister = networkInterfaces,
  ) {
    this.last = addressFingerprint(list());
  }

  start(): void {
    this.timer = this.clock.setTimeout(() => this.poll(), this.intervalMs);
  }

  stop(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private poll(): void {
    const now = addressFingerprint(this.list());
    if (now !== this.last) {
      this.last = now;
      this.onChange();
    }
    this.start();
  }
}
