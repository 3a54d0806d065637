/**
 * Limits on connections other hosts open to us (TCP/TLS listeners): how many in total and per
 * source IP, how long a new one may take to deliver its first complete message, how long an
 * accepted one may stay idle. A desktop phone has no business holding thousands of sockets for
 * strangers (docs/security.md, "Signalling").
 */
import type { Clock } from '../../util/clock.js';
import { FoldedReports } from '../../util/folded-reports.js';
import type { TransportEvent } from './events.js';

export interface InboundLimits {
  /** Accepted connections open at once, all sources together. */
  maxConnections: number;
  /** Accepted connections open at once from one IP address. */
  maxPerAddress: number;
  /** A new connection must deliver one complete SIP message within this, ms (0 = no limit). */
  firstMessageMs: number;
  /** An accepted connection idle this long is closed, ms (0 = never). Flows we opened are exempt. */
  idleMs: number;
}

export const defaultInboundLimits: InboundLimits = { maxConnections: 64, maxPerAddress: 8, firstMessageMs: 10_000, idleMs: 120_000 };

/** Counts accepted connections per source address; admits while under both caps. */
export class InboundGate {
  private total = 0;
  private readonly perAddress = new Map<string, number>();

  constructor(private readonly limits: InboundLimits) {}

  /** Count a new connection from `address`; false (nothing counted) when a cap is reached. */
  admit(address: string): boolean {
    const n = this.perAddress.get(address) ?? 0;
    if (this.total >= this.limits.maxConnections || n >= this.limits.maxPerAddress) return false;
    this.total++;
    this.perAddress.set(address, n + 1);
    return true;
  }

  release(address: string): void {
    const n = this.perAddress.get(address);
    if (n === undefined) return;
    this.total--;
    if (n <= 1) this.perAddress.delete(address);
    else this.perAddress.set(address, n - 1);
  }

  get open(): number {
    return this.total;
  }
}

/** Refusals and closures reported without flooding: the first at once, then one summary per interval. */
export class EventTally extends FoldedReports<TransportEvent> {
  constructor(clock: Clock, report: (e: TransportEvent) => void, intervalMs = 10_000) {
    super(clock, report, intervalMs, (e, more) => ({ ...e, message: `${more}, latest: ${e.message}` }));
  }
}
