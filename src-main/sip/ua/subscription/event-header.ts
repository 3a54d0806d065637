/** RFC 6665 §8.2.1 Event and §8.2.3 Subscription-State header fields, and §4.1.3's retry rules. */
import type { SipRequest } from '../../message/index.js';
import { readValueWithParams, SipParseError } from '../../message/index.js';
import { paramText, parseValueWithParams } from '../core/header-params.js';

export interface EventHeader {
  /** The event package, lower-cased (e.g. "presence", "dialog", "message-summary"). */
  package: string;
  id: string | undefined;
}

/** `Event: dialog;id=5`; throws SipParseError when missing or empty. */
export function getEvent(request: SipRequest): EventHeader {
  const raw = request.headers.get('Event');
  if (raw === undefined) throw new SipParseError('missing Event header field');
  const { value, params } = parseValueWithParams(raw, 'Event');
  return { package: value.toLowerCase(), id: paramText(params, 'id') };
}

export type SubstateValue = 'active' | 'pending' | 'terminated';

export interface SubscriptionStateHeader {
  state: SubstateValue;
  /** Seconds left (active, pending). */
  expires: number | undefined;
  /** Why it ended (terminated), lower-cased. */
  reason: string | undefined;
  /** Seconds the notifier asks us to wait before subscribing again. */
  retryAfter: number | undefined;
}

/**
 * §8.2.3, read tolerantly (RFC 3261 §1): the substate token is required, malformed parameters are
 * skipped (a phone's "terminated;reason=reason=noresource" is terminated, reason unknown). An unknown substate value is treated as "active" (§4.1.3: "... SHOULD be treated as
 * 'active'" — an extension state we do not understand still carries state). Throws when missing.
 */
export function getSubscriptionState(request: SipRequest): SubscriptionStateHeader {
  const raw = request.headers.get('Subscription-State');
  if (raw === undefined) throw new SipParseError('missing Subscription-State header field');
  const { value, params } = readValueWithParams(raw, 'Subscription-State');
  const v = value.toLowerCase();
  return {
    state: v === 'pending' || v === 'terminated' ? v : 'active',
    expires: seconds(paramText(params, 'expires')),
    reason: paramText(params, 'reason')?.toLowerCase(),
    retryAfter: seconds(paramText(params, 'retry-after')),
  };
}

function seconds(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,10}$/.test(text)) return undefined;
  return Number(text);
}

/** What a subscriber does after a terminated subscription (§4.1.3). */
export type RetryRule =
  /** Subscribe again at once (deactivated, timeout). */
  | 'now'
  /** Subscribe again later: after retry-after, else with back-off (probation, giveup, none, unknown). */
  | 'later'
  /** Do not subscribe again (rejected, noresource, invariant). */
  | 'never';

export function retryRule(reason: string | undefined): RetryRule {
  switch (reason) {
    case 'deactivated':
    case 'timeout':
      return 'now';
    case 'rejected':
    case 'noresource':
    case 'invariant':
      return 'never';
    default:
      return 'later';
  }
}

/** A final response to SUBSCRIBE that means "never here" (§4.1.2.1, RFC 3261 §21.4–§21.6). */
export function isPermanentRefusal(status: number): boolean {
  return status === 403 || status === 404 || status === 405 || status === 489 || status === 603 || status === 604;
}
