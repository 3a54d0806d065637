import { DelayController } from './delay-controller.js';
import { DelayEstimator } from './delay-estimator.js';
import { PacketSlots, SLOT_EMPTY, SLOT_FILLED, SLOT_PLAYED } from './packet-slots.js';
import { Unwrapper } from './rtp-unwrap.js';
import type {
  JitterBufferOptions, JitterEvent, JitterState, JitterStats, PlayoutDecision, RtpAudioPacket,
} from './playout.js';

/**
 * Adaptive jitter buffer for one audio stream (after baresip jbuf.c, pion jitterbuffer, WebRTC
 * NetEq's delay manager). Pure: time comes in as arguments; push() per packet, pop() per frame.
 *
 *   idle ──push──▶ buffering ──target delay elapsed──▶ playing
 *     ▲                ▲                                  │
 *     └── reset()      └──── SSRC change / overflow ──────┘
 *
 * Playout follows RTP timestamps, not arrival times: frame n plays the packet whose timestamp is
 * the playout timestamp; a missing one is concealed (lost or late), a timestamp gap with
 * consecutive sequence numbers is the sender's silence (RFC 3551 §4.1 DTX). Packets are mapped to
 * wall time by an anchor (a packet with timestamp T plays at anchor + T/rate). The delay over the
 * fastest packet of the window is steered to target = quantile(transit spread) + frame within
 * [min, max]: one frame is dropped or inserted at a time, in silence or at talk-spurt starts when
 * possible (several at once in silence), mid-speech only after waiting. The same control absorbs
 * clock drift between sender and sound card. The real-time rule holds: no allocation per packet or
 * frame in steady state.
 */
const ANCHOR_SMOOTHING = 1 / 8;
/** A sequence number this far from the highest seen is a restart of the sender's numbering. */
const SEQ_JUMP = 1000;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Of<K extends PlayoutDecision['kind']> = Mutable<Extract<PlayoutDecision, { kind: K }>>;

export class JitterBuffer {
  private state: JitterState = 'idle';
  private readonly slots: PacketSlots;
  private readonly estimator: DelayEstimator;
  private readonly seqs = new Unwrapper(16);
  private readonly stamps = new Unwrapper(32);
  private readonly frameMs: number;
  /** Timestamp units per frame, and ms per unit. */
  private readonly frameUnits: number;
  private readonly msPerUnit: number;
  private readonly maxDelayMs: number;
  private readonly quantile: number;
  private readonly maxConcealFrames: number;
  private readonly resyncMs: number;
  private readonly onEvent: ((e: JitterEvent) => void) | undefined;
  private ssrc = 0;
  /** Added to unwrapped sequence numbers / timestamps after a sender restart or re-sync. */
  private seqOffset = 0;
  private tsOffset = 0;
  private highestSeq = NaN;
  private highestTs = NaN;
  private lowestSeq = NaN;
  /** [ms] */
  private firstArrivalMs = 0;
  private firstTs = 0;
  /** Next sequence number to play, and the timestamp of the next frame [RTP units, extended]. */
  private nextSeq = 0;
  private playTs = 0;
  /** A packet with timestamp T plays at anchorMs + T·msPerUnit [ms]. */
  private anchorMs = 0;
  private readonly control: DelayController;
  private concealRun = 0;
  private lastKind: PlayoutDecision['kind'] = 'silence';
  private readonly counters = {
    received: 0, played: 0, concealed: 0, silence: 0, late: 0, duplicate: 0, reordered: 0, lost: 0,
    dropped: 0, inserted: 0, resyncs: 0, ssrcChanges: 0, overflows: 0, underflows: 0,
  };
  private readonly playDecision: Of<'play'> = { kind: 'play', payload: new Uint8Array(0), timestamp: 0, marker: false, dropped: undefined };
  private readonly concealDecision: Of<'conceal'> = { kind: 'conceal', timestamp: 0, next: undefined };
  private readonly insertDecision: Of<'insert'> = { kind: 'insert', timestamp: 0 };
  private readonly silenceDecision: Of<'silence'> = { kind: 'silence', timestamp: 0 };

  constructor(opts: JitterBufferOptions) {
    this.frameMs = opts.frameMs;
    this.frameUnits = Math.round((opts.clockRate * opts.frameMs) / 1000);
    if (!(this.frameUnits > 0)) throw new RangeError('clockRate and frameMs must be positive');
    this.msPerUnit = 1000 / opts.clockRate;
    this.maxDelayMs = opts.maxDelayMs ?? 200;
    this.control = new DelayController({
      frameMs: this.frameMs,
      minDelayMs: opts.minDelayMs ?? 20,
      maxDelayMs: this.maxDelayMs,
      initialDelayMs: opts.initialDelayMs ?? 60,
      dropWaitMs: opts.dropWaitMs ?? 3000,
      insertWaitMs: opts.insertWaitMs ?? 100,
    });
    this.quantile = opts.quantile ?? 0.98;
    this.maxConcealFrames = Math.max(1, Math.round((opts.maxConcealMs ?? 100) / this.frameMs));
    this.resyncMs = opts.resyncMs ?? 1000;
    this.onEvent = opts.onEvent;
    let capacity = opts.capacity ?? 16;
    if (opts.capacity === undefined) while (capacity < (2 * this.maxDelayMs) / this.frameMs + 16) capacity *= 2;
    this.slots = new PacketSlots(capacity, opts.maxPayload ?? 1500);
    this.estimator = new DelayEstimator(opts.historyPackets ?? 100);
  }

  push(packet: RtpAudioPacket, arrivalMs: number): void {
    const c = this.counters;
    c.received++;
    if (this.state === 'idle') {
      this.ssrc = packet.ssrc;
      this.restart(arrivalMs, true);
    } else if (packet.ssrc !== this.ssrc) {
      c.ssrcChanges++;
      this.emit('ssrc-change');
      this.ssrc = packet.ssrc;
      this.restart(arrivalMs, true);
    }
    let seq = this.seqs.unwrap(packet.sequence) + this.seqOffset;
    if (!Number.isNaN(this.highestSeq) && Math.abs(seq - this.highestSeq) > SEQ_JUMP) {
      this.seqOffset += this.highestSeq + 1 - seq; // the sender restarted its numbering
      seq = this.highestSeq + 1;
    }
    if (this.slots.stateOf(seq) !== SLOT_EMPTY) {
      c.duplicate++;
      this.emit('duplicate');
      return;
    }
    const newest = Number.isNaN(this.highestSeq) || seq > this.highestSeq;
    if (!newest) c.reordered++;
    let ts = this.stamps.unwrap(packet.timestamp) + this.tsOffset;
    if (newest && this.outsideWindow(ts, arrivalMs)) ts = this.resync(ts, arrivalMs);
    this.estimator.add(arrivalMs - ts * this.msPerUnit);
    if (this.state === 'playing' && (seq < this.nextSeq || ts < this.playTs - this.frameUnits / 2)) {
      c.late++;
      this.emit('late');
      return;
    }
    const floor = this.state === 'playing' ? this.nextSeq : this.lowestSeq;
    if (seq - floor >= this.slots.capacity) {
      c.overflows++;
      this.emit('overflow');
      this.restart(arrivalMs, false);
    }
    this.slots.store(seq, ts, packet.timestamp >>> 0, packet.marker, packet.payload);
    if (Number.isNaN(this.lowestSeq) || seq < this.lowestSeq) this.lowestSeq = seq;
    if (Number.isNaN(this.highestTs)) this.firstTs = ts;
    if (newest) {
      this.highestSeq = seq;
      this.highestTs = ts;
    }
  }

  /** One frame of playout at `nowMs`. `quiet`: the last decoded frame was near-silent (a good moment to adjust). */
  pop(nowMs: number, quiet = false): PlayoutDecision {
    switch (this.state) {
      case 'idle':
        return this.silence(undefined);
      case 'buffering':
        if (nowMs - this.firstArrivalMs < this.control.targetMs) return this.silence(undefined);
        this.beginPlayout(nowMs);
        break;
      case 'playing':
        this.anchorMs += (nowMs - this.playTs * this.msPerUnit - this.anchorMs) * ANCHOR_SMOOTHING;
        break;
    }
    this.steer(nowMs);
    return this.nextFrame(nowMs, quiet);
  }

  stats(): JitterStats {
    const ready = this.state === 'playing' && this.estimator.ready;
    return {
      state: this.state,
      ...this.counters,
      delayMs: ready ? this.delayMs() : 0,
      targetMs: this.control.targetMs,
      jitterMs: this.estimator.jitterMs,
    };
  }

  toJSON(): JitterStats {
    return this.stats();
  }

  /** Forget the stream (statistics counters are kept). */
  reset(): void {
    this.state = 'idle';
    this.slots.clear();
    this.estimator.reset();
    this.seqs.reset();
    this.stamps.reset();
  }

  private restart(arrivalMs: number, newStream: boolean): void {
    this.slots.clear();
    if (newStream) {
      this.seqs.reset();
      this.stamps.reset();
      this.estimator.reset();
      this.seqOffset = 0;
      this.tsOffset = 0;
    }
    this.highestSeq = NaN;
    this.lowestSeq = NaN;
    this.highestTs = NaN;
    this.firstArrivalMs = arrivalMs;
    this.state = 'buffering';
    this.lastKind = 'silence';
    this.control.adjusted();
    this.emit('buffering');
  }

  /** A timestamp far outside what the arrival time allows: the sender's clock jumped. */
  private outsideWindow(ts: number, arrivalMs: number): boolean {
    if (Number.isNaN(this.highestTs)) return false;
    const lead = this.state === 'playing'
      ? this.anchorMs + ts * this.msPerUnit - arrivalMs
      : (ts - this.firstTs) * this.msPerUnit - (arrivalMs - this.firstArrivalMs);
    return lead > this.maxDelayMs + this.resyncMs || lead < -this.resyncMs;
  }

  /** Re-map the timeline so this packet waits the target delay, after everything already buffered. */
  private resync(ts: number, arrivalMs: number): number {
    this.counters.resyncs++;
    this.emit('resync');
    let at: number;
    if (this.state === 'playing') {
      const waitMs = arrivalMs + this.control.targetMs - (this.anchorMs + this.playTs * this.msPerUnit);
      at = this.playTs + Math.max(0, Math.ceil(waitMs / this.frameMs)) * this.frameUnits;
    } else {
      at = this.firstTs + Math.round((arrivalMs - this.firstArrivalMs) / this.frameMs) * this.frameUnits;
    }
    at = Math.max(at, this.highestTs + this.frameUnits);
    this.tsOffset += at - ts;
    return at;
  }

  private beginPlayout(nowMs: number): void {
    const i = this.slots.find(this.lowestSeq, SLOT_FILLED);
    this.nextSeq = this.lowestSeq;
    this.playTs = i >= 0 ? this.slots.ts[i]! : this.firstTs;
    this.anchorMs = nowMs - this.playTs * this.msPerUnit;
    this.state = 'playing';
    this.emit('playing');
  }

  private delayMs(): number {
    return this.anchorMs - this.estimator.minTransitMs;
  }

  /** Target from the measured spread; decide whether the delay should shrink or grow. */
  private steer(nowMs: number): void {
    const spread = this.estimator.ready ? this.estimator.spreadMs(this.quantile) : NaN;
    this.control.update(nowMs, spread, this.delayMs());
  }

  private nextFrame(nowMs: number, quiet: boolean): PlayoutDecision {
    const i = this.firstBuffered();
    const want = this.control.want;
    if (i < 0) {
      if (this.lastKind === 'play') {
        this.counters.underflows++;
        this.emit('underflow');
      }
      return this.lastKind !== 'silence' && this.concealRun < this.maxConcealFrames
        ? this.conceal(undefined) : this.silence(undefined);
    }
    const ts = this.slots.ts[i]!;
    const seq = this.slots.seq[i]!;
    if (ts < this.playTs + this.frameUnits / 2) {
      if (want === 'drop' && (quiet || this.control.dropDue(nowMs, this.delayMs()))) {
        const j = this.slots.find(seq + 1, SLOT_FILLED);
        if (j >= 0 && this.slots.ts[j] === ts + this.frameUnits) {
          this.counters.lost += seq - this.nextSeq;
          this.slots.state[i] = SLOT_PLAYED;
          this.adjusted('drop', -this.frameMs);
          return this.play(j, this.slots.payload(i));
        }
      }
      if (want === 'insert' && (quiet || this.lastKind === 'silence' || this.control.insertDue(nowMs))) {
        return this.insert();
      }
      this.counters.lost += seq - this.nextSeq;
      return this.play(i, undefined);
    }
    if (seq === this.nextSeq || this.lastKind === 'silence' || this.concealRun >= this.maxConcealFrames) {
      return this.silence(ts); // the sender's silence (or a gap too long to conceal)
    }
    const next = ts === this.playTs + this.frameUnits ? this.slots.payload(i) : undefined;
    return this.conceal(next);
  }

  /** The lowest buffered packet not behind the playout point (those are discarded as late), or -1. */
  private firstBuffered(): number {
    const last = Math.min(this.highestSeq, this.nextSeq + this.slots.mask);
    for (let s = this.nextSeq; s <= last; s++) {
      const i = this.slots.find(s, SLOT_FILLED);
      if (i < 0) continue;
      if (this.slots.ts[i]! >= this.playTs - this.frameUnits / 2) return i;
      this.slots.state[i] = SLOT_PLAYED; // overtaken by a drop
      this.counters.late++;
    }
    return -1;
  }

  private play(i: number, dropped: Uint8Array | undefined): PlayoutDecision {
    const d = this.playDecision;
    d.payload = this.slots.payload(i);
    d.timestamp = this.slots.rawTs[i]!;
    d.marker = this.slots.marker[i] === 1;
    d.dropped = dropped;
    this.slots.state[i] = SLOT_PLAYED;
    this.nextSeq = this.slots.seq[i]! + 1;
    this.playTs = this.slots.ts[i]! + this.frameUnits;
    this.counters.played++;
    this.concealRun = 0;
    this.lastKind = 'play';
    return d;
  }

  private conceal(next: Uint8Array | undefined): PlayoutDecision {
    const d = this.concealDecision;
    d.timestamp = this.timelineTs();
    d.next = next;
    this.playTs += this.frameUnits;
    this.counters.concealed++;
    this.concealRun++;
    this.lastKind = 'conceal';
    return d;
  }

  private insert(): PlayoutDecision {
    this.adjusted('insert', this.frameMs);
    if (this.lastKind === 'silence') return this.silence(undefined, true);
    const d = this.insertDecision;
    d.timestamp = this.timelineTs();
    this.lastKind = 'insert';
    return d;
  }

  /** A silent frame; also the free moment to adjust the delay (several frames at once for drops). */
  private silence(nextTs: number | undefined, held = false): PlayoutDecision {
    const d = this.silenceDecision;
    d.timestamp = this.timelineTs();
    this.counters.silence++;
    this.lastKind = 'silence';
    if (this.state !== 'playing' || held) return d;
    let step = 1;
    if (this.control.want === 'insert') {
      this.adjusted('insert', this.frameMs);
      step = 0;
    } else if (this.control.want === 'drop') {
      const room = nextTs === undefined ? Infinity : Math.floor((nextTs - this.playTs) / this.frameUnits) - 1;
      const excess = this.control.excessFrames(this.delayMs());
      for (let k = Math.min(room, excess); k > 0; k--, step++) this.adjusted('drop', -this.frameMs);
    }
    this.playTs += step * this.frameUnits;
    return d;
  }

  private adjusted(kind: 'drop' | 'insert', anchorShiftMs: number): void {
    if (kind === 'drop') this.counters.dropped++;
    else this.counters.inserted++;
    this.anchorMs += anchorShiftMs;
    this.emit(kind);
    this.control.adjusted();
  }

  private timelineTs(): number {
    return (this.playTs - this.tsOffset) >>> 0;
  }

  private emit(event: JitterEvent): void {
    this.onEvent?.(event);
  }
}
