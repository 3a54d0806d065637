/**
 * One call's audio in the media worker: capture → resample → encode → RTP/SRTP → socket, and
 * socket → SRTP → RTP → jitter buffer → decode/conceal → resample → mix. Symmetric RTP with
 * latching (RFC 4961): we send from the port we receive on, and once a valid packet arrives we
 * answer to its source and drop packets from anywhere else. RTCP (RFC 3550 §6) on the same socket
 * when muxed (RFC 5761), else on the next port.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { Clock } from '../../util/clock.js';
import type { Random } from '../../util/random.js';
import { codecByName } from '../codecs/registry.js';
import type { AudioEncoder, CodecDescriptor } from '../codecs/codec.js';
import { Resampler } from '../devices/resampler.js';
import { DtmfReceiver } from '../dtmf/dtmf-receiver.js';
import { DtmfSender } from '../dtmf/dtmf-sender.js';
import type { RtpAudioPacket } from '../jitter/playout.js';
import { estimateMos } from '../rtp/mos.js';
import { buildRtcp, parseRtcp } from '../rtp/rtcp.js';
import { RtcpSession } from '../rtp/rtcp-session.js';
import { emptyRtpHeader, isRtcp, parseRtpInto, randomRtpStart, writeRtpHeader } from '../rtp/rtp-packet.js';
import { SrtpContext } from '../srtp/srtp-context.js';
import type { StreamConfig, StreamStats } from './protocol.js';
import { StreamPlayout } from './stream-playout.js';

export interface AudioStreamEvents {
  dtmf(digit: string): void;
  noRtp(seconds: number): void;
}

/** Seconds without RTP (while we expect it) before the host hears about it. */
export const noRtpTimeoutS = 20;
const maxPacket = 1500;

const silence = new Int16Array(960);

export class AudioStream {
  private config: StreamConfig | undefined;
  private codec!: CodecDescriptor;
  private encoder!: AudioEncoder;
  private down!: Resampler;
  /** One ptime of PCM at the codec rate (send side accumulates into it). */
  private sendPcm!: Int16Array;
  private sendFill = 0;
  private readonly scratch = new Int16Array(4800);
  private playback!: StreamPlayout;
  private readonly outPacket = new Uint8Array(maxPacket);
  private readonly srtpOut = new Uint8Array(maxPacket + 16);
  private srtpTx: SrtpContext | undefined;
  private srtpRx: SrtpContext | undefined;
  private rtcp!: RtcpSession;
  private dtmfTx: DtmfSender | undefined;
  private dtmfRx = new DtmfReceiver();
  private readonly header = emptyRtpHeader();
  private readonly jitterPacket: RtpAudioPacket = { sequence: 0, timestamp: 0, ssrc: 0, marker: false, payload: new Uint8Array(0) };
  private sequence: number;
  private timestamp: number;
  private readonly ssrc: number;
  private marker = true;
  private latched: { address: string; port: number } | undefined;
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
      const socket = createSocket({ type: address.includes(':') ? 'udp6' : 'udp4' });
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

  start(config: StreamConfig): void {
    const previous = this.config;
    const sameCodec = previous?.codec === config.codec && previous?.payloadType === config.payloadType;
    const sameKeys = previous?.srtp?.localKey === config.srtp?.localKey && previous?.srtp?.remoteKey === config.srtp?.remoteKey;
    this.config = config;
    if (!sameCodec) this.setupCodec(config);
    // Same keys (e.g. a hold re-INVITE): keep the SRTP contexts, their ROC and replay state (RFC 3711 §3.3).
    if (!previous || !sameKeys) this.setupSrtp(config);
    // Resuming playout: start from fresh arrivals, not what queued up while we were not playing.
    if (previous && previous.direction !== config.direction && this.receiving) this.playback.reset();
    if (!config.rtcpMux && !this.rtcpSocket) this.openRtcpSocket();
    this.latched = undefined;
  }

  private setupCodec(config: StreamConfig): void {
    const codec = codecByName(config.codec);
    if (!codec) throw new Error(`unsupported codec ${config.codec}`);
    this.codec = codec;
    this.encoder = this.codec.createEncoder();
    // No FEC overhead until the peer reports loss (RTCP), then in proportion to it.
    this.encoder.adaptToLoss?.(0);
    this.down = new Resampler(this.deps.deviceRate, this.codec.sampleRate);
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

  private setupSrtp(config: StreamConfig): void {
    const keys = config.srtp;
    if (!keys) {
      this.srtpTx = this.srtpRx = undefined;
      return;
    }
    const suite = keys.suite as 'AES_CM_128_HMAC_SHA1_80' | 'AES_CM_128_HMAC_SHA1_32';
    this.srtpTx = new SrtpContext(suite, Buffer.from(keys.localKey, 'base64'));
    this.srtpRx = new SrtpContext(suite, Buffer.from(keys.remoteKey, 'base64'));
  }

  private openRtcpSocket(): void {
    const socket = createSocket({ type: this.socket.address().family === 'IPv6' ? 'udp6' : 'udp4' });
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
    let length: number;
    if (event) {
      length = writeRtpHeader(this.outPacket, {
        marker: event.marker, payloadType: config.telephoneEventPt!, sequence: this.sequence, timestamp: event.timestamp, ssrc: this.ssrc,
      });
      this.outPacket.set(event.payload, length);
      length += event.payload.length;
    } else {
      const head = writeRtpHeader(this.outPacket, {
        marker: this.marker, payloadType: config.payloadType, sequence: this.sequence, timestamp: this.timestamp, ssrc: this.ssrc,
      });
      length = head + this.encoder.encode(this.sendPcm, this.outPacket.subarray(head));
      this.marker = false;
    }
    this.sequence = (this.sequence + 1) & 0xffff;
    this.timestamp = (this.timestamp + tsStep) >>> 0;
    this.packetsSent++;
    this.rtcp.onRtpSent(this.timestamp, length - 12, this.deps.clock.now());
    this.transmit(this.outPacket.subarray(0, length), false);
    this.maybeSendRtcp();
  }

  private transmit(packet: Uint8Array, rtcp: boolean): void {
    const config = this.config!;
    const wire = this.srtpTx ? (rtcp ? this.srtpTx.protectRtcp(packet) : this.srtpTx.protectRtp(packet, this.srtpOut)) : packet;
    const target = this.latched ?? { address: config.remoteAddress, port: rtcp ? config.remoteRtcpPort : config.remotePort };
    const port = rtcp && this.latched && !config.rtcpMux ? this.latched.port + 1 : target.port;
    const socket = rtcp && !config.rtcpMux && this.rtcpSocket ? this.rtcpSocket : this.socket;
    socket.send(wire, 0, wire.length, port, target.address);
  }

  private maybeSendRtcp(): void {
    const now = this.deps.clock.now();
    if (now < this.rtcp.nextReportAtMs) return;
    this.transmit(buildRtcp(this.rtcp.buildReport(now)), true);
  }

  private onDatagram(data: Buffer, rinfo: RemoteInfo): void {
    if (!this.config) return;
    const now = this.deps.clock.now();
    if (isRtcp(data)) {
      const plain = this.srtpRx ? this.srtpRx.unprotectRtcp(data) : data;
      if (!(plain instanceof Uint8Array)) return;
      const packets = parseRtcp(plain);
      if (packets) {
        this.rtcp.onRtcp(packets, now);
        const peer = this.rtcp.peerReport;
        if (peer) this.encoder.adaptToLoss?.(peer.fractionLost * 100);
      }
      return;
    }
    // RFC 4961: once latched, packets from any other source are dropped before any work.
    if (this.latched && (rinfo.port !== this.latched.port || rinfo.address !== this.latched.address)) return;
    const plain = this.srtpRx ? this.srtpRx.unprotectRtp(data) : data;
    if (!(plain instanceof Uint8Array) || !parseRtpInto(plain, this.header)) return;
    const h = this.header;
    const payload = plain.subarray(h.payloadOffset, h.payloadOffset + h.payloadLength);
    if (h.payloadType === this.config.telephoneEventPt) {
      const digit = this.dtmfRx.push(payload, h.timestamp, h.marker);
      if (digit) this.deps.events.dtmf(digit.digit);
    } else if (h.payloadType === this.config.payloadType) {
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
    this.latched ??= { address: rinfo.address, port: rinfo.port };
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
