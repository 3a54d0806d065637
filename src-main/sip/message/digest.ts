/**
 * Client-side Digest authentication for SIP (RFC 3261 §22.2–§22.4, RFC 7616, RFC 8760).
 * Holds credentials per realm and nonce counts; answers 401/407 challenges in place.
 * The password never leaves this module except inside a hash.
 */
import type { Random } from '../../util/random.js';
import { parseDigestChallenges, strongestChallenge, type DigestChallenge } from './digest-challenge.js';
import { parseAuthHeader } from './digest-params.js';
import { computeDigest, formatDigestCredentials } from './digest-response.js';
import type { SipRequest, SipResponse } from './types.js';
import { formatUri } from './uri.js';

export { parseDigestChallenges, strongestChallenge, digestAlgorithm } from './digest-challenge.js';
export type { DigestChallenge, DigestAlgorithm, DigestQop } from './digest-challenge.js';
export { computeDigest, formatDigestCredentials } from './digest-response.js';
export type { DigestInput, DigestCredentialsValue } from './digest-response.js';

export interface DigestCredentials {
  /** Realm these apply to; omitted means any realm (used when no realm-specific entry matches). */
  realm?: string;
  username: string;
  password: string;
}

/** Where a challenge came from: the next hop the request was sent to (URI host) and its IP. */
export interface ChallengeOrigin {
  host: string;
  address: string | undefined;
}

/** Nonce counts kept at most for this many nonces (oldest dropped). */
const maxNonces = 64;

export class DigestClient {
  readonly #credentials: DigestCredentials[] = [];
  readonly #random: Random;
  readonly #nonceCounts = new Map<string, number>();

  constructor(opts: { random: Random; credentials?: DigestCredentials[] }) {
    this.#random = opts.random;
    for (const c of opts.credentials ?? []) this.setCredentials(c);
  }

  /** Add credentials, replacing any for the same realm (or the realm-less entry). */
  setCredentials(credentials: DigestCredentials): void {
    this.removeCredentials(credentials.realm);
    const copy: DigestCredentials = { username: credentials.username, password: credentials.password };
    if (credentials.realm !== undefined) copy.realm = credentials.realm;
    this.#credentials.push(copy);
  }

  removeCredentials(realm: string | undefined): void {
    const i = this.#credentials.findIndex((c) => c.realm === realm);
    if (i >= 0) this.#credentials.splice(i, 1);
  }

  /**
   * Answer the challenges of a 401 (→ Authorization) or 407 (→ Proxy-Authorization) by adding one
   * header per challenged realm to `request` (the request that was challenged), replacing the
   * credentials it carried for those realms. The caller then sends it again with a new CSeq and
   * branch. Returns false, leaving the request untouched, when no challenge can be answered, or
   * when the request already carried our credentials for a realm and the server challenged again
   * without stale=true: the credentials were rejected (RFC 7616 §3.3), so stop and report it.
   * `origin` is ignored here; subclasses that bind credentials to servers use it
   * (sip/ua/bound-credentials.ts).
   */
  authorize(request: SipRequest, challengeResponse: SipResponse, origin?: ChallengeOrigin): boolean {
    void origin;
    const status = challengeResponse.status;
    if (status !== 401 && status !== 407) return false;
    const proxy = status === 407;
    const challenges = challengeResponse.headers
      .getAll(proxy ? 'Proxy-Authenticate' : 'WWW-Authenticate')
      .flatMap(parseDigestChallenges);
    const headerName = proxy ? 'Proxy-Authorization' : 'Authorization';
    const sent = request.headers.getAll(headerName);
    const sentRealms = new Set(sent.map(realmOf).filter((r): r is string => r !== undefined));

    const answers = new Map<string, string>();
    for (const [realm, list] of groupByRealm(challenges)) {
      const challenge = strongestChallenge(list)!;
      const credentials = this.#credentialsFor(realm);
      if (!credentials) continue;
      if (sentRealms.has(realm) && !challenge.stale) return false;
      answers.set(realm, this.#answer(request, challenge, credentials));
    }
    if (answers.size === 0) return false;
    const kept = sent.filter((v) => !answers.has(realmOf(v) ?? ''));
    request.headers.setAll(headerName, [...kept, ...answers.values()]);
    return true;
  }

  toString(): string {
    return `DigestClient(${this.#credentials.length} credentials)`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  toJSON(): { credentials: number } {
    return { credentials: this.#credentials.length };
  }

  #credentialsFor(realm: string): DigestCredentials | undefined {
    return this.#credentials.find((c) => c.realm === realm) ?? this.#credentials.find((c) => c.realm === undefined);
  }

  #answer(request: SipRequest, challenge: DigestChallenge, credentials: DigestCredentials): string {
    const nc = (this.#nonceCounts.get(challenge.nonce) ?? 0) + 1;
    this.#nonceCounts.delete(challenge.nonce);
    this.#nonceCounts.set(challenge.nonce, nc);
    if (this.#nonceCounts.size > maxNonces) this.#nonceCounts.delete(this.#nonceCounts.keys().next().value!);
    return formatDigestCredentials(
      computeDigest({
        challenge,
        username: credentials.username,
        password: credentials.password,
        method: request.method,
        uri: formatUri(request.uri),
        body: request.body,
        cnonce: this.#random.token(96),
        nc,
      }),
    );
  }
}

function groupByRealm(challenges: DigestChallenge[]): Map<string, DigestChallenge[]> {
  const out = new Map<string, DigestChallenge[]>();
  for (const c of challenges) out.set(c.realm, [...(out.get(c.realm) ?? []), c]);
  return out;
}

/** Realm of an Authorization header value we (or someone) put on the request. */
function realmOf(value: string): string | undefined {
  const digest = parseAuthHeader(value).find((c) => c.scheme.toLowerCase() === 'digest');
  return digest?.params.get('realm');
}
