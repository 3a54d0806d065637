/**
 * What the INVITE and non-INVITE server transactions share (RFC 3261 §17.2): the request and its
 * source, the last response (resent on retransmissions), timers, sending with transport errors
 * turned into events (§17.2.4), and termination. Each subclass is one state machine: an
 * `on(event)` with one switch.
 */
import type { SipRequest, SipResponse } from '../message/index.js';
import type { Source } from '../transport/types.js';
import { sendResponse } from './server-send.js';
import { TimerSet } from './timers.js';
import { toError, type ServerTransactionEvents, type TransactionContext } from './types.js';

export type ServerEvent<TimerName extends string> =
  | { type: 'request'; request: SipRequest }
  | { type: 'respond'; response: SipResponse }
  | { type: 'timer'; name: TimerName }
  | { type: 'transport-error'; error: Error };

export abstract class ServerTransactionBase<State extends string, TimerName extends string> implements ServerTransactionEvents {
  onTransportError?: (error: Error) => void;
  onTerminated?: () => void;
  protected readonly reliable: boolean;
  protected readonly timers: TimerSet<TimerName>;
  protected lastResponse: SipResponse | undefined;

  protected constructor(
    protected readonly ctx: TransactionContext,
    readonly key: string,
    readonly request: SipRequest,
    readonly source: Source,
    protected current: State | 'terminated',
  ) {
    this.reliable = ctx.transport.isReliable(source.protocol);
    this.timers = new TimerSet(ctx.clock);
  }

  get state(): State | 'terminated' {
    return this.current;
  }

  /** The last response sent (the final one once Completed or Accepted). */
  get response(): SipResponse | undefined {
    return this.lastResponse;
  }

  /** Send a response from the TU. */
  respond(response: SipResponse): void {
    this.on({ type: 'respond', response });
  }

  /** A retransmission of the request (or, for INVITE, an ACK) matched to this transaction. */
  receiveRequest(request: SipRequest): void {
    this.on({ type: 'request', request });
  }

  protected abstract on(event: ServerEvent<TimerName>): void;

  protected startTimer(name: TimerName, ms: number): void {
    this.timers.start(name, ms, () => this.on({ type: 'timer', name }));
  }

  protected send(response: SipResponse): void {
    this.lastResponse = response;
    sendResponse(this.ctx.transport, this.source, response).catch((error: unknown) =>
      this.on({ type: 'transport-error', error: toError(error) }),
    );
  }

  /** §17.2.4: the transport failed; tell the TU and terminate. */
  protected fail(error: Error): void {
    this.terminate();
    this.onTransportError?.(error);
  }

  /** Stop everything and drop from the layer's table (also used when the layer shuts down). */
  terminate(): void {
    if (this.current === 'terminated') return;
    this.current = 'terminated';
    this.timers.stopAll();
    this.ctx.terminated(this.key, this);
    this.onTerminated?.();
  }
}
