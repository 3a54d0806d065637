/**
 * Incoming-call safety: SIP scanners send INVITEs to random users (100@ip) from random hosts and
 * make most softphones ring with ghost calls (and, worse, auto-answer them). By default an
 * out-of-dialog INVITE rings only when it comes from the account's registrar or outbound proxy
 * (their resolved addresses; a flow we registered on has the registrar's address at its far end).
 * The Request-URI user alone proves nothing: scanners guess it. See docs/security.md, "Signalling".
 */
import type { SipRequest } from '../../message/index.js';
import type { Source } from '../../transport/types.js';
import type { IncomingCallPolicy } from './account.js';

export interface PolicyAccount {
  policy: IncomingCallPolicy;
  /** User part of the AOR and of our Contact (only `trusted-or-addressed` looks at it). */
  user: string | undefined;
  /** IP addresses the registrar / outbound proxy resolve to (empty: the account has no server). */
  trustedAddresses: ReadonlySet<string>;
}

export type PolicyVerdict = { accept: true } | { accept: false; reason: string };

/** Whether the source is one of the accounts' servers (registrar, outbound proxy). */
export function fromAccountServer(source: Source, accounts: PolicyAccount[]): boolean {
  return accounts.some((a) => a.trustedAddresses.has(source.address));
}

/**
 * Without any account the phone is a direct-IP phone and takes every call (nothing to trust
 * instead). With accounts, a call rings when one of them accepts it: `any` accepts everything;
 * `trusted` (default) what comes from its servers; `trusted-or-addressed` (explicit, weaker) also
 * INVITEs whose Request-URI user is the account's.
 */
export function checkIncomingInvite(request: SipRequest, source: Source, accounts: PolicyAccount[]): PolicyVerdict {
  if (accounts.length === 0 || accounts.some((a) => a.policy === 'any')) return { accept: true };
  for (const a of accounts) {
    if (a.trustedAddresses.has(source.address)) return { accept: true };
    if (a.policy === 'trusted-or-addressed' && a.user !== undefined && request.uri.user === a.user) return { accept: true };
  }
  return {
    accept: false,
    reason: `INVITE for ${request.uri.user ?? '(no user)'} from ${source.address}:${source.port}: not from the registrar or proxy` +
      ' (direct calls need incoming policy "any")',
  };
}
