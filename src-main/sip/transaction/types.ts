/**
 * What the transactions themselves need and report (RFC 3261 §17). The transaction kinds and the
 * transaction user's interface, which name the transaction classes, are in transaction-user.ts.
 */
import type { Clock } from '../../util/clock.js';
import type { SipResponse } from '../message/index.js';
import type { Destination, Source, Transport } from '../transport/types.js';
import type { TimerSettings } from './timers.js';

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
