/**
 * An account's digest credentials, bound to its own servers (docs/security.md, "Signalling"):
 *
 * - Only challenges from the registrar or outbound proxy are answered — by the next hop's URI host
 *   or the address it resolved to. A 401/407 from any other host (a peer we talk to directly, a 3xx
 *   target, a REFER target) gets no answer: the request fails as the challenge (cause auth-failed).
 * - The realm is learnt from the registrar's challenge to our REGISTER (or, for an account that
 *   never registers, the first challenge with a qop from its proxy) and from then on only that realm
 *   is answered; credentials are never offered to a realm the peer names.
 * - Among the challenges of one response the strongest algorithm wins (RFC 7616 §3.7: SHA-256 over
 *   MD5); a challenge without qop (RFC 2069 form, no client nonce: an offline-crackable response)
 *   is answered only for the bound realm.
 */
import { DigestClient, parseDigestChallenges, strongestChallenge, type ChallengeOrigin } from '../../message/digest.js';
import type { SipRequest, SipResponse } from '../../message/index.js';
import type { Random } from '../../../util/random.js';

export interface AccountServers {
  /** Host names (or literals) of the registrar and outbound proxy URIs, lower case. */
  hosts: ReadonlySet<string>;
  /** Addresses they resolved to. */
  addresses: ReadonlySet<string>;
}

export class BoundCredentials extends DigestClient {
  /** The realm learnt at registration; undefined until then. */
  realm: string | undefined;
  readonly #username: string;
  readonly #password: string;

  constructor(opts: {
    random: Random;
    username: string;
    password: string;
    servers: () => AccountServers;
    /** A challenge we refused to answer, in words a person can act on. */
    refused: (message: string) => void;
  }) {
    super({ random: opts.random, credentials: [] });
    this.#username = opts.username;
    this.#password = opts.password;
    this.servers = opts.servers;
    this.refused = opts.refused;
  }

  private readonly servers: () => AccountServers;
  private readonly refused: (message: string) => void;

  override authorize(request: SipRequest, response: SipResponse, origin?: ChallengeOrigin): boolean {
    if (response.status !== 401 && response.status !== 407) return false;
    const where = origin ? (origin.address && origin.address !== origin.host ? `${origin.host} (${origin.address})` : origin.host) : 'an unknown host';
    if (!origin || !this.fromServer(origin)) {
      this.refused(`${request.method}: not answering a ${response.status} challenge from ${where}: credentials are only for the account's registrar or proxy`);
      return false;
    }
    const challenges = response.headers.getAll(response.status === 407 ? 'Proxy-Authenticate' : 'WWW-Authenticate').flatMap(parseDigestChallenges);
    if (this.realm === undefined) {
      const best = strongestChallenge(challenges);
      if (!best) return false;
      // A first challenge outside REGISTER must carry a qop: no RFC 2069 answers to a realm not yet bound.
      if (request.method !== 'REGISTER' && best.qop.length === 0) {
        this.refused(`${request.method}: not answering a challenge without qop from ${where} for realm "${best.realm}" before registration`);
        return false;
      }
      this.bind(best.realm);
    } else if (!challenges.some((c) => c.realm === this.realm)) {
      const realms = [...new Set(challenges.map((c) => `"${c.realm}"`))].join(', ') || 'none';
      this.refused(`${request.method}: not answering a challenge from ${where} for realm ${realms}: credentials are bound to realm "${this.realm}"`);
      return false;
    }
    return super.authorize(request, response);
  }

  private fromServer(origin: ChallengeOrigin): boolean {
    const s = this.servers();
    return s.hosts.has(bareHost(origin.host)) || (origin.address !== undefined && s.addresses.has(origin.address));
  }

  /** From now on only this realm is answered (DigestClient answers per realm). */
  private bind(realm: string): void {
    this.realm = realm;
    this.removeCredentials(undefined);
    this.setCredentials({ realm, username: this.#username, password: this.#password });
  }

  override toString(): string {
    return `BoundCredentials(realm ${this.realm ?? 'not yet learnt'})`;
  }
}

/** "[::1]" → "::1", lower case: hosts compare as written in URIs and next hops. */
export function bareHost(host: string): string {
  return (host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host).toLowerCase();
}
