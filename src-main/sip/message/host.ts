/** RFC 3261 §25.1 host = hostname / IPv4address / IPv6reference. */
import { HOSTCHAR, allIn, isDigit, isHex } from './chars.js';
import { SipParseError } from './types.js';

/** Validate a host and return it in canonical form (lower-cased; IPv6 keeps its brackets). */
export function parseHost(text: string, what: string): string {
  if (text.length === 0) throw new SipParseError(`missing host in ${what}`);
  if (text.charCodeAt(0) === 0x5b) {
    if (text.charCodeAt(text.length - 1) !== 0x5d || !isIpv6(text.slice(1, -1))) {
      throw new SipParseError(`invalid IPv6 reference in ${what}`);
    }
    return text.toLowerCase();
  }
  if (!allIn(text, HOSTCHAR) || !isHostname(text)) throw new SipParseError(`invalid host "${text.slice(0, 64)}" in ${what}`);
  return text.toLowerCase();
}

/**
 * A host as written in a Via or URI (§25.1): a bare IPv6 address ("::1", as sockets report it)
 * becomes an IPv6reference ("[::1]"); names, IPv4 and references already bracketed are unchanged.
 */
export function formatHost(host: string): string {
  return host.charCodeAt(0) !== 0x5b && isIpv6(host) ? `[${host}]` : host;
}

/** host ":" port, the host formatted as above: "[::1]:5060", "127.0.0.1:5060". */
export function formatHostPort(host: string, port: number): string {
  return `${formatHost(host)}:${port}`;
}

/** hostname = *( domainlabel "." ) toplabel [ "." ]; labels neither start nor end with "-". */
function isHostname(s: string): boolean {
  const labels = s.endsWith('.') ? s.slice(0, -1).split('.') : s.split('.');
  for (const l of labels) {
    if (l.length === 0 || l.startsWith('-') || l.endsWith('-')) return false;
  }
  // An all-numeric name must be a dotted IPv4 address.
  const last = labels[labels.length - 1]!;
  if (isDigit(last.charCodeAt(0))) return isIpv4(s);
  return true;
}

export function isIpv4(s: string): boolean {
  const parts = s.split('.');
  if (parts.length !== 4) return false;
  for (const p of parts) {
    if (p.length === 0 || p.length > 3) return false;
    for (let i = 0; i < p.length; i++) if (!isDigit(p.charCodeAt(i))) return false;
    if (Number(p) > 255) return false;
  }
  return true;
}

/** RFC 3261 §25.1 IPv6address (RFC 4291 text form, optional trailing IPv4). */
export function isIpv6(s: string): boolean {
  if (s.length < 2 || s.length > 45) return false;
  const dbl = s.indexOf('::');
  if (dbl >= 0 && s.indexOf('::', dbl + 1) >= 0) return false;
  let groups = 0;
  const parts = s.split(':');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.length === 0) continue; // part of "::" (checked above) or a leading/trailing colon of it
    if (i === parts.length - 1 && p.includes('.')) {
      if (!isIpv4(p)) return false;
      groups += 2;
      continue;
    }
    if (p.length > 4) return false;
    for (let k = 0; k < p.length; k++) if (!isHex(p.charCodeAt(k))) return false;
    groups++;
  }
  if (dbl < 0) return groups === 8 && !s.startsWith(':') && !s.endsWith(':');
  if (s.startsWith(':') && !s.startsWith('::')) return false;
  if (s.endsWith(':') && !s.endsWith('::')) return false;
  return groups <= 7;
}
