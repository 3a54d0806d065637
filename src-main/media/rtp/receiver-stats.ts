/**
 * Reception statistics for one remote source, as RFC 3550 Appendix A specifies them:
 * A.1 sequence tracking (wrap, probation, dropout/misorder), A.3 expected/lost/fraction lost,
 * A.8 interarrival jitter. `onPacket` allocates nothing (it runs per received packet).
 */
import type { ReportBlock } from './rtcp.js';

/** A.1: packets in sequence before a source is valid. */
export const MIN_SEQUENTIAL = 2;
/** A.1: largest forward jump treated as loss rather than a restart [packets]. */
export const MAX_DROPOUT = 3000;
/** A.1: largest backward step treated as reordering [packets]. */
export const MAX_MISORDER = 100;
export const RTP_SEQ_MOD = 0x1_0000;

export type PacketVerdict = 'valid' | 'probation' | 'bad-sequence';

export class ReceiverStats {
  /** Highest sequence number seen. */
  private maxSeq = 0;
  /** Shifted count of sequence number cycles [× 65536]. */
  private cycles = 0;
  /** First sequence number of the valid run. */
  private baseSeq = 0;
  /** Last 'bad' sequence number + 1 (A.1). */
  private badSeq = RTP_SEQ_MOD + 1;
  /** Packets still needed in sequence before the source is valid. */
  private probation = MIN_SEQUENTIAL;
  /** Valid packets received (duplicates included, as A.1 counts them). */
  private received = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;
  /** Relative transit time of the previous packet [timestamp units]. */
  private transit = 0;
  private haveTransit = false;
  /** Interarrival jitter estimate [timestamp units], kept fractional. */
  private jitterTs = 0;
  private started = false;
  /** Compact NTP of the last SR from this source, and when it arrived [ms, local clock]. */
  private lastSr = 0;
  private lastSrArrivalMs = 0;

  /** @param clockRate RTP timestamp rate of the payload [Hz]. */
  constructor(readonly ssrc: number, private readonly clockRate: number) {}

  /**
   * One received RTP packet: A.1 `update_seq` plus the A.8 jitter update.
   * @param arrivalMs local arrival time [ms] (any monotonic clock)
   */
  onPacket(sequence: number, rtpTimestamp: number, arrivalMs: number): PacketVerdict {
    const verdict = this.updateSeq(sequence);
    if (verdict !== 'valid') return verdict;
    // A.8: D(i-1,i) = (Rj - Ri) - (Sj - Si), J += (|D| - J) / 16. RTP timestamps wrap at 2^32.
    const arrivalTs = (arrivalMs * this.clockRate) / 1000;
    const transit = arrivalTs - rtpTimestamp;
    if (this.haveTransit) {
      let d = transit - this.transit;
      // Reduce the 2^32 timestamp wrap to the nearest difference.
      d -= Math.round(d / 0x1_0000_0000) * 0x1_0000_0000;
      this.jitterTs += (Math.abs(d) - this.jitterTs) / 16;
    }
    this.transit = transit;
    this.haveTransit = true;
    return 'valid';
  }

  private initSeq(seq: number): void {
    this.baseSeq = seq;
    this.maxSeq = seq;
    this.badSeq = RTP_SEQ_MOD + 1;
    this.cycles = 0;
    this.received = 0;
    this.receivedPrior = 0;
    this.expectedPrior = 0;
    this.haveTransit = false;
  }

  /** RFC 3550 A.1 `update_seq`, transcribed. */
  private updateSeq(seq: number): PacketVerdict {
    if (!this.started) {
      // A.1: on the first packet, init_seq(s, seq); max_seq = seq - 1; probation = MIN_SEQUENTIAL.
      this.started = true;
      this.initSeq(seq);
      this.maxSeq = (seq - 1 + RTP_SEQ_MOD) % RTP_SEQ_MOD;
      this.probation = MIN_SEQUENTIAL;
    }
    const udelta = (seq - this.maxSeq + RTP_SEQ_MOD) % RTP_SEQ_MOD;
    if (this.probation > 0) {
      if (seq === (this.maxSeq + 1) % RTP_SEQ_MOD) {
        this.probation--;
        this.maxSeq = seq;
        if (this.probation === 0) {
          this.initSeq(seq);
          this.received++;
          return 'valid';
        }
      } else {
        this.probation = MIN_SEQUENTIAL - 1;
        this.maxSeq = seq;
      }
      return 'probation';
    }
    if (udelta < MAX_DROPOUT) {
      if (seq < this.maxSeq) this.cycles += RTP_SEQ_MOD;
      this.maxSeq = seq;
    } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
      // A very large jump: two sequential packets mean the source restarted.
      if (seq === this.badSeq) {
        this.initSeq(seq);
      } else {
        this.badSeq = (seq + 1) % RTP_SEQ_MOD;
        return 'bad-sequence';
      }
    }
    // else: duplicate or reordered packet.
    this.received++;
    return 'valid';
  }

  /** A.1: extended highest sequence number received. */
  get extendedMax(): number {
    return this.cycles + this.maxSeq;
  }

  /** A.3: packets expected since the first valid one. */
  get expected(): number {
    return this.received === 0 ? 0 : this.extendedMax - this.baseSeq + 1;
  }

  get packetsReceived(): number {
    return this.received;
  }

  /** A.3: cumulative lost, clamped to the signed 24-bit field. */
  get cumulativeLost(): number {
    return Math.max(-0x80_0000, Math.min(0x7f_ffff, this.expected - this.received));
  }

  /** Interarrival jitter [timestamp units], as the report block carries it. */
  get jitter(): number {
    return Math.floor(this.jitterTs);
  }

  get jitterMs(): number {
    return (this.jitterTs * 1000) / this.clockRate;
  }

  /** An SR arrived from this source (kept for LSR/DLSR, §6.4.1). */
  onSenderReport(compactNtp: number, arrivalMs: number): void {
    this.lastSr = compactNtp;
    this.lastSrArrivalMs = arrivalMs;
  }

  /**
   * The report block for this source, and A.3's interval bookkeeping (fraction lost is over the
   * interval since the previous call). Returns undefined before the first valid packet.
   */
  reportBlock(nowMs: number): ReportBlock | undefined {
    if (this.received === 0) return undefined;
    const expected = this.expected;
    const expectedInterval = expected - this.expectedPrior;
    const receivedInterval = this.received - this.receivedPrior;
    this.expectedPrior = expected;
    this.receivedPrior = this.received;
    const lostInterval = expectedInterval - receivedInterval;
    const fractionLost = expectedInterval === 0 || lostInterval <= 0
      ? 0 : Math.floor((lostInterval * 256) / expectedInterval);
    const dlsr = this.lastSr === 0 ? 0 : Math.round(((nowMs - this.lastSrArrivalMs) * 65536) / 1000);
    return {
      ssrc: this.ssrc,
      fractionLost: Math.min(255, fractionLost),
      cumulativeLost: this.cumulativeLost,
      highestSequence: this.extendedMax >>> 0,
      jitter: this.jitter >>> 0,
      lastSr: this.lastSr,
      delaySinceLastSr: Math.max(0, Math.min(0xffff_ffff, dlsr)),
    };
  }

  toJSON(): {
    ssrc: number; received: number; expected: number; lost: number; extendedMax: number;
    jitter: number; jitterMs: number; probation: boolean;
  } {
    return {
      ssrc: this.ssrc,
      received: this.received,
      expected: this.expected,
      lost: this.cumulativeLost,
      extendedMax: this.extendedMax,
      jitter: this.jitter,
      jitterMs: Math.round(this.jitterMs * 100) / 100,
      probation: this.probation > 0,
    };
  }
}
