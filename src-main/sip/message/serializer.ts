import { formatUri } from './uri.js';
import type { SipMessage } from './types.js';

/**
 * RFC 3261 §7: start line, headers in order (one field per line, canonical names),
 * Content-Length set from the body's byte length (§20.14), empty line, body.
 */
export function serializeMessage(message: SipMessage): Buffer {
  let head = message.kind === 'request'
    ? `${message.method} ${formatUri(message.uri)} SIP/2.0\r\n`
    : `SIP/2.0 ${message.status} ${message.reason}\r\n`;
  for (const f of message.headers) {
    if (f.name !== 'Content-Length') head += `${f.name}: ${f.value}\r\n`;
  }
  head += `Content-Length: ${message.body.length}\r\n\r\n`;
  if (message.body.length === 0) return Buffer.from(head, 'utf8');
  const headBytes = Buffer.byteLength(head, 'utf8');
  const out = Buffer.allocUnsafe(headBytes + message.body.length);
  out.write(head, 0, 'utf8');
  message.body.copy(out, headBytes);
  return out;
}
