import { HNVCHAR, HOSTCHAR, PARAMCHAR, PASSWORD, USER, is, isDigit, isHex } from './chars.js';
import { formatHost, parseHost } from './host.js';
import { SipParseError, type Params, type SipUri } from './types.js';

const COLON = 0x3a;
const SEMI = 0x3b;
const QMARK = 0x3f;
const PERCENT = 0x25;

/** RFC 3261 §19.1 / §25.1: parse a SIP, SIPS or tel URI. Throws SipParseError with the reason. */
export function parseUri(text: string): SipUri {
  const colon = text.indexOf(':');
  const scheme = (colon > 0 ? text.slice(0, colon) : '').toLowerCase();
  if (scheme !== 'sip' && scheme !== 'sips' && scheme !== 'tel') {
    const shown = (colon > 0 ? text.slice(0, colon) : text).slice(0, 32);
    throw new SipParseError(`unsupported URI scheme "${shown}"`, 416);
  }
  const end = text.length;
  let i = colon + 1;
  const uri: SipUri = { scheme, host: '', params: new Map(), headers: new Map() };
  if (scheme === 'tel') {
    // RFC 3966 telephone-subscriber, kept opaque as the user part.
    let j = i;
    while (j < end && text.charCodeAt(j) !== SEMI) j++;
    uri.user = unescape(text, i, j, USER, 'tel URI number');
    if (uri.user.length === 0) throw new SipParseError('empty tel URI number');
    parseUriParams(text, j, end, uri.params);
    return uri;
  }
  // userinfo: '@' appears at most once in a SIP URI (it is escaped everywhere else).
  const at = text.indexOf('@', i);
  if (at >= 0) {
    let u = i;
    while (u < at && text.charCodeAt(u) !== COLON) u++;
    uri.user = unescape(text, i, u, USER, 'URI user');
    if (u < at) uri.password = unescape(text, u + 1, at, PASSWORD, 'URI password');
    if (uri.user.length === 0) throw new SipParseError('empty user part in URI');
    i = at + 1;
  }
  let h = i;
  if (text.charCodeAt(h) === 0x5b) {
    const close = text.indexOf(']', h);
    if (close < 0) throw new SipParseError('unterminated IPv6 reference in URI');
    h = close + 1;
  } else {
    while (h < end && is(text.charCodeAt(h), HOSTCHAR)) h++;
  }
  uri.host = parseHost(text.slice(i, h), 'URI host');
  i = h;
  if (i < end && text.charCodeAt(i) === COLON) {
    let p = i + 1;
    while (p < end && isDigit(text.charCodeAt(p))) p++;
    uri.port = parsePort(text.slice(i + 1, p), 'URI');
    i = p;
  }
  let q = i;
  while (q < end && text.charCodeAt(q) !== QMARK) q++;
  parseUriParams(text, i, q, uri.params);
  if (q < end) parseUriHeaders(text, q + 1, end, uri.headers);
  return uri;
}

export function parsePort(digits: string, what: string): number {
  if (digits.length === 0 || digits.length > 5) throw new SipParseError(`invalid port in ${what}`);
  const port = Number(digits);
  if (port > 65535) throw new SipParseError(`invalid port in ${what}`);
  return port;
}

/** *( ";" pname [ "=" pvalue ] ) over text[i, end); text[i] must be ';' (or i === end). */
function parseUriParams(text: string, i: number, end: number, out: Params): void {
  while (i < end) {
    if (text.charCodeAt(i) !== SEMI) throw new SipParseError(`unexpected "${text[i]}" in URI`);
    let j = i + 1;
    while (j < end && text.charCodeAt(j) !== SEMI) j++;
    let eq = i + 1;
    while (eq < j && text.charCodeAt(eq) !== 0x3d) eq++;
    const name = unescape(text, i + 1, eq, PARAMCHAR, 'URI parameter').toLowerCase();
    if (name.length === 0) throw new SipParseError('empty URI parameter');
    out.set(name, eq < j ? unescape(text, eq + 1, j, PARAMCHAR, 'URI parameter') : null);
    i = j;
  }
}

/** hname "=" hvalue *( "&" hname "=" hvalue ) */
function parseUriHeaders(text: string, i: number, end: number, out: Params): void {
  while (i <= end) {
    let j = i;
    while (j < end && text.charCodeAt(j) !== 0x26) j++;
    const eq = text.indexOf('=', i);
    if (eq < 0 || eq >= j) throw new SipParseError('malformed URI header');
    const name = unescape(text, i, eq, HNVCHAR, 'URI header');
    if (name.length === 0) throw new SipParseError('empty URI header name');
    out.set(name, unescape(text, eq + 1, j, HNVCHAR, 'URI header'));
    i = j + 1;
  }
}

/** §19.1.2: characters of class `allowed` plus %HH escapes; returns the unescaped text. */
function unescape(text: string, i: number, end: number, allowed: number, what: string): string {
  let bytes: number[] | null = null;
  let plainStart = i;
  let out = '';
  for (let j = i; j < end; j++) {
    const c = text.charCodeAt(j);
    if (c === PERCENT) {
      if (j + 2 >= end) throw new SipParseError(`bad escape in ${what}`);
      const h1 = text.charCodeAt(j + 1);
      const h2 = text.charCodeAt(j + 2);
      if (!isHex(h1) || !isHex(h2)) throw new SipParseError(`bad escape in ${what}`);
      if (bytes === null) bytes = [];
      out += text.slice(plainStart, j);
      bytes.length = 0;
      bytes.push(parseInt(text.slice(j + 1, j + 3), 16));
      j += 2;
      while (j + 3 < end && text.charCodeAt(j + 1) === PERCENT && isHex(text.charCodeAt(j + 2)) && isHex(text.charCodeAt(j + 3))) {
        bytes.push(parseInt(text.slice(j + 2, j + 4), 16));
        j += 3;
      }
      out += Buffer.from(bytes).toString('utf8');
      plainStart = j + 1;
    } else if (!is(c, allowed)) {
      throw new SipParseError(`invalid character "${text[j]}" in ${what}`);
    }
  }
  return out + text.slice(plainStart, end);
}

/** §19.1.2: escape every character outside `allowed` as %HH of its UTF-8 bytes. */
function escape(s: string, allowed: number): string {
  let plain = true;
  for (let i = 0; i < s.length; i++) if (!is(s.charCodeAt(i), allowed)) { plain = false; break; }
  if (plain) return s;
  let out = '';
  for (const ch of s) {
    if (ch.length === 1 && is(ch.charCodeAt(0), allowed)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += '%' + (b < 16 ? '0' : '') + b.toString(16).toUpperCase();
  }
  return out;
}

/** Serialize with escaping (§19.1.2). */
export function formatUri(uri: SipUri): string {
  let out = uri.scheme + ':';
  if (uri.scheme === 'tel') out += escape(uri.user ?? '', USER);
  else {
    if (uri.user !== undefined) {
      out += escape(uri.user, USER);
      if (uri.password !== undefined) out += ':' + escape(uri.password, PASSWORD);
      out += '@';
    }
    out += formatHost(uri.host);
    if (uri.port !== undefined) out += ':' + uri.port;
  }
  for (const [k, v] of uri.params) out += ';' + escape(k, PARAMCHAR) + (v === null ? '' : '=' + escape(v, PARAMCHAR));
  let sep = '?';
  for (const [k, v] of uri.headers) {
    out += sep + escape(k, HNVCHAR) + '=' + escape(v ?? '', HNVCHAR);
    sep = '&';
  }
  return out;
}

/** Parameters that must match when present in either URI (§19.1.4). */
const strictParams = ['user', 'ttl', 'method', 'maddr', 'transport'];

/** URI comparison rules of RFC 3261 §19.1.4. */
export function uriEquals(a: SipUri, b: SipUri): boolean {
  if (a.scheme !== b.scheme) return false;
  if (a.user !== b.user || a.password !== b.password) return false;
  if (a.host.toLowerCase() !== b.host.toLowerCase() || a.port !== b.port) return false;
  for (const name of strictParams) {
    if (a.params.has(name) !== b.params.has(name)) return false;
  }
  for (const [k, v] of a.params) {
    if (!b.params.has(k)) continue;
    const w = b.params.get(k);
    if ((v ?? '').toLowerCase() !== (w ?? '').toLowerCase() || (v === null) !== (w === null)) return false;
  }
  if (a.headers.size !== b.headers.size) return false;
  for (const [k, v] of a.headers) {
    let found = false;
    for (const [k2, v2] of b.headers) if (k2.toLowerCase() === k.toLowerCase() && v2 === v) found = true;
    if (!found) return false;
  }
  return true;
}
