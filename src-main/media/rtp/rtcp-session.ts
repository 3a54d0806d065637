/**
 * The RTCP side of one two-party RTP session (RFC 3550 §6), as a pure object: the engine feeds it
 * what was sent and received and asks for the next compound when `nextReportAtMs` is reached.
 * It produces SR (when we sent in the last two intervals, §6.4) or RR, plus SDES CNAME (§6.1),
 * and consumes incoming RTCP: the peer's SR (for our LSR/DLSR), report blocks about us (RTT and
 * the peer's view of our loss and jitter) and BYE.
 *
 * Interval (§6.2, simplified for two parties): the 5 s minimum dominates, so
 * T = Tmin × U[0.5, 1.5] with Tmin = 2.5 s for the first report. Departure: no timer
 * reconsideration (A.7) and no e−3/2 compensation; both matter only for large sessions.
 */
import type { Random } from '../../util/random.js';
import { compactNtp, ntpFromUnixMs } from './ntp.js';
import type { ReportBlock, RtcpPacket } from './rtcp.js';
import { RTCP_MAX_COUNT, SDES_CNAME } from './rtcp.js';
import { ReceiverStats, type PacketVerdict } from './receiver-stats.js';
import { RoundTripEstimator } from './rtt.js';

export const RTCP_MIN_INTERVAL_MS = 5000;
/** Resolution of the U[0.5, 1.5] draw from `Random.int`. */
const RANDOM_STEPS = 1_000_000;

export interface RtcpSessionOptions {
  /** Our SSRC. */
  ssrc: number;
  cname: string;
  /** RTP clock rate of what we send and receive [Hz]. */
  clockRate: number;
  random: Random;
  /** Wall clock [Unix ms] for SR NTP timestamps; every other time is the caller's monotonic ms. */
  wallClockMs: () => number;
  minIntervalMs?: number;
}

/** What the peer's latest report block says about our stream. */
export interface RemoteView {
  /** Fraction lost in the peer's last interval, 0..1. */
  fractionLost: number;
  cumulativeLost: number;
  /** Jitter the peer measured on our stream [ms]. */
  jitterMs: number;
  receivedAtMs: number;
}

export class RtcpSession {
  private packetsSent = 0;
  private octetsSent = 0;
  private lastRtpTimestamp = 0;
  private lastRtpSentAtMs = 0;
  /** Packet count at the last two reports, for §6.4's "sent in the last two intervals". */
  private countAtReport: [number, number] = [0, 0];
  private remote: ReceiverStats | undefined;
  private remoteView: RemoteView | undefined;
  private readonly rtt = new RoundTripEstimator();
  private byeReceived = false;
  private reportsSent = 0;
  private next: number;
  private readonly minIntervalMs: number;

  constructor(private readonly options: RtcpSessionOptions, nowMs: number) {
    this.minIntervalMs = options.minIntervalMs ?? RTCP_MIN_INTERVAL_MS;
    this.next = nowMs + this.interval(this.minIntervalMs / 2);
  }

  /** Local time [ms] at which `buildReport` should next be called. */
  get nextReportAtMs(): number {
    return this.next;
  }

  get ssrc(): number {
    return this.options.ssrc;
  }

  /** We sent one RTP packet (payload octets only count, §6.4.1). No allocation. */
  onRtpSent(rtpTimestamp: number, payloadOctets: number, nowMs: number): void {
    this.packetsSent = (this.packetsSent + 1) >>> 0;
    this.octetsSent = (this.octetsSent + payloadOctets) >>> 0;
    this.lastRtpTimestamp = rtpTimestamp;
    this.lastRtpSentAtMs = nowMs;
  }

  /** One RTP packet from the peer. A new SSRC (peer restarted its stream) starts fresh statistics. */
  onRtpReceived(ssrc: number, sequence: number, rtpTimestamp: number, arrivalMs: number): PacketVerdict {
    if (this.remote?.ssrc !== ssrc) this.remote = new ReceiverStats(ssrc, this.options.clockRate);
    return this.remote.onPacket(sequence, rtpTimestamp, arrivalMs);
  }

  /** A parsed incoming compound. */
  onRtcp(packets: readonly RtcpPacket[], arrivalMs: number): void {
    for (const p of packets) {
      switch (p.type) {
        case 'SR':
          this.remote ??= new ReceiverStats(p.ssrc, this.options.clockRate);
          if (this.remote.ssrc === p.ssrc) {
            this.remote.onSenderReport(compactNtp({ seconds: p.sender.ntpSeconds, fraction: p.sender.ntpFraction }), arrivalMs);
          }
          this.onReportBlocks(p.reports, arrivalMs);
          break;
        case 'RR':
          this.onReportBlocks(p.reports, arrivalMs);
          break;
        case 'BYE':
          if (this.remote && p.sources.includes(this.remote.ssrc)) this.byeReceived = true;
          break;
        default:
          break;
      }
    }
  }

  private onReportBlocks(blocks: readonly ReportBlock[], arrivalMs: number): void {
    for (const b of blocks) {
      if (b.ssrc !== this.options.ssrc) continue;
      this.rtt.onReportBlock(b, arrivalMs);
      this.remoteView = {
        fractionLost: b.fractionLost / 256,
        cumulativeLost: b.cumulativeLost,
        jitterMs: (b.jitter * 1000) / this.options.clockRate,
        receivedAtMs: arrivalMs,
      };
    }
  }

  /** The next SR/RR + SDES compound; schedules the one after. */
  buildReport(nowMs: number): RtcpPacket[] {
    const packets = [this.senderOrReceiverReport(nowMs), this.sdes()];
    this.next = nowMs + this.interval(this.minIntervalMs);
    return packets;
  }

  /** A final compound ending in BYE (§6.6). */
  buildBye(nowMs: number, reason?: string): RtcpPacket[] {
    const bye: RtcpPacket = reason === undefined
      ? { type: 'BYE', sources: [this.options.ssrc] }
      : { type: 'BYE', sources: [this.options.ssrc], reason };
    return [this.senderOrReceiverReport(nowMs), this.sdes(), bye];
  }

  private senderOrReceiverReport(nowMs: number): RtcpPacket {
    const block = this.remote?.reportBlock(nowMs);
    const reports = block ? [block] : [];
    if (reports.length > RTCP_MAX_COUNT) reports.length = RTCP_MAX_COUNT;
    const weSent = this.packetsSent !== this.countAtReport[0];
    this.countAtReport = [this.countAtReport[1], this.packetsSent];
    this.reportsSent++;
    if (!weSent) return { type: 'RR', ssrc: this.options.ssrc, reports };
    const ntp = ntpFromUnixMs(this.options.wallClockMs());
    this.rtt.onSenderReportSent(compactNtp(ntp), nowMs);
    // The RTP timestamp of the same instant as the NTP timestamp, extrapolated from the last packet.
    const elapsedTs = Math.round(((nowMs - this.lastRtpSentAtMs) * this.options.clockRate) / 1000);
    return {
      type: 'SR',
      ssrc: this.options.ssrc,
      sender: {
        ntpSeconds: ntp.seconds,
        ntpFraction: ntp.fraction,
        rtpTimestamp: (this.lastRtpTimestamp + elapsedTs) >>> 0,
        packetCount: this.packetsSent,
        octetCount: this.octetsSent,
      },
      reports,
    };
  }

  private sdes(): RtcpPacket {
    return { type: 'SDES', chunks: [{ ssrc: this.options.ssrc, items: [{ type: SDES_CNAME, value: this.options.cname }] }] };
  }

  private interval(baseMs: number): number {
    const u = 0.5 + this.options.random.int(RANDOM_STEPS + 1) / RANDOM_STEPS;
    return baseMs * u;
  }

  /** Statistics of the remote source we receive, if any. */
  get receiver(): ReceiverStats | undefined {
    return this.remote;
  }

  /** The peer's view of our stream, from its latest report block about us. */
  get peerReport(): RemoteView | undefined {
    return this.remoteView;
  }

  get rttMs(): number | undefined {
    return this.rtt.rttMs;
  }

  get remoteBye(): boolean {
    return this.byeReceived;
  }

  toJSON(): object {
    return {
      ssrc: this.options.ssrc,
      sent: { packets: this.packetsSent, octets: this.octetsSent, reports: this.reportsSent },
      received: this.remote?.toJSON(),
      peerReport: this.remoteView,
      rtt: this.rtt.toJSON(),
      remoteBye: this.byeReceived,
      nextReportAtMs: this.next,
    };
  }
}
