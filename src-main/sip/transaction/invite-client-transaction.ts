import type { SipRequest, SipResponse } from '../message/index.js';
import type { Destination } from '../transport/types.js';
import { buildNon2xxAck } from './non-2xx-ack.js';
import { TimerSet, timerValues } from './timers.js';
import { toError, type ClientTransactionHandler, type TransactionContext } from './types.js';

/**
 * INVITE client transaction: RFC 3261 §17.1.1, with the Accepted state of RFC 6026 §8.4.
 *
 *            Timer A: retransmit (unreliable, doubling)
 *   Calling ───1xx──▶ Proceeding ──300-699 (send ACK)──▶ Completed ──Timer D──▶ Terminated
 *      │  └──────────────300-699 (send ACK)───────────────▲   300-699: resend ACK
 *      ├──2xx──▶ Accepted ◀──2xx── Proceeding                  (every 2xx passed up)
 *      │           └──Timer M──▶ Terminated
 *      └──Timer B / transport error──▶ Terminated (TU told)
 */
export type InviteClientState = 'calling' | 'proceeding' | 'accepted' | 'completed' | 'terminated';

type Event =
  | { type: 'sent'; destination: Destination }
  | { type: 'response'; response: SipResponse }
  | { type: 'timer'; name: 'A' | 'B' | 'D' | 'M' }
  | { type: 'transport-error'; error: Error };

export class InviteClientTransaction {
  readonly kind = 'ict';
  private current: InviteClientState = 'calling';
  /** Where the INVITE actually went (the transport may switch UDP to TCP, §18.1.1). */
  destination: Destination;
  private reliable: boolean;
  private intervalA: number;
  private ack: SipRequest | undefined;
  private readonly timers: TimerSet<'A' | 'B' | 'D' | 'M'>;

  constructor(
    private readonly ctx: TransactionContext,
    readonly key: string,
    readonly request: SipRequest,
    destination: Destination,
    private readonly handler: ClientTransactionHandler,
  ) {
    this.destination = destination;
    this.reliable = ctx.transport.isReliable(destination.protocol);
    this.intervalA = ctx.settings.T1;
    this.timers = new TimerSet(ctx.clock);
  }

  get state(): InviteClientState {
    return this.current;
  }

  /** §17.1.1.2: send the INVITE, start Timer B; Timer A once the transport is known. */
  start(): void {
    this.timers.start('B', timerValues(this.ctx.settings, this.reliable).B, () => this.on({ type: 'timer', name: 'B' }));
    this.ctx.transport.send(this.request, this.destination).then(
      (destination) => this.on({ type: 'sent', destination }),
      (error: unknown) => this.on({ type: 'transport-error', error: toError(error) }),
    );
  }

  receiveResponse(response: SipResponse): void {
    this.on({ type: 'response', response });
  }

  private on(event: Event): void {
    switch (this.current) {
      case 'calling':
        if (event.type === 'sent') {
          this.destination = event.destination;
          this.reliable = this.ctx.transport.isReliable(event.destination.protocol);
          if (!this.reliable) this.startA();
        } else if (event.type === 'timer' && event.name === 'A') {
          this.retransmit(this.request);
          this.intervalA *= 2;
          this.startA();
        } else if (event.type === 'timer' && event.name === 'B') {
          this.terminate();
          this.handler.onTimeout();
        } else {
          this.onResponseOrError(event);
        }
        return;
      case 'proceeding':
        this.onResponseOrError(event);
        return;
      case 'accepted':
        // RFC 6026 §8.4: further 2xx (retransmissions, other forks) go to the TU.
        if (event.type === 'response' && event.response.status >= 200 && event.response.status < 300) {
          this.handler.onResponse(event.response);
        } else if (event.type === 'timer' && event.name === 'M') {
          this.terminate();
        }
        return;
      case 'completed':
        // §17.1.1.2: final retransmissions are answered with the same ACK, not passed up.
        if (event.type === 'response' && event.response.status >= 300 && this.ack) {
          this.retransmit(this.ack);
        } else if ((event.type === 'timer' && event.name === 'D') || event.type === 'transport-error') {
          this.terminate(); // the TU already has the final response
        }
        return;
      case 'terminated':
        return;
    }
  }

  /** Calling and Proceeding share their response and error handling. */
  private onResponseOrError(event: Event): void {
    if (event.type === 'transport-error') {
      // §17.1.4: inform the TU and terminate.
      this.terminate();
      this.handler.onTransportError(event.error);
      return;
    }
    if (event.type !== 'response') return;
    const { response } = event;
    const t = timerValues(this.ctx.settings, this.reliable);
    if (response.status < 200) {
      // §17.1.1.2: no more retransmissions; Timer B only guards the Calling state.
      this.current = 'proceeding';
      this.timers.stopAll();
      this.handler.onResponse(response);
    } else if (response.status < 300) {
      this.current = 'accepted';
      this.timers.stopAll();
      this.handler.onResponse(response);
      if (this.current === 'accepted') this.timers.start('M', t.M, () => this.on({ type: 'timer', name: 'M' }));
    } else {
      this.current = 'completed';
      this.timers.stopAll();
      this.ack = buildNon2xxAck(this.request, response);
      this.retransmit(this.ack);
      this.handler.onResponse(response);
      if (this.current === 'completed') this.timers.start('D', t.D, () => this.on({ type: 'timer', name: 'D' }));
    }
  }

  private startA(): void {
    this.timers.start('A', this.intervalA, () => this.on({ type: 'timer', name: 'A' }));
  }

  private retransmit(message: SipRequest): void {
    this.ctx.transport.send(message, this.destination).catch((error: unknown) =>
      this.on({ type: 'transport-error', error: toError(error) }),
    );
  }

  /** Stop everything and drop from the layer's table (also used when the layer shuts down). */
  terminate(): void {
    if (this.current === 'terminated') return;
    this.current = 'terminated';
    this.timers.stopAll();
    this.ctx.terminated(this.key, this);
  }
}
