/**
 * One call's audio in the media worker: the socket adapter around the socket-free RtpSender
 * (capture → resample → encode → RTP/SRTP) and RtpReceiver (SRTP → RTP → jitter buffer → decode →
 * mix), with the stream's RTCP session between them. Symmetric RTP (RFC 4961): we send from the
 * port we receive on, to the source that latched once there is one, else to the SDP's address.
 * RTCP (RFC 3550 §6) on the same socket when muxed (RFC 5761), else between the RTCP ports: ours
 * is RTP + 1 (RFC 3550 §11, bound with the RTP port), the peer's its a=rtcp (RFC 3605) or RTP + 1,
 * or where its RTCP comes from (symmetric RTCP, RFC 4961). Never muxed to a peer that did not take
 * rtcp-mux (RFC 5761 §5.1.3).
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { LookupOneOptions } from 'node:dns';
import { isIP } from 'node:net';
import { systemWallClock, type Clock } from '../../util/clock.js';
import type { Random } from '../../util/random.js';
import { codecByName } from '../codecs/registry.js';
import { estimateMos } from '../rtp/mos.js';
import { buildRtcp } from '../rtp/rtcp.js';
import { RtcpSession } from '../rtp/rtcp-session.js';
import { randomRtpStart } from '../rtp/rtp-packet.js';
import type { StreamConfig, StreamStats } from './protocol.js';
import { RtpReceiver } from './rtp-receiver.js';
import { RtpSender } from './rtp-sender.js';
import { checkStreamConfig } from './stream-config-check.js';

export interface AudioStreamEvents {
  dtmf(digit: string): void;
  noRtp(seconds: number): void;
  /** Receiving threw: the worker ends this stream (and only it) with a notice. */
  failed(error: unknown): void;
}

const lastLookup = { address: '', family: 0 };

/**
 * The sockets' resolver: IP literals only, answered synchronously. No DNS is ever asked (a c=
 * host name would have cost a lookup per packet), and a packet leaves in the send call itself.
 */
function ipLiteralLookup(address: string, _options: LookupOneOptions | number, callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void): void {
  // Every packet asks: the last answer is kept (isIP runs a regular expression).
  if (address !== lastLookup.address) {
    lastLookup.address = address;
    lastLookup.family = isIP(address);
  }
  const family = lastLookup.family;
  if (family === 0) callback(Object.assign(new Error(`${address} is not an IP address literal`), { code: 'EINVAL' }), '', 0);
  else callback(null, address, family);
}

export class AudioStream {
  private config: StreamConfig | undefined;
  private readonly sender: RtpSender;
  private readonly receiver: RtpReceiver;
  private rtcp!: RtcpSession;
  /** c=0.0.0.0 / :: (RFC 3264 §8.4): nothing is sent at all. */
  private remoteUnspecified = false;
  /** Our RTCP port (RTP + 1) while RTCP is not multiplexed, or until the first configuration. */
  private rtcpSocket: Socket | undefined;
  private rtcpBinding = false;
  private closed = false;

  private constructor(
    readonly id: string,
    private readonly socket: Socket,
    rtcpSocket: Socket | undefined,
    /** `wallClockMs`: ms since the epoch for RTCP SR NTP stamps (RFC 3550 §6.4.1); Date.now by default. */
    private readonly deps: { clock: Clock; random: Random; deviceRate: number; cname: string; events: AudioStreamEvents; wallClockMs?: () => number },
  ) {
    this.sender = new RtpSender(randomRtpStart(deps.random), deps.deviceRate, {
      rtp: (wire, timestamp, payloadBytes) => this.onPacketOut(wire, timestamp, payloadBytes),
    });
    this.receiver = new RtpReceiver(deps.deviceRate, deps.clock.now(), {
      dtmf: (digit) => deps.events.dtmf(digit),
      noRtp: (seconds) => deps.events.noRtp(seconds),
      peerLoss: (percent) => this.sender.adaptToLoss(percent),
    });
    socket.on('message', (data, rinfo) => this.onDatagram(data, rinfo));
    this.attachRtcpSocket(rtcpSocket);
  }

  /**
   * Binds the RTP socket (an even port when we choose) and the RTCP socket on the next port
   * (RFC 3550 §11: what our SDP implies without a=rtcp). A chosen pair is tried again when the
   * next port is taken; a given port keeps going without RTCP socket (RTCP then needs rtcp-mux).
   */
  static async open(id: string, address: string, port: number | undefined, deps: AudioStream['deps']): Promise<AudioStream> {
    for (let attempt = 0; ; attempt++) {
      const socket = await bindUdp(address, port ?? 0);
      const rtpPort = socket.address().port;
      const retry = port === undefined && attempt < 10;
      if (retry && rtpPort % 2 !== 0) {
        socket.close();
        continue;
      }
      const rtcpSocket = rtpPort < 65535 ? await bindUdp(address, rtpPort + 1).catch(() => undefined) : undefined;
      if (retry && !rtcpSocket) {
        socket.close();
        continue;
      }
      socket.on('error', () => {});
      return new AudioStream(id, socket, rtcpSocket, deps);
    }
  }

  get localPort(): number {
    return this.socket.address().port;
  }

  /** Starts or updates the stream; throws (changing nothing) for a configuration it must refuse. */
  start(config: StreamConfig): void {
    const refused = checkStreamConfig(config);
    if (refused) throw new Error(`stream ${this.id}: ${refused}`);
    this.sender.checkKeys(config.srtp, this.id);
    const previous = this.config;
    const sameCodec = previous?.codec === config.codec && previous?.payloadType === config.payloadType && previous?.ptime === config.ptime;
    // RFC 3711 §3.2.1: one context per direction, each rebuilt only when its own key changes.
    this.receiver.setKeys(config.srtp);
    this.sender.setKeys(config.srtp);
    this.config = config;
    const codec = sameCodec ? undefined : codecByName(config.codec);
    if (codec) {
      this.sender.setCodec(codec, config);
      this.rtcp = new RtcpSession({
        ssrc: this.sender.ssrc, cname: this.deps.cname, clockRate: codec.rtpClockRate, random: this.deps.random, wallClockMs: this.deps.wallClockMs ?? systemWallClock,
      }, this.deps.clock.now());
    }
    this.receiver.configure(config, codec, this.rtcp);
    // With rtcp-mux the RTCP port is not needed (released); a re-offer without it binds it again.
    if (config.rtcpMux) this.closeRtcpSocket();
    else if (!this.rtcpSocket) this.openRtcpSocket();
    this.remoteUnspecified = isUnspecified(config.remoteAddress);
    this.sender.discard = this.remoteUnspecified;
  }

  private attachRtcpSocket(socket: Socket | undefined): void {
    if (!socket) return;
    socket.on('error', () => {});
    socket.on('message', (data, rinfo) => this.onRtcpDatagram(data, rinfo));
    this.rtcpSocket = socket;
  }

  /** RTP + 1 again, once; RTCP is not sent until it is bound (and never if it cannot be). */
  private openRtcpSocket(): void {
    if (this.rtcpBinding || this.closed) return;
    this.rtcpBinding = true;
    void bindUdp(this.socket.address().address, this.localPort + 1).then((socket) => {
      this.rtcpBinding = false;
      if (this.closed || this.rtcpSocket || this.config?.rtcpMux !== false) socket.close();
      else this.attachRtcpSocket(socket);
    }, () => {
      this.rtcpBinding = false;
    });
  }

  private closeRtcpSocket(): void {
    try {
      this.rtcpSocket?.close();
    } catch {
      // already closed
    }
    this.rtcpSocket = undefined;
  }

  private get sending(): boolean {
    const d = this.config?.direction;
    return d === 'sendrecv' || d === 'sendonly';
  }

  /** One captured device frame (deviceRate). Sends a packet whenever a ptime of audio is ready. */
  sendFrame(pcm: Int16Array): void {
    if (!this.config) return;
    if (this.sending) this.sender.frame(pcm);
    else this.sender.skip(pcm.length);
  }

  private onPacketOut(wire: Uint8Array | undefined, timestamp: number, payloadBytes: number): void {
    const now = this.deps.clock.now();
    this.rtcp.onRtpSent(timestamp, payloadBytes, now);
    if (wire) this.transmit(wire, false);
    if (now >= this.rtcp.nextReportAtMs) this.sendRtcp(buildRtcp(this.rtcp.buildReport(now)));
  }

  private sendRtcp(packet: Uint8Array): void {
    if (this.remoteUnspecified) return;
    this.transmit(this.sender.protectRtcp(packet), true);
  }

  /** Symmetric RTP (RFC 4961): to the latched source once there is one, else to the SDP's address. */
  private transmit(wire: Uint8Array, rtcp: boolean): void {
    const config = this.config!;
    const latchedAddress = this.receiver.latchedAddress;
    const latchedPort = latchedAddress === undefined ? undefined : this.receiver.latchedPort;
    const address = latchedAddress ?? config.remoteAddress;
    let port: number;
    let socket = this.socket;
    if (!rtcp || config.rtcpMux) port = latchedPort ?? config.remotePort;
    else {
      // RFC 5761 §5.1.3 / RFC 3605: from our RTCP port to the peer's (where its RTCP comes from;
      // else a=rtcp or RTP + 1, guessed next to its RTP source when a NAT moved that).
      if (!this.rtcpSocket) return;
      socket = this.rtcpSocket;
      port = this.receiver.rtcpPeerPort ?? (latchedPort !== undefined && latchedPort !== config.remotePort ? latchedPort + 1 : config.remoteRtcpPort);
    }
    if (port > 65535) return;
    // Without offset and length: dgram's send then makes no Buffer view of its own per packet.
    socket.send(wire, port, address);
  }

  /** Each datagram's work is isolated: a throw ends this stream only (the worker reports it). */
  private onDatagram(data: Buffer, rinfo: RemoteInfo): void {
    if (!this.config) return;
    try {
      this.receiver.receive(data, rinfo.address, rinfo.port, this.deps.clock.now());
    } catch (e) {
      this.deps.events.failed(e);
    }
  }

  /** A datagram on our RTCP port (no rtcp-mux): RTCP only, and its source is the peer's RTCP port. */
  private onRtcpDatagram(data: Buffer, rinfo: RemoteInfo): void {
    if (!this.config) return;
    try {
      this.receiver.receiveRtcp(data, rinfo.address, rinfo.port, this.deps.clock.now());
    } catch (e) {
      this.deps.events.failed(e);
    }
  }

  /** One device period of playout, added into `mix` (deviceRate). */
  playout(mix: Int32Array): void {
    this.receiver.playout(mix, this.deps.clock.now());
  }

  /** What this stream played in the last period (for the local conference's N−1 mix). */
  get lastPlayed(): Int16Array {
    return this.receiver.lastPlayed;
  }

  sendDtmf(digits: string): void {
    this.sender.sendDtmf(digits);
  }

  stats(): StreamStats | undefined {
    if (!this.config) return undefined;
    const receiver = this.rtcp.receiver;
    const expected = receiver?.expected ?? 0;
    const lost = Math.max(0, receiver?.cumulativeLost ?? 0);
    const lossPercent = expected > 0 ? (100 * lost) / expected : 0;
    const jitterMs = receiver?.jitterMs ?? 0;
    const rttMs = this.rtcp.rttMs;
    const j = this.receiver.playoutStats();
    return {
      codec: this.config.codec,
      packetsSent: this.sender.packetsSent,
      packetsReceived: receiver?.packetsReceived ?? 0,
      lossPercent,
      jitterMs,
      rttMs,
      mos: estimateMos({ codec: this.config.codec, lossPercent, jitterMs, rttMs: rttMs ?? 0 }).mos,
      concealedMs: (j.concealed + j.inserted) * this.config.ptime,
      lateLossPercent: j.received > 0 ? (100 * j.late) / j.received : 0,
    };
  }

  /** Source checks and SRTP counters, for diagnostics and tests (never key material). */
  get security(): { latch: object | undefined; srtpTx: object | undefined; srtpRx: object | undefined; lossPercent: number } {
    const rx = this.receiver.security;
    return { latch: rx.latch, srtpTx: this.sender.srtpStats, srtpRx: rx.srtpRx, lossPercent: rx.lossPercent };
  }

  close(): void {
    if (this.config) {
      try {
        this.sendRtcp(buildRtcp(this.rtcp.buildBye(this.deps.clock.now())));
      } catch {
        // the socket may already be gone
      }
    }
    this.closed = true;
    try {
      this.socket.close();
    } catch {
      // already closed
    }
    this.closeRtcpSocket();
  }
}

/** A UDP socket bound on `address`:`port` (0: any), or the bind error. */
function bindUdp(address: string, port: number): Promise<Socket> {
  const socket = createSocket({ type: address.includes(':') ? 'udp6' : 'udp4', lookup: ipLiteralLookup });
  return new Promise<Socket>((resolve, reject) => {
    socket.once('error', (e) => {
      socket.close();
      reject(e);
    });
    socket.bind(port, address, () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
  });
}

/** 0.0.0.0 or :: (RFC 3264 §8.4 hold the RFC 2543 way). */
function isUnspecified(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}
