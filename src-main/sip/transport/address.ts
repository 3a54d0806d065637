/** IP literal helpers shared by the transports. */
import { isIP } from 'node:net';

/** "[::1]" → "::1"; "::ffff:1.2.3.4" (v4-mapped, from dual-stack sockets) → "1.2.3.4". */
export function normalizeAddress(address: string): string {
  let a = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (a.startsWith('::ffff:') && isIP(a.slice(7)) === 4) a = a.slice(7);
  return a.toLowerCase();
}

/** Key for connection reuse: "tcp:1.2.3.4:5060". */
export function endpointKey(protocol: string, address: string, port: number): string {
  return `${protocol}:${normalizeAddress(address)}:${port}`;
}

export function isIpLiteral(host: string): boolean {
  return isIP(normalizeAddress(host)) !== 0;
}

/** Default port per transport (RFC 3261 §19.1.2, §26.2). */
export function defaultPort(protocol: string): number {
  return protocol.toLowerCase() === 'tls' ? 5061 : 5060;
}
