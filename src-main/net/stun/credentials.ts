/**
 * STUN credentials (RFC 8489 §9): short-term (ICE) and long-term (TURN) keys. Passwords are used
 * as given: OpaqueString (RFC 8265) preparation is not applied — a known departure that only
 * matters for non-ASCII passwords (ICE passwords are ASCII by RFC 8839's grammar).
 */
import { createHash } from 'node:crypto';

/** §9.1.1: the key is the password. */
export function shortTermKey(password: string): Buffer {
  return Buffer.from(password, 'utf8');
}

/** RFC 8489 §18.5 PASSWORD-ALGORITHM numbers. */
export type PasswordAlgorithm = 'md5' | 'sha256';

/** §9.2.2: key = H(username ":" realm ":" password), MD5 (16 bytes) or SHA-256 (32 bytes). */
export function longTermKey(username: string, realm: string, password: string, algorithm: PasswordAlgorithm = 'md5'): Buffer {
  return createHash(algorithm).update(`${username}:${realm}:${password}`, 'utf8').digest();
}

/** §14.4 USERHASH = SHA-256(username ":" realm). */
export function userhash(username: string, realm: string): Buffer {
  return createHash('sha256').update(`${username}:${realm}`, 'utf8').digest();
}
