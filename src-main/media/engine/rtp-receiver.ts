/**
 * The receive half of a call's audio, without a socket: datagram bytes and their source in,
 * audio (jitter buffer → decode/conceal → resample) and events out. Symmetric RTP with latching
 * (RFC 4961): only the SDP's IP may latch, in sequence (source-latch.ts); everything else is
 * dropped before any crypto. RTCP (RFC 3550 §6) is taken only from the latched peer. The SRTP
 * receive context (RFC 3711 §3.2.1) is rebuilt only when the peer's key changes.
 */
import type { CodecDescriptor } from '../codecs/codec.js';
import { DtmfReceiver } from '../dtmf/dtmf-receiver.js';
import type { RtpAudioPacket } from '../jitter/playout.js';
import { LossReportFilter } from '../rtp/loss-report-filter.js';
import { parseRtcp } from '../rtp/rtcp.js';
import type { RtcpSession } from '../rtp/rtcp-session.js';
import { emptyRtpHeader, isRtcp, parseRtpInto, readU32 } from '../rtp/rtp-packet.js';
import { RtpSourceLatch } from '../rtp/source-latch.js';
import type { SrtpSuiteName } from '../srtp/crypto-suite.js';
import { SrtpContext } from '../srtp/srtp-context.js';
import type { StreamConfig } from './protocol.js';
import { StreamPlayout } from './stream-playout.js';

export interface RtpReceiverEvents {
  dtmf(digit: string): void;
  noRtp(seconds: number): void;
  /** The peer's reported loss, filtered (percent): the encoder may spend on it. */
  peerLoss(percent: number): void;
}

/** Seconds without RTP (while we expect it) before the host hears about it. */
export const noRtpTimeoutS = 20;

const silence = new Int16Array(960);

export class RtpReceiver {
  private config: StreamConfig | undefined;
  private rtcp!: RtcpSession;
  private playback!: StreamPlayout;
  private latch: RtpSourceLatch | undefined;
  private srtp: SrtpContext | undefined;
  private keyId: string | undefined;
  private readonly lossFilter = new LossReportFilter();
  /** The peer's RTCP port as its RTCP reaches our RTCP port (without rtcp-mux a NAT maps it on its own). */
  rtcpPeerPort: number | undefined;
  private dtmfRx = new DtmfReceiver();
  private readonly header = emptyRtpHeader();
  private readonly jitterPacket: RtpAudioPacket = { sequence: 0, timestamp: 0, ssrc: 0, marker: false, payload: new Uint8Array(0) };
  private lastRtpMs: number;
  private noRtpReported = false;

  constructor(private readonly deviceRate: number, nowMs: number, private readonly events: RtpReceiverEvents) {
    this.lastRtpMs = nowMs;
  }

  /**
   * Starts or updates reception. `rtcp` is the stream's RTCP session (new with a new codec, as
   * its clock rate may change). A re-INVITE to the same address keeps the latch; a new address
   * listens again, for it only.
   */
  configure(config: StreamConfig, codec: CodecDescriptor | undefined, rtcp: RtcpSession): void {
    const previous = this.config;
    this.config = config;
    this.rtcp = rtcp;
    if (codec) {
      this.playback = new StreamPlayout(codec, this.deviceRate);
      // Joining long-event segments tolerates ~100 ms of lost reports at any clock rate (RFC 4733 §2.5.1.3).
      this.dtmfRx = new DtmfReceiver(codec.rtpClockRate / 10);
    }
    // Resuming playout: start from fresh arrivals, not what queued up while we were not playing.
    if (previous && previous.direction !== config.direction && this.receiving) this.playback.reset();
    if (this.latch) this.latch.setExpectedAddress(config.remoteAddress);
    else this.latch = new RtpSourceLatch(config.remoteAddress);
    if (previous?.remoteAddress !== config.remoteAddress) this.rtcpPeerPort = undefined;
  }

  /** The receive context (RFC 3711 §3.2.1): a peer re-key rebuilds it; unchanged keys keep its replay state. */
  setKeys(keys: StreamConfig['srtp']): void {
    const id = keys ? `${keys.suite} ${keys.remoteKey}` : undefined;
    if (id === this.keyId) return;
    this.srtp = keys ? new SrtpContext(keys.suite as SrtpSuiteName, Buffer.from(keys.remoteKey, 'base64')) : undefined;
    this.keyId = id;
  }

  /** Where the latched peer sends from (symmetric RTP answers there), once there is one. */
  get latched(): { address: string; port: number } | undefined {
    const latch = this.latch;
    return latch?.address !== undefined ? { address: latch.address, port: latch.port } : undefined;
  }

  /** The latched source's address (undefined before one latched) and port: per packet sent, no object. */
  get latchedAddress(): string | undefined {
    return this.latch?.address;
  }

  get latchedPort(): number {
    return this.latch?.port ?? 0;
  }

  /** One datagram from `address`:`port` (RTP or, muxed or not, RTCP). Throws only on a bug. */
  receive(data: Uint8Array, address: string, port: number, nowMs: number): void {
    if (!this.config) return;
    if (isRtcp(data)) this.onRtcp(data, address, port, nowMs, false);
    else this.onRtp(data, address, port, nowMs);
  }

  /**
   * One datagram on our own RTCP port (no rtcp-mux, RFC 3550 §11): RTCP only. Only RTCP that comes
   * here tells the peer's RTCP port: RTCP it muxes onto our RTP port is taken, but RFC 5761 §5.1.3
   * forbids answering it there.
   */
  receiveRtcp(data: Uint8Array, address: string, port: number, nowMs: number): void {
    if (this.config && isRtcp(data)) this.onRtcp(data, address, port, nowMs, true);
  }

  /** RTCP only from the latched peer (its IP, its SSRC as sender); what it reports moves the encoder within bounds. */
  private onRtcp(data: Uint8Array, address: string, port: number, now: number, onRtcpPort: boolean): void {
    // The sender SSRC sits in the clear in SRTCP too (RFC 3711 §3.4): check before any crypto.
    if (data.length < 8 || !this.latch!.isLatchedPeer(address, readU32(data, 4))) return;
    const plain = this.srtp ? this.srtp.unprotectRtcp(data) : data;
    if (!(plain instanceof Uint8Array)) return;
    const packets = parseRtcp(plain);
    if (!packets) return;
    if (onRtcpPort && !this.config!.rtcpMux) this.rtcpPeerPort = port;
    this.rtcp.onRtcp(packets, now);
    const peer = this.rtcp.peerReport;
    if (peer && peer.receivedAtMs === now) {
      const percent = this.lossFilter.onReport(peer.fractionLost, now);
      if (percent !== undefined) this.events.peerLoss(percent);
    }
  }

  private onRtp(data: Uint8Array, address: string, port: number, now: number): void {
    const config = this.config!;
    const latch = this.latch!;
    // Only the SDP's IP may ever latch: anything else is dropped before any work.
    if (!latch.fromExpectedAddress(address)) return;
    const plain = this.srtp ? this.srtp.unprotectRtp(data) : data;
    if (!(plain instanceof Uint8Array) || !parseRtpInto(plain, this.header)) return;
    const h = this.header;
    if (latch.onPacket(address, port, h.ssrc, h.sequence, now) !== 'accept') return;
    const payload = plain.subarray(h.payloadOffset, h.payloadOffset + h.payloadLength);
    if (h.payloadType === config.telephoneEventPt) {
      const digit = this.dtmfRx.push(payload, h.timestamp, h.marker);
      if (digit) this.events.dtmf(digit.digit);
    } else if (h.payloadType === config.payloadType) {
      if (!this.receiving) return;
      const j = this.jitterPacket;
      j.sequence = h.sequence;
      j.timestamp = h.timestamp;
      j.ssrc = h.ssrc;
      j.marker = h.marker;
      j.payload = payload;
      this.playback.push(j, now);
    } else {
      return;
    }
    this.rtcp.onRtpReceived(h.ssrc, h.sequence, h.timestamp, now);
    this.lastRtpMs = now;
    this.noRtpReported = false;
  }

  private get receiving(): boolean {
    const d = this.config?.direction;
    return d === 'sendrecv' || d === 'recvonly';
  }

  /** One device period of playout, added into `mix` (deviceRate). */
  playout(mix: Int32Array, nowMs: number): void {
    if (!this.config || !this.receiving) {
      this.playback?.idle();
      return;
    }
    this.checkNoRtp(nowMs);
    this.playback.playInto(mix, nowMs);
  }

  /** What was played in the last period (for the local conference's N−1 mix). */
  get lastPlayed(): Int16Array {
    return this.playback?.lastPlayed ?? silence;
  }

  playoutStats(): ReturnType<StreamPlayout['stats']> {
    return this.playback.stats();
  }

  private checkNoRtp(now: number): void {
    if (this.noRtpReported || now - this.lastRtpMs < noRtpTimeoutS * 1000) return;
    this.noRtpReported = true;
    this.events.noRtp(Math.round((now - this.lastRtpMs) / 1000));
  }

  /** Source checks and SRTP counters, for diagnostics and tests (never key material). */
  get security(): { latch: object | undefined; srtpRx: object | undefined; lossPercent: number } {
    return { latch: this.latch?.toJSON(), srtpRx: this.srtp?.toJSON(), lossPercent: this.lossFilter.percent };
  }
}
