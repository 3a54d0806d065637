import type { NameAddr } from './types.js';

/** RFC 3261 §20.10/§25.1 name-addr or addr-spec followed by header params. Throws SipParseError. */
export function parseNameAddr(_text: string): NameAddr {
  throw new Error('not implemented');
}

/** Always writes the name-addr form (<uri>) so URI params never become header params. */
export function formatNameAddr(_value: NameAddr): string {
  throw new Error('not implemented');
}
