import { createResponse } from '../message/index.js';
import type { SipRequest } from '../message/index.js';
import type { Source } from '../transport/types.js';
import { ServerTransactionBase, type ServerEvent } from './server-transaction-base.js';
import { timerValues, tryingDelay } from './timers.js';
import type { TransactionContext } from './types.js';

/**
 * INVITE server transaction: RFC 3261 §17.2.1, with the Accepted state of RFC 6026 §7.1.
 *
 *   INVITE ─▶ Proceeding ──2xx from TU──▶ Accepted ──Timer L──▶ Terminated
 *   100 Trying at 200 ms │   (TU's 2xx retransmissions sent; INVITE absorbed; ACK passed up)
 *   INVITE: resend 1xx   └──300-699 from TU──▶ Completed ──ACK──▶ Confirmed ──Timer I──▶ Terminated
 *                           Timer G / INVITE: resend final │
 *                                        Timer H (no ACK) └──▶ Terminated (onAckTimeout)
 *   transport error in any state ──▶ Terminated (onTransportError)
 */
export type InviteServerState = 'proceeding' | 'accepted' | 'completed' | 'confirmed' | 'terminated';

type TimerName = 'trying' | 'G' | 'H' | 'I' | 'L';

export class InviteServerTransaction extends ServerTransactionBase<Exclude<InviteServerState, 'terminated'>, TimerName> {
  readonly kind = 'ist';
  onAckTimeout?: () => void;
  private intervalG: number;

  /** `passUp` delivers an ACK received in Accepted (a 2xx ACK that reused the branch) to the TU. */
  constructor(
    ctx: TransactionContext,
    key: string,
    request: SipRequest,
    source: Source,
    private readonly passUp: (ack: SipRequest) => void,
  ) {
    super(ctx, key, request, source, 'proceeding');
    this.intervalG = ctx.settings.T1;
    this.startTimer('trying', tryingDelay);
  }

  /** In Proceeding: 1xx and one final; in Accepted, the TU's 2xx retransmissions. */
  protected on(event: ServerEvent<TimerName>): void {
    const t = timerValues(this.ctx.settings, this.reliable);
    switch (this.current) {
      case 'proceeding':
        if (event.type === 'timer' && event.name === 'trying') {
          // §17.2.1: 100 Trying if the TU has not answered within 200 ms.
          if (!this.lastResponse) this.send(createResponse(this.request, 100));
        } else if (event.type === 'request' && event.request.method === 'INVITE') {
          if (this.lastResponse) this.send(this.lastResponse);
        } else if (event.type === 'respond') {
          const status = event.response.status;
          this.timers.stop('trying');
          if (status >= 200 && status < 300) {
            this.current = 'accepted';
            this.startTimer('L', t.L);
          } else if (status >= 300) {
            this.current = 'completed';
            if (!this.reliable) this.startG();
            this.startTimer('H', t.H);
          }
          this.send(event.response);
        } else if (event.type === 'transport-error') {
          this.fail(event.error);
        }
        return;
      case 'accepted':
        // RFC 6026 §7.1: the TU retransmits its 2xx; INVITE retransmissions are absorbed.
        if (event.type === 'respond' && event.response.status >= 200 && event.response.status < 300) {
          this.send(event.response);
        } else if (event.type === 'request' && event.request.method === 'ACK') {
          this.passUp(event.request);
        } else if (event.type === 'timer' && event.name === 'L') {
          this.terminate();
        } else if (event.type === 'transport-error') {
          this.fail(event.error);
        }
        return;
      case 'completed':
        if (event.type === 'request' && event.request.method === 'INVITE') {
          this.send(this.lastResponse!);
        } else if (event.type === 'request' && event.request.method === 'ACK') {
          this.current = 'confirmed';
          this.timers.stopAll();
          this.startTimer('I', t.I);
        } else if (event.type === 'timer' && event.name === 'G') {
          this.send(this.lastResponse!);
          this.intervalG = Math.min(2 * this.intervalG, this.ctx.settings.T2);
          this.startG();
        } else if (event.type === 'timer' && event.name === 'H') {
          this.terminate();
          this.onAckTimeout?.();
        } else if (event.type === 'transport-error') {
          this.fail(event.error);
        }
        return;
      case 'confirmed':
        // Absorbs ACK retransmissions until Timer I.
        if (event.type === 'timer' && event.name === 'I') this.terminate();
        return;
      case 'terminated':
        return;
    }
  }

  private startG(): void {
    this.startTimer('G', this.intervalG);
  }
}
