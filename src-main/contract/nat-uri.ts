/**
 * STUN and TURN server URI syntax (RFC 7064 §3.1, RFC 7065 §3.1) as the channel map checks it,
 * without Node (the renderer validates with the same schema). The same rules as
 * net/stun/uri.ts's parser, which the core uses to reach the server:
 *   stun:host[:port]     turn:host[:port][?transport=udp|tcp|tls]     turns:host[:port][?transport=tcp|tls]
 * (`tls` as a transport value is our extension.) Host: an IPv4 or [IPv6] literal or a DNS name.
 */

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HEX16 = /^[0-9A-Fa-f]{1,4}$/;

/** RFC 4291 §2.2 text forms: eight groups, one `::`, an IPv4 tail. */
export function isIpv6Literal(text: string): boolean {
  if (text.length > 45) return false;
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const parts = halves.flatMap(groups);
  const last = parts.at(-1);
  const width = parts.length + (last !== undefined && IPV4.test(last) ? 1 : 0);
  const body = last !== undefined && IPV4.test(last) ? parts.slice(0, -1) : parts;
  if (!body.every((g) => HEX16.test(g))) return false;
  return halves.length === 2 ? width <= 7 : width === 8;
}

/** What is wrong with `text` as a `kind` server URI, or undefined when it is well formed. */
export function natUriProblem(text: string, kind: 'stun' | 'turn'): string | undefined {
  const shape = kind === 'stun' ? 'expected stun:host[:port]' : 'expected turn:host[:port][?transport=udp|tcp|tls] or turns:host[:port]';
  if (text.length > 300) return 'too long (at most 300 characters)';
  const m = /^(stuns?|turns?):(\[[0-9A-Fa-f:.]+\]|[^:?[\]/]+)(?::(\d{1,5}))?(?:\?transport=(udp|tcp|tls))?$/i.exec(text);
  if (!m) return shape;
  const scheme = m[1]!.toLowerCase();
  if (!scheme.startsWith(kind)) return shape;
  if (scheme === 'stuns') return 'stuns: (STUN over TLS) is not supported: use stun:';
  const bracketed = m[2]!.startsWith('[');
  const host = bracketed ? m[2]!.slice(1, -1) : m[2]!;
  if (bracketed ? !isIpv6Literal(host) : !IPV4.test(host) && (/^[\d.]+$/.test(host) || !HOSTNAME.test(host))) return `invalid host ${m[2]!}`;
  const transport = m[4]?.toLowerCase();
  if (kind === 'stun' && transport) return 'stun: takes no ?transport=';
  if (scheme === 'turns' && transport === 'udp') return 'turns: runs over TLS (transport=tcp or tls)';
  if (m[3] !== undefined && (Number(m[3]) < 1 || Number(m[3]) > 65535)) return `invalid port ${m[3]}`;
  return undefined;
}
