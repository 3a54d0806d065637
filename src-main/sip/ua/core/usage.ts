/**
 * The seam between the user agent core and the SIP usages beside the INVITE one (RFC 5057 "dialog
 * usages"): subscriptions (RFC 6665), publications (RFC 3903) and MESSAGE (RFC 3428). The user
 * agent owns accounts, credentials and the incoming policy; a usage sees them through this port
 * and may claim incoming requests before the INVITE usage does.
 */
import type { NameAddr, SipRequest, SipUri } from '../../message/index.js';
import type { DigestClient } from '../../message/digest.js';
import type { ServerTransaction } from '../../transaction/index.js';
import type { Source, TransportProtocol } from '../../transport/types.js';
import type { Clock } from '../../../util/clock.js';
import type { RequestContext } from './outgoing-request.js';
import type { PolicyVerdict } from './incoming-policy.js';

/** One account as a usage sends from it. */
export interface UsageAccount {
  key: string;
  aor: SipUri;
  displayName: string | undefined;
  auth: DigestClient;
  protocol: TransportProtocol;
  /** Preloaded route (RFC 3261 §8.1.2), when the account has one. */
  outboundProxy: SipUri | undefined;
  /** Where out-of-dialog requests go first without a proxy: the registrar of a registering account. */
  firstHop: SipUri | undefined;
  /** The registrar, or the AOR's domain: where the account's own server lives. */
  registrar: SipUri;
  contact(): NameAddr;
}

export interface UsageHost {
  ctx: RequestContext;
  clock: Clock;
  userAgent: string;
  /** RFC 3261 T1, ms (RFC 6665 §4.1.2.4 Timer N is 64·T1). */
  t1: number;
  /** The named account, or the first one. */
  account(key?: string): UsageAccount | undefined;
  /** The account a request is addressed to (its Request-URI user), else the first one. */
  accountFor(request: SipRequest): UsageAccount | undefined;
  /** The incoming-call policy, applied to any out-of-dialog request (docs/decisions.md, "Incoming-call safety"). */
  checkPolicy(request: SipRequest, source: Source): PolicyVerdict;
  /** The source is an address one of the accounts' registrar or outbound proxy resolves to. */
  fromServer(source: Source): boolean;
  notice(message: string): void;
}

export interface RequestUsage {
  /**
   * Claim an incoming request (and answer it), or return false to leave it to the next usage and
   * then to the INVITE usage. `tx` is undefined only for ACK.
   */
  receive(request: SipRequest, tx: ServerTransaction | undefined, source: Source): boolean;
}
