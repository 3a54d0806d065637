import type { SipRequest, SipResponse } from '../message/index.js';
import type { Destination } from '../transport/types.js';
import { timerValues } from './timers.js';
import type { ClientTransactionHandler, TransactionContext } from './types.js';
import { ClientTransactionBase, type ClientEvent } from './client-transaction-base.js';

/**
 * Non-INVITE client transaction: RFC 3261 §17.1.2.
 *
 *          Timer E: retransmit (unreliable; doubling up to T2 in Trying, T2 in Proceeding)
 *   Trying ──1xx──▶ Proceeding ──200-699──▶ Completed ──Timer K──▶ Terminated
 *     │ └──────────200-699───────────────────▲          (final retransmissions absorbed)
 *     └──Timer F / transport error (also from Proceeding)──▶ Terminated (TU told)
 */
export type NonInviteClientState = 'trying' | 'proceeding' | 'completed' | 'terminated';

type Event = ClientEvent<'E' | 'F' | 'K'>;

export class NonInviteClientTransaction extends ClientTransactionBase<Exclude<NonInviteClientState, 'terminated'>, 'E' | 'F' | 'K'> {
  readonly kind = 'nict';
  private intervalE: number;

  constructor(ctx: TransactionContext, key: string, request: SipRequest, destination: Destination, handler: ClientTransactionHandler) {
    super(ctx, key, request, destination, handler, 'trying');
    this.intervalE = ctx.settings.T1;
  }

  /** §17.1.2.2: send the request, start Timer F; Timer E once the transport is known. */
  start(): void {
    this.startTimer('F', timerValues(this.ctx.settings, this.reliable).F);
    this.sendRequest();
  }

  protected on(event: Event): void {
    switch (this.current) {
      case 'trying':
      case 'proceeding':
        if (event.type === 'sent') {
          this.sent(event.destination);
          if (!this.reliable) this.startE();
        } else if (event.type === 'timer' && event.name === 'E') {
          this.resend(this.request);
          // §17.1.2.2: doubling up to T2 while Trying; T2 once Proceeding.
          this.intervalE = this.current === 'trying' ? Math.min(2 * this.intervalE, this.ctx.settings.T2) : this.ctx.settings.T2;
          this.startE();
        } else if (event.type === 'timer' && event.name === 'F') {
          this.terminate();
          this.handler.onTimeout();
        } else if (event.type === 'transport-error') {
          // §17.1.4
          this.terminate();
          this.handler.onTransportError(event.error);
        } else if (event.type === 'response') {
          this.onResponse(event.response);
        }
        return;
      case 'completed':
        // Final response retransmissions are absorbed until Timer K.
        if (event.type === 'timer' && event.name === 'K') this.terminate();
        return;
      case 'terminated':
        return;
    }
  }

  private onResponse(response: SipResponse): void {
    if (response.status < 200) {
      this.current = 'proceeding';
      this.handler.onResponse(response);
      return;
    }
    this.current = 'completed';
    this.timers.stopAll();
    this.handler.onResponse(response);
    const k = timerValues(this.ctx.settings, this.reliable).K;
    if (this.current === 'completed') this.startTimer('K', k);
  }

  private startE(): void {
    this.startTimer('E', this.intervalE);
  }
}
