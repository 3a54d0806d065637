import type { SipRequest } from '../message/index.js';
import type { Destination } from '../transport/types.js';
import { buildNon2xxAck } from './non-2xx-ack.js';
import { timerValues } from './timers.js';
import type { ClientTransactionHandler, TransactionContext } from './types.js';
import { ClientTransactionBase, type ClientEvent } from './client-transaction-base.js';

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

type Event = ClientEvent<'A' | 'B' | 'D' | 'M'>;

export class InviteClientTransaction extends ClientTransactionBase<Exclude<InviteClientState, 'terminated'>, 'A' | 'B' | 'D' | 'M'> {
  readonly kind = 'ict';
  private intervalA: number;
  private ack: SipRequest | undefined;

  constructor(ctx: TransactionContext, key: string, request: SipRequest, destination: Destination, handler: ClientTransactionHandler) {
    super(ctx, key, request, destination, handler, 'calling');
    this.intervalA = ctx.settings.T1;
  }

  /** §17.1.1.2: send the INVITE, start Timer B; Timer A once the transport is known. */
  start(): void {
    this.startTimer('B', timerValues(this.ctx.settings, this.reliable).B);
    this.sendRequest();
  }

  protected on(event: Event): void {
    switch (this.current) {
      case 'calling':
        if (event.type === 'sent') {
          this.sent(event.destination);
          if (!this.reliable) this.startA();
        } else if (event.type === 'timer' && event.name === 'A') {
          this.resend(this.request);
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
          this.resend(this.ack);
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
      if (this.current === 'accepted') this.startTimer('M', t.M);
    } else {
      this.current = 'completed';
      this.timers.stopAll();
      this.ack = buildNon2xxAck(this.request, response);
      this.resend(this.ack);
      this.handler.onResponse(response);
      if (this.current === 'completed') this.startTimer('D', t.D);
    }
  }

  private startA(): void {
    this.startTimer('A', this.intervalA);
  }
}
