/**
 * Incoming-call safety: SIP scanners send INVITEs to random users (100@ip) from random hosts and
 * make most softphones ring with ghost calls. Ring only for INVITEs from the account's registrar or
 * outbound proxy, or addressed to the account's user (docs/decisions.md, "Incoming-call safety").
 */
import type { SipRequest } from '../message/index.js';
import type { Source } from '../transport/types.js';
import type { IncomingCallPolicy } from './account.js';

export interface PolicyAccount {
  policy: IncomingCallPolicy;
  /** User part of the AOR and of our Contact. */
  user: string | undefined;
  /** IP addresses the registrar / outbound proxy resolved to. */
  trustedAddresses: ReadonlySet<string>;
}

export type PolicyVerdict = { accept: true } | { accept: false; reason: string };

export function checkIncomingInvite(request: SipRequest, source: Source, accounts: PolicyAccount[]): PolicyVerdict {
  if (accounts.length === 0 || accounts.some((a) => a.policy === 'any')) return { accept: true };
  for (const a of accounts) {
    if (a.trustedAddresses.has(source.address)) return { accept: true };
    if (a.user !== undefined && request.uri.user === a.user) return { accept: true };
  }
  return { accept: false, reason: `INVITE for ${request.uri.user ?? '(no user)'} from untrusted ${source.address}:${source.port}` };
}
