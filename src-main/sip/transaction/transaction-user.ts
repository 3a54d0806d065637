/** The contract between the transaction layer and its transaction user (RFC 3261 §17). */
import type { SipRequest, SipResponse } from '../message/index.js';
import type { Source } from '../transport/types.js';
import type { InviteClientTransaction } from './invite-client-transaction.js';
import type { InviteServerTransaction } from './invite-server-transaction.js';
import type { NonInviteClientTransaction } from './non-invite-client-transaction.js';
import type { NonInviteServerTransaction } from './non-invite-server-transaction.js';
import type { Screening } from './types.js';

/** Tell them apart by `kind`: 'ict' | 'nict' and 'ist' | 'nist'. */
export type ClientTransaction = InviteClientTransaction | NonInviteClientTransaction;
export type ServerTransaction = InviteServerTransaction | NonInviteServerTransaction;

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
