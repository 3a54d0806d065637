import type { CSeq, Via } from './types.js';

/** RFC 3261 §20.42 one via-parm. Throws SipParseError. */
export function parseVia(_text: string): Via {
  throw new Error('not implemented');
}

export function formatVia(_via: Via): string {
  throw new Error('not implemented');
}

/** RFC 3261 §20.16. Throws SipParseError. */
export function parseCSeq(_text: string): CSeq {
  throw new Error('not implemented');
}
