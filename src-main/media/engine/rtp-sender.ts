/**
 * The send half of a call's audio, without a socket: device frames (deviceRate) → resample →
 * encode → RTP header (RFC 3550 §5.1) or a telephone-event (RFC 4733) → SRTP (RFC 3711) → `sink`.
 * Bytes out only; where they go (latched address, socket) is the socket adapter's business
 * (audio-stream.ts). No allocation per packet: packets rotate through a preallocated ring.
 */
import type { AudioEncoder, CodecDescriptor } from '../codecs/codec.js';
import { createRateConverter, type RateConverter } from '../dsp/rate-converter.js';
import { DtmfSender } from '../dtmf/dtmf-sender.js';
import { RTP_HEADER_LENGTH, writeRtpHeader } from '../rtp/rtp-packet.js';
import { copySamples, PrefixView } from '../../util/copy-samples.js';
import type { SrtpSuiteName } from '../srtp/crypto-suite.js';
import { SrtpContext } from '../srtp/srtp-context.js';
import type { StreamConfig } from './protocol.js';

export interface RtpSenderSink {
  /**
   * One packet for the wire (protected when keyed), or undefined while discarding; `timestamp` is
   * where the RTP clock now stands.
   */
  rtp(wire: Uint8Array | undefined, timestamp: number, payloadBytes: number): void;
}

export interface RtpStart { ssrc: number; sequence: number; timestamp: number }

const maxPacket = 1500;
const outRingSize = 8;

export class RtpSender {
  readonly ssrc: number;
  private sequence: number;
  private timestamp: number;
  private marker = true;
  private codec!: CodecDescriptor;
  private encoder!: AudioEncoder;
  private down!: RateConverter;
  private payloadType = 0;
  private telephoneEventPt: number | undefined;
  /** One ptime of PCM at the codec rate (accumulated from device frames). */
  private sendPcm!: Int16Array;
  private sendFill = 0;
  private readonly scratch = new Int16Array(4800);
  /**
   * Outgoing packets rotate through these buffers: a datagram may still be queued when the next
   * one is written (two 10 ms packets per 20 ms device frame), so one shared buffer would send the
   * second packet twice.
   */
  private readonly outRing = Array.from({ length: outRingSize }, () => new Uint8Array(maxPacket + 16));
  /** Per ring buffer: its payload after a 12-byte header, and the packet's view (no views made per packet). */
  private readonly payloadViews = this.outRing.map((b) => b.subarray(RTP_HEADER_LENGTH));
  private readonly packetViews = this.outRing.map((b) => new PrefixView(b));
  private outIndex = 0;
  private dtmf: DtmfSender | undefined;
  private srtp: SrtpContext | undefined;
  /** Which key the SRTP context was built from (suite + key), to rebuild only when it changes. */
  private keyId: string | undefined;
  /** RFC 3711 §9.1: every send key this stream has used; a second context under one is refused. */
  private readonly usedKeys = new Set<string>();
  packetsSent = 0;
  /** c=0.0.0.0 (RFC 3264 §8.4): packets are clocked and counted, never protected nor handed out. */
  discard = false;

  constructor(start: RtpStart, private readonly deviceRate: number, private readonly sink: RtpSenderSink) {
    this.ssrc = start.ssrc;
    this.sequence = start.sequence;
    this.timestamp = start.timestamp;
  }

  /** A new codec, payload type or packet time (the RTP clock, sequence and SSRC carry on). */
  setCodec(codec: CodecDescriptor, config: Pick<StreamConfig, 'payloadType' | 'ptime' | 'telephoneEventPt'>): void {
    this.codec = codec;
    this.payloadType = config.payloadType;
    this.telephoneEventPt = config.telephoneEventPt;
    this.encoder = codec.createEncoder();
    // No FEC overhead until the peer reports loss (RTCP), then in proportion to it.
    this.encoder.adaptToLoss?.(0);
    this.down = createRateConverter(this.deviceRate, codec.sampleRate);
    this.sendPcm = new Int16Array((codec.sampleRate * config.ptime) / 1000);
    this.sendFill = 0;
    this.dtmf = config.telephoneEventPt === undefined ? undefined
      : new DtmfSender({ clockRate: codec.rtpClockRate, packetMs: config.ptime });
  }

  /** Throws, changing nothing, when `keys` would reuse a send key for a new context (RFC 3711 §9.1). */
  checkKeys(keys: StreamConfig['srtp'], streamId: string): void {
    const id = keys ? `${keys.suite} ${keys.localKey}` : undefined;
    if (keys && id !== this.keyId && this.usedKeys.has(keys.localKey)) {
      throw new Error(`stream ${streamId}: SRTP send key reused for a new context (RFC 3711 §9.1); a new key is needed`);
    }
  }

  /**
   * RFC 3711 §3.2.1 / RFC 4568 §7.1.4: the send context; unchanged keys (a hold re-INVITE) keep it
   * with its ROC and SRTCP index (§3.3). Call checkKeys first.
   */
  setKeys(keys: StreamConfig['srtp']): void {
    const id = keys ? `${keys.suite} ${keys.localKey}` : undefined;
    if (id === this.keyId) return;
    this.srtp = keys ? new SrtpContext(keys.suite as SrtpSuiteName, Buffer.from(keys.localKey, 'base64')) : undefined;
    if (keys) this.usedKeys.add(keys.localKey);
    this.keyId = id;
  }

  /** An RTCP compound packet as it goes on the wire (SRTCP when keyed, RFC 3711 §3.4). */
  protectRtcp(packet: Uint8Array): Uint8Array {
    return this.srtp ? this.srtp.protectRtcp(packet) : packet;
  }

  /**
   * Not sending (hold): RFC 3550 §5.1, the timestamp keeps following the sampling clock, and the
   * first packet afterwards starts a talk spurt (marker).
   */
  skip(deviceSamples: number): void {
    this.timestamp = (this.timestamp + (deviceSamples * this.codec.rtpClockRate) / this.deviceRate) >>> 0;
    this.marker = true;
  }

  /** One captured device frame; a packet goes to the sink whenever a ptime of audio is ready. */
  frame(pcm: Int16Array): void {
    const n = this.down.process(pcm, this.scratch);
    let offset = 0;
    while (offset < n) {
      const take = Math.min(n - offset, this.sendPcm.length - this.sendFill);
      copySamples(this.sendPcm, this.sendFill, this.scratch, offset, offset + take);
      this.sendFill += take;
      offset += take;
      if (this.sendFill === this.sendPcm.length) {
        this.sendFill = 0;
        this.packet();
      }
    }
  }

  sendDtmf(digits: string): void {
    this.dtmf?.send(digits);
  }

  adaptToLoss(percent: number): void {
    this.encoder.adaptToLoss?.(percent);
  }

  get srtpStats(): object | undefined {
    return this.srtp?.toJSON();
  }

  private packet(): void {
    const tsStep = (this.sendPcm.length * this.codec.rtpClockRate) / this.codec.sampleRate;
    const event = this.dtmf?.tick(this.timestamp);
    const slot = this.outIndex;
    const out = this.outRing[slot]!;
    this.outIndex = (this.outIndex + 1) % outRingSize;
    let length: number;
    if (event) {
      length = writeRtpHeader(out, {
        marker: event.marker, payloadType: this.telephoneEventPt!, sequence: this.sequence, timestamp: event.timestamp, ssrc: this.ssrc,
      });
      out.set(event.payload, length);
      length += event.payload.length;
    } else {
      const head = writeRtpHeader(out, {
        marker: this.marker, payloadType: this.payloadType, sequence: this.sequence, timestamp: this.timestamp, ssrc: this.ssrc,
      });
      length = head + this.encoder.encode(this.sendPcm, head === RTP_HEADER_LENGTH ? this.payloadViews[slot]! : out.subarray(head));
      this.marker = false;
    }
    this.sequence = (this.sequence + 1) & 0xffff;
    this.timestamp = (this.timestamp + tsStep) >>> 0;
    this.packetsSent++;
    const packet = this.packetViews[slot]!.of(length);
    // SRTP protects in place, appending its tag inside the same ring buffer.
    const wire = this.discard ? undefined : this.srtp ? this.srtp.protectRtp(packet, out) : packet;
    this.sink.rtp(wire, this.timestamp, length - 12);
  }
}
