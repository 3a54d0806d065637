/**
 * What the INVITE and non-INVITE client transactions share (RFC 3261 §17.1): the request, where it
 * really went (the transport may switch UDP to TCP, §18.1.1), timers, sending and retransmitting
 * with transport errors turned into events (§17.1.4), and termination. Each subclass is one state
 * machine: an `on(event)` with one switch.
 */
import type { SipRequest, SipResponse } from '../message/index.js';
import type { Destination } from '../transport/types.js';
import { TimerSet } from './timers.js';
import { toError, type ClientTransactionHandler, type TransactionContext } from './types.js';

export type ClientEvent<TimerName extends string> =
  | { type: 'sent'; destination: Destination }
  | { type: 'response'; response: SipResponse }
  | { type: 'timer'; name: TimerName }
  | { type: 'transport-error'; error: Error };

export abstract class ClientTransactionBase<State extends string, TimerName extends string> {
  /** Where the request actually went. */
  destination: Destination;
  protected reliable: boolean;
  protected readonly timers: TimerSet<TimerName>;

  protected constructor(
    protected readonly ctx: TransactionContext,
    readonly key: string,
    readonly request: SipRequest,
    destination: Destination,
    protected readonly handler: ClientTransactionHandler,
    protected current: State | 'terminated',
  ) {
    this.destination = destination;
    this.reliable = ctx.transport.isReliable(destination.protocol);
    this.timers = new TimerSet(ctx.clock);
  }

  get state(): State | 'terminated' {
    return this.current;
  }

  receiveResponse(response: SipResponse): void {
    this.on({ type: 'response', response });
  }

  protected abstract on(event: ClientEvent<TimerName>): void;

  /** First transmission: the transport reports where it really went as a 'sent' event. */
  protected sendRequest(): void {
    this.ctx.transport.send(this.request, this.destination).then(
      (destination) => this.on({ type: 'sent', destination }),
      (error: unknown) => this.on({ type: 'transport-error', error: toError(error) }),
    );
  }

  /** Retransmission (or the ACK for a non-2xx) to the same destination. */
  protected resend(message: SipRequest): void {
    this.ctx.transport.send(message, this.destination).catch((error: unknown) =>
      this.on({ type: 'transport-error', error: toError(error) }),
    );
  }

  /** Learn the transport actually used (reliable ones need no retransmission timers, §17.1.1.2). */
  protected sent(destination: Destination): void {
    this.destination = destination;
    this.reliable = this.ctx.transport.isReliable(destination.protocol);
  }

  protected startTimer(name: TimerName, ms: number): void {
    this.timers.start(name, ms, () => this.on({ type: 'timer', name }));
  }

  /** Stop everything and drop from the layer's table (also used when the layer shuts down). */
  terminate(): void {
    if (this.current === 'terminated') return;
    this.current = 'terminated';
    this.timers.stopAll();
    this.ctx.terminated(this.key, this);
  }
}
