/**
 * Character classes of the RFC 3261 §25.1 ABNF as bit flags over ASCII, so scanners test a
 * character with one array lookup (no regular expressions on attacker input).
 */
export const TOKEN = 1; // token
export const UNRESERVED = 2; // unreserved = alphanum / mark
export const USER = 4; // user: unreserved / user-unreserved (escaped handled by the scanner)
export const PASSWORD = 8; // password: unreserved / "&" / "=" / "+" / "$" / ","
export const PARAMCHAR = 16; // paramchar: param-unreserved / unreserved
export const HNVCHAR = 32; // hname / hvalue: hnv-unreserved / unreserved
export const WORD = 64; // word (Call-ID)
export const HOSTCHAR = 128; // alphanum / "-" / "." (hostname, IPv4)

const table = new Uint8Array(128);

function mark(chars: string, flag: number): void {
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)]! |= flag;
}

const alnum = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const unreserved = alnum + "-_.!~*'()";
mark(alnum + "-.!%*_+`'~", TOKEN);
mark(unreserved, UNRESERVED);
mark(unreserved + '&=+$,;?/', USER);
mark(unreserved + '&=+$,', PASSWORD);
mark(unreserved + '[]/:&+$', PARAMCHAR);
mark(unreserved + '[]/?:+$', HNVCHAR);
mark(alnum + '-.!%*_+`\'~()<>:\\"/[]?{}', WORD);
mark(alnum + '-.', HOSTCHAR);

/** Whether UTF-16 code unit `c` is in class `flag` (non-ASCII is never in any class). */
export function is(c: number, flag: number): boolean {
  return c < 128 && (table[c]! & flag) !== 0;
}

export const SP = 0x20;
export const HTAB = 0x09;
export const CR = 0x0d;
export const LF = 0x0a;
export const DQUOTE = 0x22;

export function isWsp(c: number): boolean {
  return c === SP || c === HTAB;
}

export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

export function isHex(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Whether every character of s is in class flag (and s is non-empty). */
export function allIn(s: string, flag: number): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!is(s.charCodeAt(i), flag)) return false;
  return true;
}
