/**
 * STUN and TURN server URIs (RFC 7064 §3.1, RFC 7065 §3.1), strict and bounded:
 *   stun:host[:port]                      (default port 3478)
 *   turn:host[:port][?transport=udp|tcp|tls]   turns:host[:port] (TLS, default port 5349)
 * `tls` as a transport value is our extension (RFC 7065 only has udp/tcp; turns: means TLS).
 * Host: an IP literal ([v6] in brackets) or a DNS name of at most 253 characters.
 */
import { isIP } from 'node:net';

export type TurnUriTransport = 'udp' | 'tcp' | 'tls';

export interface ServerUri {
  host: string;
  port: number;
  transport: TurnUriTransport;
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** A STUN or TURN URI, or a string saying what is wrong with it. */
export function parseServerUri(text: string, kind: 'stun' | 'turn'): ServerUri | string {
  if (text.length > 300) return 'too long (at most 300 characters)';
  const m = /^(stuns?|turns?):(\[[0-9A-Fa-f:.]+\]|[^:?[\]/]+)(?::(\d{1,5}))?(?:\?transport=(udp|tcp|tls))?$/i.exec(text);
  if (!m) return kind === 'stun' ? 'expected stun:host[:port]' : 'expected turn:host[:port][?transport=udp|tcp|tls] or turns:host[:port]';
  const scheme = m[1]!.toLowerCase();
  if (!scheme.startsWith(kind)) return `expected a ${kind}: URI, got ${scheme}:`;
  if (scheme === 'stuns') return 'stuns: (STUN over TLS) is not supported: use stun:';
  const host = m[2]!.startsWith('[') ? m[2]!.slice(1, -1) : m[2]!;
  if (m[2]!.startsWith('[') ? isIP(host) !== 6 : isIP(host) === 0 && !HOSTNAME.test(host)) return `invalid host ${JSON.stringify(m[2])}`;
  const secure = scheme === 'turns';
  const given = m[4]?.toLowerCase() as TurnUriTransport | undefined;
  if (kind === 'stun' && given) return 'stun: takes no ?transport=';
  if (secure && given && given !== 'tls' && given !== 'tcp') return 'turns: runs over TLS (transport=tcp or tls)';
  const transport: TurnUriTransport = secure ? 'tls' : given ?? 'udp';
  const port = m[3] !== undefined ? Number(m[3]) : transport === 'tls' ? 5349 : 3478;
  if (port < 1 || port > 65535) return `invalid port ${m[3]}`;
  return { host, port, transport };
}
