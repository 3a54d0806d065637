import type { SipMessage } from './types.js';

/** RFC 3261 §7: start line, headers in order, Content-Length set from the body's byte length. */
export function serializeMessage(_message: SipMessage): Buffer {
  throw new Error('not implemented');
}
