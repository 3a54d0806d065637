/**
 * Hand-written scanners shared by the header parsers: quoted strings, generic parameters and
 * top-level comma splitting (RFC 3261 §7.3.1, §25.1). Every function is a single forward pass.
 */
import { DQUOTE, TOKEN, is, isWsp } from './chars.js';
import { SipParseError, type Params } from './types.js';

const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const SEMI = 0x3b;
const EQUAL = 0x3d;
const LAQUOT = 0x3c;
const RAQUOT = 0x3e;

export function skipWsp(s: string, i: number, end = s.length): number {
  while (i < end && isWsp(s.charCodeAt(i))) i++;
  return i;
}

/** Index just past the token starting at i (i itself when there is none). */
export function scanToken(s: string, i: number, end = s.length): number {
  while (i < end && is(s.charCodeAt(i), TOKEN)) i++;
  return i;
}

export function isToken(s: string): boolean {
  return s.length > 0 && scanToken(s, 0) === s.length;
}

/**
 * §25.1 quoted-string starting at s[i] === '"': returns the index just past the closing quote.
 * quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F).
 */
export function scanQuoted(s: string, i: number, end: number, what: string): number {
  for (let j = i + 1; j < end; j++) {
    const c = s.charCodeAt(j);
    if (c === DQUOTE) return j + 1;
    if (c === BACKSLASH) {
      j++;
      if (j >= end) break;
      const q = s.charCodeAt(j);
      if (q === 0x0a || q === 0x0d || q > 0x7f) throw new SipParseError(`invalid quoted-pair in ${what}`);
    }
  }
  throw new SipParseError(`unterminated quoted string in ${what}`);
}

/** The content of a quoted-string (without quotes), quoted-pairs resolved. */
export function unquote(raw: string): string {
  let out = '';
  for (let j = 1; j < raw.length - 1; j++) {
    const c = raw.charCodeAt(j);
    if (c === BACKSLASH) j++;
    out += raw[j] ?? '';
  }
  return out;
}

/** A quoted-string for s, escaping '"' and '\'. */
export function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c === 0x0a || c === 0x0d) out += ' '; // not representable, even as a quoted-pair
    else if (ch === '"' || ch === '\\' || (c < 0x20 && c !== 0x09) || c === 0x7f) out += '\\' + ch;
    else out += ch;
  }
  return out + '"';
}

/**
 * §25.1 generic-param list: *( SEMI generic-param ), with SWS around ";" and "=".
 * gen-value = token / host / quoted-string; quoted values are kept with their quotes so they
 * serialize unchanged. Names are lower-cased. Parses s[i, end) completely or throws.
 */
export function parseParams(s: string, i: number, end: number, out: Params, what: string): void {
  i = skipWsp(s, i, end);
  while (i < end) {
    if (s.charCodeAt(i) !== SEMI) throw new SipParseError(`unexpected "${s[i]}" in ${what} parameters`);
    i = skipWsp(s, i + 1, end);
    const nameEnd = scanToken(s, i, end);
    if (nameEnd === i) throw new SipParseError(`empty parameter in ${what}`);
    const name = s.slice(i, nameEnd).toLowerCase();
    i = skipWsp(s, nameEnd, end);
    let value: string | null = null;
    if (i < end && s.charCodeAt(i) === EQUAL) {
      i = skipWsp(s, i + 1, end);
      if (i < end && s.charCodeAt(i) === DQUOTE) {
        const q = scanQuoted(s, i, end, what);
        value = s.slice(i, q);
        i = q;
      } else {
        const v = scanGenValue(s, i, end);
        if (v === i) throw new SipParseError(`empty value for parameter "${name}" in ${what}`);
        value = s.slice(i, v);
        i = v;
      }
      i = skipWsp(s, i, end);
    }
    out.set(name, value);
  }
}

/** token / host (IPv6 references add "[", "]" and ":"). */
function scanGenValue(s: string, i: number, end: number): number {
  while (i < end) {
    const c = s.charCodeAt(i);
    if (is(c, TOKEN) || c === 0x3a || c === 0x5b || c === 0x5d) i++;
    else break;
  }
  return i;
}

/** Serialize parameters as ";name=value" (flags as ";name"). */
export function formatParams(params: Params): string {
  let out = '';
  for (const [k, v] of params) out += v === null ? `;${k}` : `;${k}=${v}`;
  return out;
}

/**
 * §7.3.1: split a header value at commas that are not inside a quoted string or <...>.
 * Elements are trimmed; an empty element is an error (no list ABNF in §25.1 allows one), unless
 * `skipEmpty` (headers we only read: "Allow: INVITE, ,ACK," lists INVITE and ACK).
 */
export function splitHeaderList(value: string, what = 'header', skipEmpty = false): string[] {
  const out: string[] = [];
  let start = 0;
  let angle = false;
  const end = value.length;
  for (let i = 0; i < end; i++) {
    const c = value.charCodeAt(i);
    if (c === DQUOTE && !angle) i = scanQuoted(value, i, end, what) - 1;
    else if (c === LAQUOT) angle = true;
    else if (c === RAQUOT) angle = false;
    else if (c === COMMA && !angle) {
      push(out, element(value, start, i, what, skipEmpty));
      start = i + 1;
    }
  }
  push(out, element(value, start, end, what, skipEmpty));
  return out;
}

function push(out: string[], e: string | undefined): void {
  if (e !== undefined) out.push(e);
}

function element(value: string, start: number, end: number, what: string, skipEmpty: boolean): string | undefined {
  let a = start;
  let b = end;
  while (a < b && isWsp(value.charCodeAt(a))) a++;
  while (b > a && isWsp(value.charCodeAt(b - 1))) b--;
  if (a === b && skipEmpty) return undefined;
  if (a === b) throw new SipParseError(`empty element in ${what} list`);
  return value.slice(a, b);
}

/** Parse a decimal with at most maxDigits digits and value ≤ max; throws with `what`. */
export function parseDecimal(s: string, max: number, what: string): number {
  if (s.length === 0) throw new SipParseError(`missing ${what}`);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) throw new SipParseError(`invalid ${what} "${s.slice(0, 32)}"`);
    n = n * 10 + (c - 0x30);
    if (n > max) throw new SipParseError(`${what} too large`);
  }
  return n;
}
