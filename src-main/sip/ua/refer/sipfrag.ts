/** RFC 3420 message/sipfrag as RFC 3515 §2.4.5 uses it: just a status line ("SIP/2.0 200 OK"). */
import type { SipRequest } from '../../message/index.js';
import { paramText, parseValueWithParams } from '../core/header-params.js';
import { getSubscriptionState, type SubscriptionStateHeader } from '../subscription/event-header.js';

export const sipfragType = 'message/sipfrag;version=2.0';

export function formatStatusFrag(status: number, reason: string): string {
  return `SIP/2.0 ${status} ${reason}\r\n`;
}

/** The status line at the start of a sipfrag body, or undefined when there is none. */
export function parseStatusFrag(body: string): { status: number; reason: string } | undefined {
  const m = /^SIP\/2\.0 ([1-6]\d\d)(?: ([^\r\n]*))?/.exec(body.trimStart());
  return m ? { status: Number(m[1]), reason: (m[2] ?? '').trim() } : undefined;
}

/** RFC 3515 §2.4.4 / RFC 6665 §8.2.1: `Event: refer[;id=N]`, or undefined for other packages. */
export function referEventId(request: SipRequest): { id: string | undefined } | undefined {
  const raw = request.headers.get('Event');
  if (raw === undefined) return undefined;
  const event = parseValueWithParams(raw, 'Event');
  if (event.value.toLowerCase() !== 'refer') return undefined;
  return { id: paramText(event.params, 'id') };
}

/** RFC 6665 §8.2.3 Subscription-State (read tolerantly), or undefined when the NOTIFY has none. */
export function subscriptionState(request: SipRequest): SubscriptionStateHeader | undefined {
  return request.headers.has('Subscription-State') ? getSubscriptionState(request) : undefined;
}
