/** RFC 3420 message/sipfrag as RFC 3515 §2.4.5 uses it: just a status line ("SIP/2.0 200 OK"). */
import type { SipRequest } from '../message/index.js';
import { paramText, parseValueWithParams } from './header-params.js';

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

/** RFC 6665 §8.2.3 Subscription-State: the state and its expires (seconds), if any. */
export function subscriptionState(request: SipRequest): { state: string; expires: number | undefined } | undefined {
  const raw = request.headers.get('Subscription-State');
  if (raw === undefined) return undefined;
  const s = parseValueWithParams(raw, 'Subscription-State');
  const expires = Number(paramText(s.params, 'expires'));
  return { state: s.value.toLowerCase(), expires: Number.isInteger(expires) && expires >= 0 ? expires : undefined };
}
