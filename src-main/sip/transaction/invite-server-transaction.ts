import { createResponse } from '../message/index.js';
import type { SipRequest, SipResponse } from '../message/index.js';
import type { Source } from '../transport/types.js';
import { sendResponse } from './server-send.js';
import { TimerSet, timerValues, tryingDelay } from './timers.js';
import { toError, type ServerTransactionEvents, type TransactionContext } from './types.js';

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
type Event =
  | { type: 'request'; request: SipRequest }
  | { type: 'respond'; response: SipResponse }
  | { type: 'timer'; name: TimerName }
  | { type: 'transport-error'; error: Error };

export class InviteServerTransaction implements ServerTransactionEvents {
  readonly kind = 'ist';
  onTransportError?: (error: Error) => void;
  onAckTimeout?: () => void;
  onTerminated?: () => void;
  private current: InviteServerState = 'proceeding';
  private readonly reliable: boolean;
  private lastResponse: SipResponse | undefined;
  private intervalG: number;
  private readonly timers: TimerSet<TimerName>;

  /** `passUp` delivers an ACK received in Accepted (a 2xx ACK that reused the branch) to the TU. */
  constructor(
    private readonly ctx: TransactionContext,
    readonly key: string,
    readonly request: SipRequest,
    readonly source: Source,
    private readonly passUp: (ack: SipRequest) => void,
  ) {
    this.reliable = ctx.transport.isReliable(source.protocol);
    this.intervalG = ctx.settings.T1;
    this.timers = new TimerSet(ctx.clock);
    this.timers.start('trying', tryingDelay, () => this.on({ type: 'timer', name: 'trying' }));
  }

  get state(): InviteServerState {
    return this.current;
  }

  /** The last response sent (the final one once Completed or Accepted). */
  get response(): SipResponse | undefined {
    return this.lastResponse;
  }

  /** Send a response from the TU: 1xx and one final; in Accepted, 2xx retransmissions. */
  respond(response: SipResponse): void {
    this.on({ type: 'respond', response });
  }

  /** A retransmitted INVITE or an ACK matched to this transaction. */
  receiveRequest(request: SipRequest): void {
    this.on({ type: 'request', request });
  }

  private on(event: Event): void {
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
            this.timers.start('L', t.L, () => this.on({ type: 'timer', name: 'L' }));
          } else if (status >= 300) {
            this.current = 'completed';
            if (!this.reliable) this.startG();
            this.timers.start('H', t.H, () => this.on({ type: 'timer', name: 'H' }));
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
          this.timers.start('I', t.I, () => this.on({ type: 'timer', name: 'I' }));
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
    this.timers.start('G', this.intervalG, () => this.on({ type: 'timer', name: 'G' }));
  }

  private send(response: SipResponse): void {
    this.lastResponse = response;
    sendResponse(this.ctx.transport, this.source, response).catch((error: unknown) =>
      this.on({ type: 'transport-error', error: toError(error) }),
    );
  }

  /** §17.2.4: the transport failed; tell the TU and terminate. */
  private fail(error: Error): void {
    this.terminate();
    this.onTransportError?.(error);
  }

  terminate(): void {
    if (this.current === 'terminated') return;
    this.current = 'terminated';
    this.timers.stopAll();
    this.ctx.terminated(this.key, this);
    this.onTerminated?.();
  }
}
