/**
 * STUN client transactions (RFC 8489 §6.2): requests matched to responses by transaction ID.
 * Over UDP a request is retransmitted after RTO, 2·RTO, 4·RTO … (Rc = 7 sends in all) and times
 * out Rm·RTO after the last send (§6.2.1: 39.5 s with RTO = 500 ms); over TCP/TLS it is sent
 * once and times out after Ti = 39.5 s (§6.2.2). The clock and randomness are injected.
 */
import type { Clock, TimerHandle } from '../../util/clock.js';
import type { Random } from '../../util/random.js';
import { StunClass } from './constants.js';
import { encodeStun, type EncodeOptions, type StunDraft, type StunMessage } from './message.js';

export interface StunEndpoint {
  address: string;
  port: number;
}

export type StunOutcome =
  | { ok: true; response: StunMessage }
  | { ok: false; reason: 'timeout' | 'closed' };

export interface StunClientOptions {
  /** Puts one message on the wire (a datagram to `to`, or a frame on the stream). */
  send(data: Buffer, to: StunEndpoint): void;
  clock: Clock;
  random: Random;
  /** Send once and wait Ti (TCP/TLS, §6.2.2). */
  reliable?: boolean;
  /**
   * Initial retransmission timeout [ms] (§6.2.1: ≥ 500 ms), or a function asked once per request
   * (ICE paces each check's RTO by the checks pending, RFC 8445 §14.3).
   */
  rto?: number | (() => number);
  /** Sends in all (§6.2.1 Rc). */
  rc?: number;
  /** Final wait as a multiple of RTO (§6.2.1 Rm). */
  rm?: number;
}

interface Pending {
  data: Buffer;
  to: StunEndpoint;
  sends: number;
  /** Sends in all for this request (Rc). */
  rc: number;
  /** This request's RTO [ms]. */
  rto: number;
  /** Next retransmission interval [ms]. */
  interval: number;
  timer: TimerHandle | undefined;
  resolve(outcome: StunOutcome): void;
}

export const RELIABLE_TIMEOUT_MS = 39_500;

export class StunClient {
  private readonly pending = new Map<string, Pending>();
  private readonly rto: () => number;
  private readonly rc: number;
  private readonly rm: number;
  private closed = false;
  /** Messages put on the wire (first sends and retransmissions), for stats and tests. */
  sent = 0;

  constructor(private readonly o: StunClientOptions) {
    const rto = o.rto ?? 500;
    this.rto = typeof rto === 'number' ? () => rto : rto;
    this.rc = o.rc ?? 7;
    this.rm = o.rm ?? 16;
  }

  newTransactionId(): Buffer {
    const id = Buffer.alloc(12);
    for (let i = 0; i < 12; i += 4) id.writeUInt32BE(this.o.random.int(0x1_0000_0000) >>> 0, i);
    return id;
  }

  /** Send a request; resolves with the matching response (success or error class) or a failure. */
  request(draft: Omit<StunDraft, 'transactionId' | 'cls'>, to: StunEndpoint, options: EncodeOptions = {}): Promise<StunOutcome> {
    let id = this.newTransactionId();
    while (this.pending.has(id.toString('hex'))) id = this.newTransactionId();
    return this.requestWithId(id, draft, to, options);
  }

  /**
   * As `request`, with a transaction ID the caller chose (XOR'd attributes depend on it); `sends`
   * overrides Rc for this request (§6.2.1: Rc SHOULD be configurable).
   */
  requestWithId(id: Buffer, draft: Omit<StunDraft, 'transactionId' | 'cls'>, to: StunEndpoint, options: EncodeOptions = {},
    sends?: number): Promise<StunOutcome> {
    if (this.closed) return Promise.resolve({ ok: false, reason: 'closed' });
    if (this.pending.has(id.toString('hex'))) return Promise.resolve({ ok: false, reason: 'closed' });
    const data = encodeStun({ ...draft, cls: StunClass.Request, transactionId: id }, options);
    return new Promise((resolve) => {
      const rto = this.rto();
      const rc = sends !== undefined && Number.isInteger(sends) && sends >= 1 && sends <= this.rc ? sends : this.rc;
      const p: Pending = { data, to, sends: 0, rc, rto, interval: rto, timer: undefined, resolve };
      this.pending.set(id.toString('hex'), p);
      this.transmit(id.toString('hex'), p);
    });
  }

  private transmit(key: string, p: Pending): void {
    p.sends++;
    this.sent++;
    this.o.send(p.data, p.to);
    if (this.o.reliable) {
      p.timer = this.o.clock.setTimeout(() => this.finish(key, { ok: false, reason: 'timeout' }), RELIABLE_TIMEOUT_MS);
    } else if (p.sends < p.rc) {
      p.timer = this.o.clock.setTimeout(() => this.transmit(key, p), p.interval);
      p.interval *= 2;
    } else {
      p.timer = this.o.clock.setTimeout(() => this.finish(key, { ok: false, reason: 'timeout' }), this.rm * p.rto);
    }
  }

  private finish(key: string, outcome: StunOutcome): void {
    const p = this.pending.get(key);
    if (!p) return;
    this.o.clock.clearTimeout(p.timer);
    this.pending.delete(key);
    p.resolve(outcome);
  }

  /** Offer a parsed response; true when it answered one of our requests (§6.3.3). */
  handleResponse(message: StunMessage): boolean {
    if (message.cls !== StunClass.SuccessResponse && message.cls !== StunClass.ErrorResponse) return false;
    const key = message.transactionId.toString('hex');
    if (!this.pending.has(key)) return false;
    this.finish(key, { ok: true, response: message });
    return true;
  }

  /** Requests still waiting for an answer. */
  get outstanding(): number {
    return this.pending.size;
  }

  close(): void {
    this.closed = true;
    for (const key of [...this.pending.keys()]) this.finish(key, { ok: false, reason: 'closed' });
  }
}
