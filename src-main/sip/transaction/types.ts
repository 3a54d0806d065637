/** Contracts between the transaction layer and its transaction user (RFC 3261 §17). */
import type { Clock } from '../../util/clock.js';
import type { SipRequest, SipResponse } from '../message/index.js';
import type { Destination, Source, Transport } from '../transport/types.js';
import type { InviteClientTransaction } from './invite-client-transaction.js';
import type { InviteServerTransaction } from './invite-server-transaction.js';
import type { NonInviteClientTransaction } from './non-invite-client-transaction.js';
import type { NonInviteServerTransaction } from './non-invite-server-transaction.js';
import type { TimerSettings } from './timers.js';

export type ClientTransaction = InviteClientTransaction | NonInviteClientTransaction;
export type ServerTransaction = InviteServerTransaction | NonInviteServerTransaction;

/** What a client transaction reports to its TU. */
export interface ClientTransactionHandler {
  /** Provisional and final responses; for INVITE also every later 2xx (RFC 6026 Accepted). */
  onResponse(response: SipResponse): void;
  /** Timer B or F fired without a final response (§17.1.1.2, §17.1.2.2): treat as 408. */
  onTimeout(): void;
  /** §17.1.4: the transport failed; the transaction is terminated (treat as 503). */
  onTransportError(error: Error): void;
}

/** Callbacks a server transaction's TU may set. */
export interface ServerTransactionEvents {
  /** §17.2.4: sending a response failed; the transaction is terminated. */
  onTransportError?: (error: Error) => void;
  /** IST only: Timer H fired, no ACK came for our non-2xx final (§17.2.1). */
  onAckTimeout?: () => void;
  onTerminated?: () => void;
}

/**
 * What the TU decides about a new request before any transaction exists for it: accept it (a
 * server transaction is made), answer it statelessly (§8.2.7: nothing is kept, nothing is
 * retransmitted), or drop it unanswered.
 */
export type Screening =
  | { action: 'accept' }
  | { action: 'reject'; status: number; reason?: string; headers?: Array<[string, string]> }
  | { action: 'drop' };

/** What the transaction layer hands up (§17: the TU is the dialog / UA core above us). */
export interface TransactionUser {
  /** Optional first look at a new request (not a retransmission, not an ACK); default accept. */
  screen?(request: SipRequest, source: Source): Screening;
  /**
   * A new request, with its server transaction. `tx` is undefined for an ACK that matches no
   * transaction: the ACK for a 2xx, which belongs to the dialog (§13.3.1.4, RFC 6026 §7.1).
   * Retransmissions never arrive here.
   */
  onRequest(request: SipRequest, tx: ServerTransaction | undefined, source: Source): void;
  /** A response that matches no client transaction (§18.1.2), e.g. a 2xx after Timer M. */
  onStrayResponse(response: SipResponse, source: Source): void;
}

/** What each transaction needs from the layer that owns it. */
export interface TransactionContext {
  transport: Transport;
  clock: Clock;
  settings: TimerSettings;
  /** Called once when the transaction reaches Terminated, to drop it from the tables. */
  terminated(key: string, tx: object): void;
}

export type { Destination, Source };

export function toError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
