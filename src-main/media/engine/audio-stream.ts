/**
 * One call's audio in the media worker: capture → resample → encode → RTP/SRTP → socket, and
 * socket → SRTP → RTP → jitter buffer → decode/conceal → resample → mix. Symmetric RTP with
 * latching (RFC 4961): we send from the port we receive on and answer the source that latched —
 * only one from the SDP's IP, in sequence (source-latch.ts); everything else is dropped. RTCP
 * (RFC 3550 §6) on the same socket when muxed (RFC 5761), else on the next port, taken only from
 * the latched peer. SRTP send and receive contexts are independent (RFC 3711 §3.2.1): each is
 * rebuilt only when its own key changes, and a send key is never used for a second context.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { LookupOneOptions } from 'node:dns';
import { isIP } from 'node:net';
import type { Clock } from '../../util/clock.js';
import type { Random } from '../../util/random.js';
import { codecByName } from '../codecs/registry.js';
import type { AudioEncoder, CodecDescriptor } from '../codecs/codec.js';
import { createRateConverter, type RateConverter } from '../dsp/rate-converter.js';
import { DtmfReceiver } from '../dtmf/dtmf-receiver.js';
import { DtmfSender } from '../dtmf/dtmf-sender.js';
import type { RtpAudioPacket } from '../jitter/playout.js';
import { estimateMos } from '../rtp/mos.js';
import { buildRtcp, parseRtcp } from '../rtp/rtcp.js';
import { RtcpSession } from '../rtp/rtcp-session.js';
import { emptyRtpHeader, isRtcp, parseRtpInto, randomRtpStart, readU32, writeRtpHeader } from '../rtp/rtp-packet.js';
import { LossReportFilter } from '../rtp/loss-report-filter.js';
import { RtpSourceLatch } from '../rtp/source-latch.js';
import { SrtpContext } from '../srtp/srtp-context.js';
import type { SrtpSuiteName } from '../srtp/crypto-suite.js';
import type { StreamConfig, StreamStats } from './protocol.js';
import { checkStreamConfig } from './stream-config-check.js';
import { StreamPlayout } from './stream-playout.js';

export interface AudioStreamEvents {
  dtmf(digit: string): void;
  noRtp(seconds: number): void;
  /** Receiving threw: the worker ends this stream (and only it) with a notice. */
  failed(error: unknown): void;
}

/** Seconds without RTP (while we expect it) before the host hears about it. */
export const noRtpTimeoutS = 20;
const maxPacket = 1500;
const outRingSize = 8;

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

const silence = new Int16Array(960);

export class AudioStream {
  private config: StreamConfig | undefined;
  private codec!: CodecDescriptor;
  private encoder!: AudioEncoder;
  private down!: RateConverter;
  /** One ptime of PCM at the codec rate (send side accumulates into it). */
  private sendPcm!: Int16Array;
  private sendFill = 0;
  private readonly scratch = new Int16Array(4800);
  private playback!: StreamPlayout;
  /**
   * Outgoing packets rotate through these buffers: a datagram may still be queued when the next
   * one is written (two 10 ms packets per 20 ms device frame), so one shared buffer would send the
   * second packet twice. Preallocated: no allocation per packet.
   */
  private readonly outRing = Array.from({ length: outRingSize }, () => new Uint8Array(maxPacket + 16));
  private outIndex = 0;
  private srtpTx: SrtpContext | undefined;
  private srtpRx: SrtpContext | undefined;
  /** Which key each SRTP context was built from (suite + key), to rebuild only what changed. */
  private txKeyId: string | undefined;
  private rxKeyId: string | undefined;
  /** RFC 3711 §9.1: every send key this stream has used; a second context under one is refused. */
  private readonly usedSendKeys = new Set<string>();
  private latch: RtpSourceLatch | undefined;
  private readonly lossFilter = new LossReportFilter();
  /** The peer's RTCP port as its RTCP arrives (without rtcp-mux a NAT maps it on its own). */
  private rtcpPeerPort: number | undefined;
  /** c= was 0.0.0.0 / :: (RFC 3264 §8.4): nothing is sent at all. */
  private remoteUnspecified = false;
  private rtcp!: RtcpSession;
  private dtmfTx: DtmfSender | undefined;
  private dtmfRx = new DtmfReceiver();
  private readonly header = emptyRtpHeader();
  private readonly jitterPacket: RtpAudioPacket = { sequence: 0, timestamp: 0, ssrc: 0, marker: false, payload: new Uint8Array(0) };
  private sequence: number;
  private timestamp: number;
  private readonly ssrc: number;
  private marker = true;
  private lastRtpMs: number;
  private noRtpReported = false;
  private packetsSent = 0;
  private rtcpSocket: Socket | undefined;

  private constructor(
    readonly id: string,
    private readonly socket: Socket,
    private readonly deps: { clock: Clock; random: Random; deviceRate: number; cname: string; events: AudioStreamEvents },
  ) {
    const start = randomRtpStart(deps.random);
    this.ssrc = start.ssrc;
    this.sequence = start.sequence;
    this.timestamp = start.timestamp;
    this.lastRtpMs = deps.clock.now();
    socket.on('message', (data, rinfo) => this.onDatagram(data, rinfo));
  }

  /** Binds the RTP socket (an even port when we choose, RFC 3550 §11). */
  static async open(id: string, address: string, port: number | undefined, deps: AudioStream['deps']): Promise<AudioStream> {
    for (let attempt = 0; ; attempt++) {
      const socket = createSocket({ type: address.includes(':') ? 'udp6' : 'udp4', lookup: ipLiteralLookup });
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(port ?? 0, address, () => {
          socket.off('error', reject);
          resolve();
        });
      });
      if (port !== undefined || socket.address().port % 2 === 0 || attempt >= 10) {
        socket.on('error', () => {});
        return new AudioStream(id, socket, deps);
      }
      socket.close();
    }
  }

  get localPort(): number {
    return this.socket.address().port;
  }

  /** Starts or updates the stream; throws (changing nothing) for a configuration it must refuse. */
  start(config: StreamConfig): void {
    const refused = checkStreamConfig(config);
    if (refused) throw new Error(`stream ${this.id}: ${refused}`);
    const previous = this.config;
    const sameCodec = previous?.codec === config.codec && previous?.payloadType === config.payloadType && previous?.ptime === config.ptime;
    this.setupSrtp(config);
    this.config = config;
    if (!sameCodec) this.setupCodec(config);
    // Resuming playout: start from fresh arrivals, not what queued up while we were not playing.
    if (previous && previous.direction !== config.direction && this.receiving) this.playback.reset();
    if (!config.rtcpMux && !this.rtcpSocket) this.openRtcpSocket();
    this.remoteUnspecified = isUnspecified(config.remoteAddress);
    // A re-INVITE to the same address keeps the latch; a new address listens again, for it only.
    if (this.latch) this.latch.setExpectedAddress(config.remoteAddress);
    else this.latch = new RtpSourceLatch(config.remoteAddress);
    if (previous?.remoteAddress !== config.remoteAddress) this.rtcpPeerPort = undefined;
  }

  private setupCodec(config: StreamConfig): void {
    const codec = codecByName(config.codec);
    if (!codec) throw new Error(`unsupported codec ${config.codec}`);
    this.codec = codec;
    this.encoder = this.codec.createEncoder();
    // No FEC overhead until the peer reports loss (RTCP), then in proportion to it.
    this.encoder.adaptToLoss?.(0);
    this.down = createRateConverter(this.deps.deviceRate, this.codec.sampleRate);
    this.sendPcm = new Int16Array((this.codec.sampleRate * config.ptime) / 1000);
    this.sendFill = 0;
    this.playback = new StreamPlayout(this.codec, this.deps.deviceRate);
    this.rtcp = new RtcpSession({
      ssrc: this.ssrc, cname: this.deps.cname, clockRate: this.codec.rtpClockRate, random: this.deps.random, wallClockMs: () => Date.now(),
    }, this.deps.clock.now());
    // Joining long-event segments tolerates ~100 ms of lost reports at any clock rate (RFC 4733 §2.5.1.3).
    this.dtmfRx = new DtmfReceiver(this.codec.rtpClockRate / 10);
    this.dtmfTx = config.telephoneEventPt === undefined ? undefined
      : new DtmfSender({ clockRate: this.codec.rtpClockRate, packetMs: config.ptime });
  }

  /**
   * RFC 3711 §3.2.1 / RFC 4568 §7.1.4: one context per direction. Unchanged keys (a hold
   * re-INVITE) keep both contexts with their ROC, SRTCP index and replay state (§3.3); a peer
   * re-key rebuilds only the receive side. A new send context needs a key never used before,
   * since its ROC and SRTCP index start again at 0 (§9.1: no keystream reuse).
   */
  private setupSrtp(config: StreamConfig): void {
    const keys = config.srtp;
    const suite = keys?.suite as SrtpSuiteName | undefined;
    const txId = keys ? `${keys.suite} ${keys.localKey}` : undefined;
    const rxId = keys ? `${keys.suite} ${keys.remoteKey}` : undefined;
    if (keys && txId !== this.txKeyId && this.usedSendKeys.has(keys.localKey)) {
      throw new Error(`stream ${this.id}: SRTP send key reused for a new context (RFC 3711 §9.1); a new key is needed`);
    }
    const rx = rxId === this.rxKeyId ? this.srtpRx : keys ? new SrtpContext(suite!, Buffer.from(keys.remoteKey, 'base64')) : undefined;
    if (txId !== this.txKeyId) {
      this.srtpTx = keys ? new SrtpContext(suite!, Buffer.from(keys.localKey, 'base64')) : undefined;
      if (keys) this.usedSendKeys.add(keys.localKey);
      this.txKeyId = txId;
    }
    this.srtpRx = rx;
    this.rxKeyId = rxId;
  }

  private openRtcpSocket(): void {
    const socket = createSocket({ type: this.socket.address().family === 'IPv6' ? 'udp6' : 'udp4', lookup: ipLiteralLookup });
    socket.on('error', () => {});
    socket.on('message', (data, rinfo) => this.onDatagram(data, rinfo));
    socket.bind(this.localPort + 1, this.socket.address().address);
    this.rtcpSocket = socket;
  }

  private get sending(): boolean {
    const d = this.config?.direction;
    return d === 'sendrecv' || d === 'sendonly';
  }

  private get receiving(): boolean {
    const d = this.config?.direction;
    return d === 'sendrecv' || d === 'recvonly';
  }

  /** One captured device frame (deviceRate). Sends a packet whenever a ptime of audio is ready. */
  sendFrame(pcm: Int16Array): void {
    if (!this.config) return;
    if (!this.sending) {
      // RFC 3550 §5.1: the timestamp keeps following the sampling clock while we send nothing
      // (hold), and the first packet afterwards starts a talk spurt (marker).
      this.timestamp = (this.timestamp + (pcm.length * this.codec.rtpClockRate) / this.deps.deviceRate) >>> 0;
      this.marker = true;
      return;
    }
    const n = this.down.process(pcm, this.scratch);
    let offset = 0;
    while (offset < n) {
      const take = Math.min(n - offset, this.sendPcm.length - this.sendFill);
      this.sendPcm.set(this.scratch.subarray(offset, offset + take), this.sendFill);
      this.sendFill += take;
      offset += take;
      if (this.sendFill === this.sendPcm.length) {
        this.sendFill = 0;
        this.sendPacket();
      }
    }
  }

  private sendPacket(): void {
    const config = this.config!;
    const tsStep = (this.sendPcm.length * this.codec.rtpClockRate) / this.codec.sampleRate;
    const event = this.dtmfTx?.tick(this.timestamp);
    const out = this.outRing[this.outIndex]!;
    this.outIndex = (this.outIndex + 1) % outRingSize;
    let length: number;
    if (event) {
      length = writeRtpHeader(out, {
        marker: event.marker, payloadType: config.telephoneEventPt!, sequence: this.sequence, timestamp: event.timestamp, ssrc: this.ssrc,
      });
      out.set(event.payload, length);
      length += event.payload.length;
    } else {
      const head = writeRtpHeader(out, {
        marker: this.marker, payloadType: config.payloadType, sequence: this.sequence, timestamp: this.timestamp, ssrc: this.ssrc,
      });
      length = head + this.encoder.encode(this.sendPcm, out.subarray(head));
      this.marker = false;
    }
    this.sequence = (this.sequence + 1) & 0xffff;
    this.timestamp = (this.timestamp + tsStep) >>> 0;
    this.packetsSent++;
    this.rtcp.onRtpSent(this.timestamp, length - 12, this.deps.clock.now());
    this.transmit(out.subarray(0, length), false, out);
    this.maybeSendRtcp();
  }

  /** `out`: the buffer `packet` lives in (SRTP protects in place, appending its tag). */
  private transmit(packet: Uint8Array, rtcp: boolean, out?: Uint8Array): void {
    const config = this.config!;
    if (this.remoteUnspecified) return;
    const wire = this.srtpTx ? (rtcp ? this.srtpTx.protectRtcp(packet) : this.srtpTx.protectRtp(packet, out)) : packet;
    const latch = this.latch!;
    // Symmetric RTP (RFC 4961): to the latched source once there is one, else to the SDP's address.
    const address = latch.address ?? config.remoteAddress;
    let port: number;
    if (!rtcp) port = latch.address !== undefined ? latch.port : config.remotePort;
    else if (config.rtcpMux) port = latch.address !== undefined ? latch.port : config.remotePort;
    else port = this.rtcpPeerPort ?? (latch.address !== undefined ? latch.port + 1 : config.remoteRtcpPort);
    if (port > 65535) return;
    const socket = rtcp && !config.rtcpMux && this.rtcpSocket ? this.rtcpSocket : this.socket;
    socket.send(wire, 0, wire.length, port, address);
  }

  private maybeSendRtcp(): void {
    const now = this.deps.clock.now();
    if (now < this.rtcp.nextReportAtMs) return;
    this.transmit(buildRtcp(this.rtcp.buildReport(now)), true);
  }

  /** Each datagram's work is isolated: a throw ends this stream only (the worker reports it). */
  private onDatagram(data: Buffer, rinfo: RemoteInfo): void {
    if (!this.config) return;
    try {
      if (isRtcp(data)) this.onRtcpDatagram(data, rinfo);
      else this.onRtpDatagram(data, rinfo);
    } catch (e) {
      this.deps.events.failed(e);
    }
  }

  /** RTCP only from the latched peer (its IP, its SSRC as sender); what it reports moves the encoder within bounds. */
  private onRtcpDatagram(data: Buffer, rinfo: RemoteInfo): void {
    // The sender SSRC sits in the clear in SRTCP too (RFC 3711 §3.4): check before any crypto.
    if (data.length < 8 || !this.latch!.isLatchedPeer(rinfo.address, readU32(data, 4))) return;
    const plain = this.srtpRx ? this.srtpRx.unprotectRtcp(data) : data;
    if (!(plain instanceof Uint8Array)) return;
    const packets = parseRtcp(plain);
    if (!packets) return;
    const now = this.deps.clock.now();
    if (!this.config!.rtcpMux) this.rtcpPeerPort = rinfo.port;
    this.rtcp.onRtcp(packets, now);
    const peer = this.rtcp.peerReport;
    if (peer && peer.receivedAtMs === now) {
      const percent = this.lossFilter.onReport(peer.fractionLost, now);
      if (percent !== undefined) this.encoder.adaptToLoss?.(percent);
    }
  }

  private onRtpDatagram(data: Buffer, rinfo: RemoteInfo): void {
    const config = this.config!;
    const latch = this.latch!;
    // Only the SDP's IP may ever latch: anything else is dropped before any work.
    if (!latch.fromExpectedAddress(rinfo.address)) return;
    const plain = this.srtpRx ? this.srtpRx.unprotectRtp(data) : data;
    if (!(plain instanceof Uint8Array) || !parseRtpInto(plain, this.header)) return;
    const h = this.header;
    const now = this.deps.clock.now();
    if (latch.onPacket(rinfo.address, rinfo.port, h.ssrc, h.sequence, now) !== 'accept') return;
    const payload = plain.subarray(h.payloadOffset, h.payloadOffset + h.payloadLength);
    if (h.payloadType === config.telephoneEventPt) {
      const digit = this.dtmfRx.push(payload, h.timestamp, h.marker);
      if (digit) this.deps.events.dtmf(digit.digit);
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

  /** One device period of playout, added into `mix` (deviceRate). */
  playout(mix: Int32Array): void {
    if (!this.config || !this.receiving) {
      this.playback?.idle();
      return;
    }
    const now = this.deps.clock.now();
    this.checkNoRtp(now);
    this.playback.playInto(mix, now);
  }

  /** What this stream played in the last period (for the local conference's N−1 mix). */
  get lastPlayed(): Int16Array {
    return this.playback?.lastPlayed ?? silence;
  }

  private checkNoRtp(now: number): void {
    if (this.noRtpReported || now - this.lastRtpMs < noRtpTimeoutS * 1000) return;
    this.noRtpReported = true;
    this.deps.events.noRtp(Math.round((now - this.lastRtpMs) / 1000));
  }

  sendDtmf(digits: string): void {
    this.dtmfTx?.send(digits);
  }

  stats(): StreamStats | undefined {
    if (!this.config) return undefined;
    const receiver = this.rtcp.receiver;
    const expected = receiver?.expected ?? 0;
    const lost = Math.max(0, receiver?.cumulativeLost ?? 0);
    const lossPercent = expected > 0 ? (100 * lost) / expected : 0;
    const jitterMs = receiver?.jitterMs ?? 0;
    const rttMs = this.rtcp.rttMs;
    const j = this.playback.stats();
    return {
      codec: this.config.codec,
      packetsSent: this.packetsSent,
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
    return { latch: this.latch?.toJSON(), srtpTx: this.srtpTx?.toJSON(), srtpRx: this.srtpRx?.toJSON(), lossPercent: this.lossFilter.percent };
  }

  close(): void {
    if (this.config) {
      try {
        this.transmit(buildRtcp(this.rtcp.buildBye(this.deps.clock.now())), true);
      } catch {
        // the socket may already be gone
      }
    }
    for (const s of [this.socket, this.rtcpSocket]) {
      try {
        s?.close();
      } catch {
        // already closed
      }
    }
  }
}

/** 0.0.0.0 or :: (RFC 3264 §8.4 hold the RFC 2543 way). */
function isUnspecified(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}
