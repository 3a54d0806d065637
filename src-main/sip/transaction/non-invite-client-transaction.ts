import type { SipRequest, SipResponse } from '../message/index.js';
import type { Destination } from '../transport/types.js';
import { TimerSet, timerValues } from './timers.js';
import { toError, type ClientTransactionHandler, type TransactionContext } from './types.js';

/**
 * Non-INVITE client transaction: RFC 3261 §17.1.2.
 *
 *          Timer E: retransmit (unreliable; doubling up to T2 in Trying, T2 in Proceeding)
 *   Trying ──1xx──▶ Proceeding ──200-699──▶ Completed ──Timer K──▶ Terminated
 *     │ └──────────200-699───────────────────▲          (final retransmissions absorbed)
 *     └──Timer F / transport error (also from Proceeding)──▶ Terminated (TU told)
 */
export type NonInviteClientState = 'trying' | 'proceeding' | 'completed' | 'terminated';

type Event =
  | { type: 'sent'; destination: Destination }
  | { type: 'response'; response: SipResponse }
  | { type: 'timer'; name: 'E' | 'F' | 'K' }
  | { type: 'transport-error'; error: Error };

export class NonInviteClientTransaction {
  readonly kind = 'nict';
  private current: NonInviteClientState = 'trying';
  /** Where the request actually went (the transport may switch UDP to TCP, §18.1.1). */
  destination: Destination;
  private reliable: boolean;
  private intervalE: number;
  private readonly timers: TimerSet<'E' | 'F' | 'K'>;

  constructor(
    private readonly ctx: TransactionContext,
    readonly key: string,
    readonly request: SipRequest,
    destination: Destination,
    private readonly handler: ClientTransactionHandler,
  ) {
    this.destination = destination;
    this.reliable = ctx.transport.isReliable(destination.protocol);
    this.intervalE = ctx.settings.T1;
    this.timers = new TimerSet(ctx.clock);
  }

  get state(): NonInviteClientState {
    return this.current;
  }

  /** §17.1.2.2: send the request, start Timer F; Timer E once the transport is known. */
  start(): void {
    this.timers.start('F', timerValues(this.ctx.settings, this.reliable).F, () => this.on({ type: 'timer', name: 'F' }));
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
      case 'trying':
      case 'proceeding':
        if (event.type === 'sent') {
          this.destination = event.destination;
          this.reliable = this.ctx.transport.isReliable(event.destination.protocol);
          if (!this.reliable) this.startE();
        } else if (event.type === 'timer' && event.name === 'E') {
          this.retransmit();
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
    if (this.current === 'completed') this.timers.start('K', k, () => this.on({ type: 'timer', name: 'K' }));
  }

  private startE(): void {
    this.timers.start('E', this.intervalE, () => this.on({ type: 'timer', name: 'E' }));
  }

  private retransmit(): void {
    this.ctx.transport.send(this.request, this.destination).catch((error: unknown) =>
      this.on({ type: 'transport-error', error: toError(error) }),
    );
  }

  terminate(): void {
    if (this.current === 'terminated') return;
    this.current = 'terminated';
    this.timers.stopAll();
    this.ctx.terminated(this.key, this);
  }
}
