import type { SipRequest, SipResponse } from '../message/index.js';
import type { Source } from '../transport/types.js';
import { sendResponse } from './server-send.js';
import { TimerSet, timerValues } from './timers.js';
import { toError, type ServerTransactionEvents, type TransactionContext } from './types.js';

/**
 * Non-INVITE server transaction: RFC 3261 §17.2.2.
 *
 *   request ─▶ Trying ──1xx from TU──▶ Proceeding ──200-699 from TU──▶ Completed ──Timer J──▶ Terminated
 *   (retransmission absorbed) │  (retransmission: resend 1xx)  ▲  (retransmission: resend final)
 *                             └──────200-699 from TU───────────┘
 *   transport error ──▶ Terminated (onTransportError)
 */
export type NonInviteServerState = 'trying' | 'proceeding' | 'completed' | 'terminated';

type Event =
  | { type: 'request'; request: SipRequest }
  | { type: 'respond'; response: SipResponse }
  | { type: 'timer'; name: 'J' }
  | { type: 'transport-error'; error: Error };

export class NonInviteServerTransaction implements ServerTransactionEvents {
  readonly kind = 'nist';
  onTransportError?: (error: Error) => void;
  onTerminated?: () => void;
  private current: NonInviteServerState = 'trying';
  private readonly reliable: boolean;
  private lastResponse: SipResponse | undefined;
  private readonly timers: TimerSet<'J'>;

  constructor(
    private readonly ctx: TransactionContext,
    readonly key: string,
    readonly request: SipRequest,
    readonly source: Source,
  ) {
    this.reliable = ctx.transport.isReliable(source.protocol);
    this.timers = new TimerSet(ctx.clock);
  }

  get state(): NonInviteServerState {
    return this.current;
  }

  get response(): SipResponse | undefined {
    return this.lastResponse;
  }

  respond(response: SipResponse): void {
    this.on({ type: 'respond', response });
  }

  /** A retransmission of the request. */
  receiveRequest(request: SipRequest): void {
    this.on({ type: 'request', request });
  }

  private on(event: Event): void {
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
            if (this.current === 'completed') this.timers.start('J', j, () => this.on({ type: 'timer', name: 'J' }));
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

  private send(response: SipResponse): void {
    this.lastResponse = response;
    sendResponse(this.ctx.transport, this.source, response).catch((error: unknown) =>
      this.on({ type: 'transport-error', error: toError(error) }),
    );
  }

  /** §17.2.4 */
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
