import { HOSTCHAR, TOKEN, is, isDigit } from './chars.js';
import { formatHost, parseHost } from './host.js';
import { formatParams, parseDecimal, parseParams, scanToken, skipWsp } from './scan.js';
import { SipParseError, type CSeq, type Via } from './types.js';
import { parsePort } from './uri.js';

const SLASH = 0x2f;
const COLON = 0x3a;

/**
 * RFC 3261 §20.42 one via-parm:
 * sent-protocol LWS sent-by *( SEMI via-params ), sent-protocol = name SLASH version SLASH transport.
 * Throws SipParseError.
 */
export function parseVia(text: string): Via {
  const end = text.length;
  let i = skipWsp(text, 0, end);
  const parts: string[] = [];
  for (let n = 0; n < 3; n++) {
    if (n > 0) {
      if (text.charCodeAt(i) !== SLASH) throw new SipParseError('malformed sent-protocol in Via');
      i = skipWsp(text, i + 1, end);
    }
    const j = scanToken(text, i, end);
    if (j === i) throw new SipParseError('malformed sent-protocol in Via');
    parts.push(text.slice(i, j));
    i = skipWsp(text, j, end);
  }
  const protocol = `${parts[0]!.toUpperCase()}/${parts[1]!}`;
  const transport = parts[2]!.toUpperCase();
  let h = i;
  if (text.charCodeAt(h) === 0x5b) {
    const close = text.indexOf(']', h);
    if (close < 0) throw new SipParseError('unterminated IPv6 reference in Via');
    h = close + 1;
  } else {
    while (h < end && is(text.charCodeAt(h), HOSTCHAR)) h++;
  }
  if (h === i) throw new SipParseError('missing sent-by host in Via');
  const via: Via = { protocol, transport, host: parseHost(text.slice(i, h), 'Via sent-by'), params: new Map() };
  i = skipWsp(text, h, end);
  if (text.charCodeAt(i) === COLON) {
    i = skipWsp(text, i + 1, end);
    let p = i;
    while (p < end && isDigit(text.charCodeAt(p))) p++;
    via.port = parsePort(text.slice(i, p), 'Via sent-by');
    i = p;
  }
  parseParams(text, i, end, via.params, 'Via');
  const branch = via.params.get('branch');
  if (branch === null) throw new SipParseError('empty branch in Via');
  const rport = via.params.get('rport');
  if (rport !== undefined && rport !== null) parsePort(rport, 'Via rport');
  return via;
}

export function formatVia(via: Via): string {
  const port = via.port === undefined ? '' : `:${via.port}`;
  return `${via.protocol}/${via.transport} ${formatHost(via.host)}${port}${formatParams(via.params)}`;
}

/** RFC 3261 §20.16 CSeq = 1*DIGIT LWS Method; §8.1.1.5: the number is below 2**31. Throws SipParseError. */
export function parseCSeq(text: string): CSeq {
  const end = text.length;
  let i = skipWsp(text, 0, end);
  let j = i;
  while (j < end && isDigit(text.charCodeAt(j))) j++;
  const seq = parseDecimal(text.slice(i, j), 0x7fffffff, 'CSeq number');
  i = skipWsp(text, j, end);
  if (i === j) throw new SipParseError('malformed CSeq');
  const m = scanToken(text, i, end);
  if (m === i || skipWsp(text, m, end) !== end) throw new SipParseError('malformed CSeq method');
  return { seq, method: text.slice(i, m) };
}

export function isMethod(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!is(s.charCodeAt(i), TOKEN)) return false;
  return true;
}
