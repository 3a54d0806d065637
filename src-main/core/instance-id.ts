/**
 * RFC 5626 §4.1 instance id: a URN that stays the same for this device and account across runs,
 * so a registrar replaces our old binding instead of adding one per restart. Derived (name-based,
 * RFC 4122 §4.3 style) from the host name and the AOR: no state file needed for a CLI.
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';

export function instanceIdFor(aor: string, host = hostname()): string {
  const h = createHash('sha1').update(`nimbus-phone\n${host}\n${aor}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50; // version 5
  h[8] = (h[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const x = h.subarray(0, 16).toString('hex');
  return `urn:uuid:${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
