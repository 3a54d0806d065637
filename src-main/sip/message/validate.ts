/**
 * Message-level checks after the header section is read: RFC 3261 §8.1.1 mandatory headers,
 * §7.3.1 single-valued headers, and the syntax (§25.1) of the headers every layer relies on,
 * so accessors never meet a malformed value in a message that parsed.
 */
import { WORD, is } from './chars.js';
import type { Headers } from './headers.js';
import { parseNameAddr } from './name-addr.js';
import { parseDecimal } from './scan.js';
import { SipParseError } from './types.js';
import { parseCSeq, parseVia } from './via.js';

/** Headers that may appear at most once (their ABNF has no list form). */
const singleValued: ReadonlySet<string> = new Set([
  'To', 'From', 'Call-ID', 'CSeq', 'Max-Forwards', 'Content-Length', 'Content-Type', 'Expires',
  'Min-Expires', 'Date', 'Event', 'Subscription-State', 'RSeq', 'RAck', 'Refer-To', 'Session-Expires',
]);

/** Always required (§8.1.1); Max-Forwards is tolerated when missing (RFC 4475 §3.3.13, RFC 2543 peers). */
const required = ['Via', 'From', 'To', 'Call-ID', 'CSeq'];

/** callid = word [ "@" word ] (§25.1). */
export function isCallId(s: string): boolean {
  const at = s.indexOf('@');
  const ok = (a: number, b: number): boolean => {
    if (a >= b) return false;
    for (let i = a; i < b; i++) if (!is(s.charCodeAt(i), WORD)) return false;
    return true;
  };
  return at < 0 ? ok(0, s.length) : ok(0, at) && ok(at + 1, s.length);
}

function wrap(what: string, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof SipParseError && !e.message.includes(what)) throw new SipParseError(`${e.message} in ${what}`);
    throw e;
  }
}

/** Throws SipParseError naming the faulty header. `method` is set for requests. */
export function validateHeaders(headers: Headers, method: string | undefined): void {
  const seen = new Set<string>();
  for (const { name } of headers) {
    if (!singleValued.has(name)) continue;
    if (seen.has(name)) throw new SipParseError(`multiple ${name} header fields`);
    seen.add(name);
  }
  for (const name of required) {
    if (!headers.has(name)) throw new SipParseError(`missing ${name} header field`);
  }
  for (const v of headers.getAll('Via')) wrap('Via', () => parseVia(v));
  parseNameAddr(headers.get('From')!, 'From');
  parseNameAddr(headers.get('To')!, 'To');
  if (!isCallId(headers.get('Call-ID')!)) throw new SipParseError('invalid Call-ID');
  let cseq;
  try {
    cseq = parseCSeq(headers.get('CSeq')!);
  } catch (e) {
    if (e instanceof SipParseError) throw new SipParseError(e.message.includes('CSeq') ? e.message : `${e.message} in CSeq`);
    throw e;
  }
  // §8.2.2... the CSeq method MUST match the request method (RFC 4475 §3.1.2.17/18).
  if (method !== undefined && cseq.method !== method) {
    throw new SipParseError(`CSeq method "${cseq.method}" does not match request method "${method}"`);
  }
  const mf = headers.get('Max-Forwards');
  if (mf !== undefined) parseDecimal(mf, 255, 'Max-Forwards');
  const expires = headers.get('Expires');
  if (expires !== undefined) parseDecimal(expires, 0xffffffff, 'Expires');
  // Date (§20.17) is never read here: a malformed one is treated as an unknown header (RFC 4475 §3.1.2.9).
  const contacts = headers.getAll('Contact');
  if (!(contacts.length === 1 && contacts[0] === '*')) {
    for (const c of contacts) parseNameAddr(c, 'Contact');
  }
  for (const r of headers.getAll('Route')) parseNameAddr(r, 'Route');
  for (const r of headers.getAll('Record-Route')) parseNameAddr(r, 'Record-Route');
}
