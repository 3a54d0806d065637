import { MAX_DURATION, readTelephoneEvent, type TelephoneEvent } from './telephone-event.js';
import { dtmfDigit, type DtmfDigit } from '../../util/dtmf-keys.js';

/**
 * RFC 4733 §2.5.2 receiver: turns telephone-event packets into digits, each reported once.
 *
 * An event is identified by its RTP timestamp (§2.5.1.1). Its first packet seen (marker or not: the
 * start may be lost) reports the digit; updates and the repeated end reports (§2.5.1.4) with the
 * same timestamp are absorbed; reports older than the current event are stale retransmissions. A
 * new timestamp for the same, unfinished event 0xFFFF units on, without marker, continues a long
 * event (§2.5.1.3) instead of starting a new digit.
 */
export interface DtmfReceived {
  digit: DtmfDigit;
  event: number;
  /** RTP timestamp of the event start. */
  timestamp: number;
  /** -dBm0. */
  volume: number;
}

export interface DtmfReceiverStats {
  digits: number;
  /** Events that ended with an E-bit report. */
  ended: number;
  /** Reports absorbed: updates, repeated ends, stale retransmissions. */
  absorbed: number;
  /** Long-event segments joined (§2.5.1.3). */
  segments: number;
  /** Too short, or not a DTMF event (e.g. 16 = flash). */
  ignored: number;
}

type State = 'idle' | 'in-event' | 'ended';

export class DtmfReceiver {
  private state: State = 'idle';
  /** Timestamp of the current event's start and of its current segment. */
  private eventTimestamp = 0;
  private segmentTimestamp = 0;
  private event = -1;
  /** Largest duration reported in the current segment [timestamp units]. */
  private segmentDuration = 0;
  /** Duration of all earlier segments [timestamp units]. */
  private earlierSegments = 0;
  private readonly scratch: TelephoneEvent = { event: 0, end: false, volume: 0, duration: 0 };
  private readonly counters: DtmfReceiverStats = { digits: 0, ended: 0, absorbed: 0, segments: 0, ignored: 0 };

  /**
   * @param segmentTolerance how far (timestamp units) a continuation segment's timestamp and the
   *   previous segment's last duration may be from 0xFFFF (lost reports); default 800 (100 ms @ 8 kHz).
   */
  constructor(private readonly segmentTolerance = 800) {}

  /** One received telephone-event packet; returns the digit when a new event starts. */
  push(payload: Uint8Array, timestamp: number, marker: boolean): DtmfReceived | undefined {
    const e = this.scratch;
    if (!readTelephoneEvent(payload, e) || dtmfDigit(e.event) === undefined) {
      this.counters.ignored++;
      return undefined;
    }
    const ts = timestamp >>> 0;
    switch (this.state) {
      case 'idle':
        return this.begin(ts);
      case 'in-event':
      case 'ended': {
        if (ts === this.segmentTimestamp) return this.update();
        const since = (ts - this.segmentTimestamp) | 0;
        if (since < 0 || ts === this.eventTimestamp) {
          this.counters.absorbed++; // a report of an earlier event or segment
          return undefined;
        }
        if (this.continuesLongEvent(since, marker)) {
          this.counters.segments++;
          this.earlierSegments += since;
          this.segmentTimestamp = ts;
          this.segmentDuration = 0;
          return this.update();
        }
        return this.begin(ts);
      }
    }
  }

  /** Total duration of the current (or last) event so far [timestamp units]. */
  get duration(): number {
    return this.earlierSegments + this.segmentDuration;
  }

  /** The event in progress or last received has seen its E bit. */
  get ended(): boolean {
    return this.state === 'ended';
  }

  stats(): DtmfReceiverStats {
    return { ...this.counters };
  }

  toJSON(): DtmfReceiverStats {
    return this.stats();
  }

  private continuesLongEvent(since: number, marker: boolean): boolean {
    const tol = this.segmentTolerance;
    return this.state === 'in-event' && !marker && this.scratch.event === this.event
      && this.segmentDuration >= MAX_DURATION - tol && Math.abs(since - MAX_DURATION) <= tol;
  }

  private begin(ts: number): DtmfReceived {
    const e = this.scratch;
    this.eventTimestamp = ts;
    this.segmentTimestamp = ts;
    this.event = e.event;
    this.earlierSegments = 0;
    this.segmentDuration = e.duration;
    this.state = e.end ? 'ended' : 'in-event';
    this.counters.digits++;
    if (e.end) this.counters.ended++;
    return { digit: dtmfDigit(e.event)!, event: e.event, timestamp: ts, volume: e.volume };
  }

  private update(): undefined {
    const e = this.scratch;
    this.counters.absorbed++;
    if (e.duration > this.segmentDuration) this.segmentDuration = e.duration;
    if (e.end && this.state === 'in-event') {
      this.state = 'ended';
      this.counters.ended++;
    }
    return undefined;
  }
}
