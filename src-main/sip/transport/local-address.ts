/** Which local IP to advertise in Via/Contact when bound to a wildcard address. */
import { networkInterfaces } from 'node:os';
import { normalizeAddress } from './address.js';

function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || address === '';
}

/**
 * The bound address, or for a wildcard bind the connection's own local address when known,
 * else the first external interface address of the bind's family.
 */
export function advertisedAddress(bindAddress: string, connectionLocal?: string): string {
  const bind = normalizeAddress(bindAddress);
  if (!isWildcard(bind)) return bind;
  if (connectionLocal && !isWildcard(connectionLocal)) return normalizeAddress(connectionLocal);
  const family = bind === '::' ? 'IPv6' : 'IPv4';
  for (const list of Object.values(networkInterfaces())) {
    for (const i of list ?? []) if (!i.internal && i.family === family) return i.address;
  }
  return family === 'IPv6' ? '::1' : '127.0.0.1';
}
