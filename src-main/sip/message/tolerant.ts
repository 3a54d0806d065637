/**
 * Headers we only read, read tolerantly (RFC 3261 §1 robustness; docs/decisions.md has the
 * strict/tolerant split): a `token *(;param)` value whose malformed parameters are skipped.
 */
import { allIn, TOKEN } from './chars.js';
import { SipParseError, type Params } from './types.js';

/** At most this many parameters are read from a header we only read (hostile input is bounded). */
export const maxTolerantParams = 32;

/**
 * A `token *(;param)` header we only read (RFC 3261 §1 robustness, RFC 6665 §8.2.3): the leading
 * token is required (SipParseError without it); each parameter that does not parse as
 * `token [= token | quoted-string]` is skipped, e.g. the "reason=reason=noresource" some phones send.
 */
export function readValueWithParams(text: string, what: string): { value: string; params: Params } {
  const parts = splitOutsideQuotes(text);
  const value = parts[0]!.trim();
  if (!allIn(value, TOKEN)) throw new SipParseError(`no ${what} value`);
  const params: Params = new Map();
  for (const part of parts.slice(1, 1 + maxTolerantParams)) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    const v = eq < 0 ? null : part.slice(eq + 1).trim();
    const quoted = v !== null && v.length >= 2 && v.startsWith('"') && v.endsWith('"');
    if (!allIn(name, TOKEN) || params.has(name) || (v !== null && !quoted && !allIn(v, TOKEN))) continue;
    params.set(name, v);
  }
  return { value, params };
}

/** Split at ";" outside double quotes. */
function splitOutsideQuotes(text: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (c === ';' && !quoted) {
      parts.push(text.slice(start, i));
      start = i + 1;
      if (parts.length > maxTolerantParams) return parts;
    }
  }
  parts.push(text.slice(start));
  return parts;
}
