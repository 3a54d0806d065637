/** A Digest challenge (RFC 7616 §3.3, RFC 3261 §22.4) read from WWW- or Proxy-Authenticate. */
import { parseAuthHeader } from './digest-params.js';

/** Hash functions of RFC 7616 §3.2 / RFC 8760, weakest first. */
const algorithms = [
  { name: 'MD5', hash: 'md5' },
  { name: 'SHA-256', hash: 'sha256' },
  { name: 'SHA-512-256', hash: 'sha512-256' },
] as const;

export interface DigestAlgorithm {
  /** Canonical token as sent back, e.g. "SHA-256-sess". */
  name: string;
  /** node:crypto hash name. */
  hash: string;
  /** RFC 7616 §3.4.2 session variant: HA1 also covers nonce and cnonce. */
  sess: boolean;
  /** Higher is stronger; used to pick among several challenges. */
  strength: number;
}

/** Look up an algorithm token (case-insensitive); undefined when unsupported. */
export function digestAlgorithm(token: string): DigestAlgorithm | undefined {
  const upper = token.toUpperCase();
  const sess = upper.endsWith('-SESS');
  const base = sess ? upper.slice(0, -5) : upper;
  const i = algorithms.findIndex((a) => a.name === base);
  const a = algorithms[i];
  if (!a) return undefined;
  return { name: sess ? `${a.name}-sess` : a.name, hash: a.hash, sess, strength: i };
}

export type DigestQop = 'auth' | 'auth-int';

export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque?: string;
  algorithm: DigestAlgorithm;
  /** Offered qop values we support; empty means the RFC 2069 form (no qop, no cnonce/nc). */
  qop: DigestQop[];
  /** RFC 7616 §3.3: the nonce expired but the credentials were fine; retry without asking. */
  stale: boolean;
  /** RFC 7616 §3.4.4: send H(username:realm) instead of the username. */
  userhash: boolean;
}

/**
 * All usable Digest challenges in a header value. Other schemes, challenges without realm or
 * nonce, unsupported algorithms and unsupported-only qop lists are dropped.
 */
export function parseDigestChallenges(value: string): DigestChallenge[] {
  const out: DigestChallenge[] = [];
  for (const { scheme, params } of parseAuthHeader(value)) {
    if (scheme.toLowerCase() !== 'digest') continue;
    const realm = params.get('realm');
    const nonce = params.get('nonce');
    const algorithm = digestAlgorithm(params.get('algorithm') ?? 'MD5');
    if (realm === undefined || nonce === undefined || !algorithm) continue;
    const offered = params.get('qop');
    const options = (offered ?? '').split(',').map((q) => q.trim().toLowerCase()).filter(Boolean);
    const qop = options.filter((q): q is DigestQop => q === 'auth' || q === 'auth-int');
    const challenge: DigestChallenge = {
      realm,
      nonce,
      algorithm,
      qop,
      stale: params.get('stale')?.toLowerCase() === 'true',
      userhash: params.get('userhash')?.toLowerCase() === 'true',
    };
    const opaque = params.get('opaque');
    if (opaque !== undefined) challenge.opaque = opaque;
    // A qop list with nothing we support (a future qop value) makes the challenge unusable.
    if (options.length === 0 || qop.length > 0) out.push(challenge);
  }
  return out;
}

/** RFC 7616 §3.7: among challenges for one realm, the strongest algorithm we support wins. */
export function strongestChallenge(challenges: DigestChallenge[]): DigestChallenge | undefined {
  let best: DigestChallenge | undefined;
  for (const c of challenges) if (!best || c.algorithm.strength > best.algorithm.strength) best = c;
  return best;
}
