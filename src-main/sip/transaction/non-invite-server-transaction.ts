import type { SipRequest } from '../message/index.js';
import type { Source } from '../transport/types.js';
import { ServerTransactionBase, type ServerEvent } from './server-transaction-base.js';
import { timerValues } from './timers.js';
import type { TransactionContext } from './types.js';

/**
 * Non-INVITE server transaction: RFC 3261 §17.2.2.
 *
 *   request ─▶ Trying ──1xx from TU──▶ Proceeding ──200-699 from TU──▶ Completed ──Timer J──▶ Terminated
 *   (retransmission absorbed) │  (retransmission: resend 1xx)  ▲  (retransmission: resend final)
 *                             └──────200-699 from TU───────────┘
 *   transport error ──▶ Terminated (onTransportError)
 */
export type NonInviteServerState = 'trying' | 'proceeding' | 'completed' | 'terminated';

export class NonInviteServerTransaction extends ServerTransactionBase<Exclude<NonInviteServerState, 'terminated'>, 'J'> {
  readonly kind = 'nist';

  constructor(ctx: TransactionContext, key: string, request: SipRequest, source: Source) {
    super(ctx, key, request, source, 'trying');
  }

  protected on(event: ServerEvent<'J'>): void {
    switch (this.current) {
      case 'trying':
      case 'proceeding':
        if (event.type === 'respond') {
          if (event.response.status < 200) {
            this.current = 'proceeding';
            this.send(event.response);
          } else {
            this.current = 'completed';
            this.send(event.response);
            const j = timerValues(this.ctx.settings, this.reliable).J;
            if (this.current === 'completed') this.startTimer('J', j);
          }
        } else if (event.type === 'request' && this.current === 'proceeding') {
          this.send(this.lastResponse!);
        } else if (event.type === 'transport-error') {
          this.fail(event.error);
        }
        return;
      case 'completed':
        if (event.type === 'request') this.send(this.lastResponse!);
        else if (event.type === 'timer') this.terminate();
        else if (event.type === 'transport-error') this.fail(event.error);
        return;
      case 'terminated':
        // Reliable transports terminate at once (Timer J = 0): a late send failure still counts.
        if (event.type === 'transport-error') this.onTransportError?.(event.error);
        return;
    }
  }

}
