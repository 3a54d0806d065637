/**
 * Whether to follow a REFER (RFC 3515 §2.4.2 leaves the decision to the recipient): toll-fraud bots
 * that reach a call REFER it to premium numbers on their own hosts. Per account:
 *
 *   domain (default)  follow targets whose host is the account's SIP domain or its registrar's /
 *                     proxy's; decline the rest (603)
 *   ask               the host decides (transfer-request event, accept-transfer / reject-transfer)
 *   any               follow every SIP target
 *
 * Pure, so every rule is a table test.
 */
import type { SipUri } from '../sip/message/index.js';
import type { TransferPolicy } from '../sip/ua/core/account.js';

export interface TransferScope {
  policy: TransferPolicy;
  /** Hosts `domain` accepts, lower case, IPv6 without brackets. */
  domains: readonly string[];
}

export type TransferDecision = { action: 'follow' | 'ask'; reason?: undefined } | { action: 'decline'; reason: string };

export function decideTransfer(scope: TransferScope, target: SipUri): TransferDecision {
  if (target.scheme !== 'sip' && target.scheme !== 'sips') return { action: 'decline', reason: `${target.scheme}: targets are not followed` };
  if (scope.policy === 'any') return { action: 'follow' };
  if (scope.policy === 'ask') return { action: 'ask' };
  const host = bare(target.host);
  if (scope.domains.includes(host)) return { action: 'follow' };
  const allowed = scope.domains.length > 0 ? scope.domains.join(', ') : 'no domain (no account)';
  return { action: 'decline', reason: `${host} is not the account's domain (${allowed})` };
}

function bare(host: string): string {
  return (host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host).toLowerCase();
}
