import type { SipUri } from './types.js';

/** RFC 3261 §19.1 / §25.1: parse a SIP, SIPS or tel URI. Throws SipParseError with the reason. */
export function parseUri(_text: string): SipUri {
  throw new Error('not implemented');
}

/** Serialize with escaping (§19.1.2). */
export function formatUri(_uri: SipUri): string {
  throw new Error('not implemented');
}

/** URI comparison rules of RFC 3261 §19.1.4. */
export function uriEquals(_a: SipUri, _b: SipUri): boolean {
  throw new Error('not implemented');
}
