import type { SipMessage } from './types.js';

export interface ParseLimits {
  /** Largest whole message accepted, bytes. */
  maxMessageBytes: number;
  /** Largest single header field (name + value after unfolding), bytes. */
  maxHeaderBytes: number;
  /** Most header fields in one message. */
  maxHeaders: number;
}

export const defaultLimits: ParseLimits = { maxMessageBytes: 65535, maxHeaderBytes: 8192, maxHeaders: 256 };

export type ParseResult =
  | { ok: true; message: SipMessage }
  | {
      ok: false;
      /** Precise reason, safe to use as a 400 reason phrase. */
      reason: string;
      /** Set when the start line parsed as a request and enough headers to build a 400 exist. */
      request?: { method: string; headers: import('./headers.js').Headers };
    };

/** RFC 3261 §7 strict, linear-time parse of one complete datagram or framed stream message. */
export function parseMessage(_data: Buffer, _limits: ParseLimits = defaultLimits): ParseResult {
  throw new Error('not implemented');
}
