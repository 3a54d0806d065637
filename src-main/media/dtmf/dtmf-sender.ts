import { EVENT_PAYLOAD_LENGTH, MAX_DURATION, writeTelephoneEvent } from './telephone-event.js';
import { dtmfEventCode } from '../../util/dtmf-keys.js';

/**
 * RFC 4733 §2.5.1 sender, as a pure scheduler the engine ticks once per audio frame.
 *
 *   idle ──digit queued──▶ sending ──duration reached──▶ ending (E bit ×endPackets) ──▶ pause ──▶ idle
 *
 * Each tick gets the RTP timestamp the frame's audio would carry and returns the event report to
 * send instead of that audio (or undefined: send audio). All reports of one event carry the
 * timestamp of its first frame (§2.5.1.1), the first has the marker bit (§2.5.1.1), each reports the
 * duration so far (§2.5.1.2), and the end is sent `endPackets` times (§2.5.1.4). An event longer
 * than 0xFFFF units is split into segments whose timestamps advance by 0xFFFF (§2.5.1.3).
 * The returned packet and its payload are reused: valid until the next tick.
 */
export interface DtmfSenderOptions {
  /** telephone-event clock rate, Hz (8000, or 48000 alongside Opus). */
  clockRate: number;
  /** Frame (packet) interval the engine ticks at, ms. */
  packetMs: number;
  /** -dBm0, 0..63 (default 10). */
  volume?: number;
  /** Copies of the final report (default 3, §2.5.1.4). */
  endPackets?: number;
  /** Minimum silence between two digits, ms (default 50). */
  pauseMs?: number;
}

export interface DtmfPacket {
  /** 4-byte telephone-event payload (reused). */
  readonly payload: Uint8Array;
  /** RTP timestamp of the event (segment) start. */
  readonly timestamp: number;
  readonly marker: boolean;
  readonly end: boolean;
  readonly event: number;
  readonly duration: number;
}

export interface DtmfSenderStats {
  queued: number;
  events: number;
  packets: number;
}

type State = 'idle' | 'sending' | 'ending' | 'pause';

const QUEUE_CAPACITY = 64;

export class DtmfSender {
  /** Timestamp units per frame. */
  private readonly frameUnits: number;
  private readonly clockRate: number;
  private readonly endPackets: number;
  private readonly pauseFrames: number;
  private readonly volume: number;
  private readonly queueEvents = new Int32Array(QUEUE_CAPACITY);
  /** Event durations [timestamp units]. */
  private readonly queueDurations = new Int32Array(QUEUE_CAPACITY);
  private queueHead = 0;
  private queueSize = 0;
  private state: State = 'idle';
  /** Current event: total length, time elapsed and start of the current segment [timestamp units]. */
  private total = 0;
  private elapsed = 0;
  private segmentBase = 0;
  /** The last report closed a segment at 0xFFFF. */
  private segmentFull = false;
  private endsSent = 0;
  private pauseLeft = 0;
  private readonly packet: { -readonly [K in keyof DtmfPacket]: DtmfPacket[K] } & { volume: number };
  private events = 0;
  private packets = 0;

  constructor(opts: DtmfSenderOptions) {
    this.clockRate = opts.clockRate;
    this.frameUnits = Math.round((opts.clockRate * opts.packetMs) / 1000);
    if (!(this.frameUnits > 0)) throw new RangeError('packetMs and clockRate must be positive');
    this.endPackets = Math.max(1, opts.endPackets ?? 3);
    this.pauseFrames = Math.ceil((opts.pauseMs ?? 50) / opts.packetMs);
    this.volume = opts.volume ?? 10;
    this.packet = {
      payload: new Uint8Array(EVENT_PAYLOAD_LENGTH), timestamp: 0, marker: false, end: false, event: 0, duration: 0, volume: this.volume,
    };
  }

  /** Queue digits (0-9 * # A-D), each lasting `durationMs` (the last report carries it exactly). */
  send(digits: string, durationMs = 100): void {
    const codes = [...digits].map((d) => {
      const code = dtmfEventCode(d);
      if (code < 0) throw new RangeError(`not a DTMF digit: ${JSON.stringify(d)}`);
      return code;
    });
    if (this.queueSize + codes.length > QUEUE_CAPACITY) throw new RangeError('DTMF queue full');
    const units = Math.max(1, Math.round((durationMs * this.clockRate) / 1000));
    for (const code of codes) {
      const at = (this.queueHead + this.queueSize) % QUEUE_CAPACITY;
      this.queueEvents[at] = code;
      this.queueDurations[at] = units;
      this.queueSize++;
    }
  }

  /** True while an event is being reported: the engine sends these reports instead of audio. */
  get active(): boolean {
    return this.state === 'sending' || this.state === 'ending';
  }

  /** Nothing queued and nothing in flight. */
  get idle(): boolean {
    return this.state === 'idle' && this.queueSize === 0;
  }

  /** Drop queued digits; an event in progress still ends properly. */
  clear(): void {
    this.queueSize = 0;
  }

  stats(): DtmfSenderStats {
    return { queued: this.queueSize, events: this.events, packets: this.packets };
  }

  /** One frame: the report to send at `rtpTimestamp`, or undefined to send audio. */
  tick(rtpTimestamp: number): DtmfPacket | undefined {
    switch (this.state) {
      case 'pause':
        if (--this.pauseLeft > 0) return undefined;
        this.state = 'idle';
        return this.start(rtpTimestamp);
      case 'idle':
        return this.start(rtpTimestamp);
      case 'sending':
        this.packet.marker = false;
        return this.advance();
      case 'ending':
        return this.repeatEnd();
    }
  }

  private start(rtpTimestamp: number): DtmfPacket | undefined {
    if (this.queueSize === 0) return undefined;
    const p = this.packet;
    p.event = this.queueEvents[this.queueHead]!;
    this.total = this.queueDurations[this.queueHead]!;
    this.queueHead = (this.queueHead + 1) % QUEUE_CAPACITY;
    this.queueSize--;
    this.events++;
    p.timestamp = rtpTimestamp >>> 0;
    p.marker = true;
    this.elapsed = 0;
    this.segmentBase = 0;
    this.segmentFull = false;
    this.state = 'sending';
    return this.advance();
  }

  /** §2.5.1.2: one report per frame with the duration so far. */
  private advance(): DtmfPacket {
    const p = this.packet;
    this.elapsed = Math.min(this.elapsed + this.frameUnits, this.total);
    if (this.segmentFull) {
      // §2.5.1.3: the last segment reported its full 0xFFFF; the next starts where it ended.
      this.segmentFull = false;
      this.segmentBase += MAX_DURATION;
      p.timestamp = (p.timestamp + MAX_DURATION) >>> 0;
    }
    const inSegment = this.elapsed - this.segmentBase;
    if (inSegment >= MAX_DURATION && !(inSegment === MAX_DURATION && this.elapsed === this.total)) {
      this.segmentFull = true;
      return this.emit(false, MAX_DURATION);
    }
    if (this.elapsed < this.total) return this.emit(false, inSegment);
    this.state = 'ending';
    this.endsSent = 1;
    this.checkEnded();
    return this.emit(true, inSegment);
  }

  /** §2.5.1.4: the final report is repeated, same timestamp and duration. */
  private repeatEnd(): DtmfPacket {
    this.packet.marker = false;
    this.endsSent++;
    this.checkEnded();
    return this.emit(true, this.packet.duration);
  }

  private checkEnded(): void {
    if (this.endsSent < this.endPackets) return;
    this.state = 'pause';
    this.pauseLeft = this.pauseFrames + 1;
  }

  private emit(end: boolean, duration: number): DtmfPacket {
    const p = this.packet;
    p.end = end;
    p.duration = duration;
    writeTelephoneEvent(p.payload, 0, p);
    this.packets++;
    return p;
  }
}
