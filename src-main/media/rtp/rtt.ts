/**
 * Round-trip time from the LSR/DLSR of report blocks about our source (RFC 3550 §6.4.1):
 * RTT = A − LSR − DLSR. `RoundTripEstimator` matches LSR against the SRs we actually sent and uses
 * our own send time for them, so a peer echoing garbage LSR yields no sample at all.
 */
import { COMPACT_NTP_PER_SECOND, compactNtpToMs } from './ntp.js';
import type { ReportBlock } from './rtcp.js';

/** §6.4.1 in compact NTP units (all 32-bit, wrapping): returns ms, or undefined when LSR is 0. */
export function roundTripMs(arrivalCompactNtp: number, lastSr: number, delaySinceLastSr: number): number | undefined {
  if (lastSr === 0) return undefined;
  const units = (arrivalCompactNtp - lastSr - delaySinceLastSr) >>> 0;
  // A negative result (clock skew, bogus DLSR) wraps to a huge value: treat anything over ~1 h as 0.
  return units > COMPACT_NTP_PER_SECOND * 3600 ? 0 : compactNtpToMs(units);
}

/** How many of our recent SRs are remembered for matching (reports come every ~5 s). */
export const SR_HISTORY = 8;

export class RoundTripEstimator {
  private readonly sentNtp = new Array<number>(SR_HISTORY).fill(0);
  private readonly sentAtMs = new Array<number>(SR_HISTORY).fill(0);
  private next = 0;
  private last: number | undefined;
  private smoothed: number | undefined;
  private samples = 0;

  /** We sent an SR whose NTP timestamp's middle 32 bits are `compactNtp`, at local `sentAtMs`. */
  onSenderReportSent(compactNtp: number, sentAtMs: number): void {
    this.sentNtp[this.next] = compactNtp;
    this.sentAtMs[this.next] = sentAtMs;
    this.next = (this.next + 1) % SR_HISTORY;
  }

  /** A report block about our source arrived at local `arrivalMs`; returns the RTT sample [ms]. */
  onReportBlock(block: Pick<ReportBlock, 'lastSr' | 'delaySinceLastSr'>, arrivalMs: number): number | undefined {
    if (block.lastSr === 0) return undefined;
    const i = this.sentNtp.indexOf(block.lastSr);
    if (i < 0) return undefined;
    const rtt = Math.max(0, arrivalMs - this.sentAtMs[i]! - compactNtpToMs(block.delaySinceLastSr));
    this.last = rtt;
    // Smoothed like TCP's SRTT (RFC 6298 §2, alpha = 1/8) for display.
    this.smoothed = this.smoothed === undefined ? rtt : this.smoothed + (rtt - this.smoothed) / 8;
    this.samples++;
    return rtt;
  }

  /** Latest sample [ms]. */
  get rttMs(): number | undefined {
    return this.last;
  }

  get smoothedRttMs(): number | undefined {
    return this.smoothed;
  }

  toJSON(): { rttMs: number | undefined; smoothedRttMs: number | undefined; samples: number } {
    const round = (v: number | undefined) => (v === undefined ? undefined : Math.round(v * 10) / 10);
    return { rttMs: round(this.last), smoothedRttMs: round(this.smoothed), samples: this.samples };
  }
}
