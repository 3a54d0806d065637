/**
 * Our SDES master keys for one call (RFC 4568 §6.1), one per suite, as offered/answered in
 * a=crypto. RFC 3711 §9.1: a keystream must never be reused, i.e. an SRTP/SRTCP index never
 * repeats under one master key. A fresh send context starts its ROC and SRTCP index at 0 again,
 * so a key whose send context was torn down (suite changed, SRTP turned off) is retired and
 * replaced: whenever the send side has to be rebuilt, it is rebuilt with a new key of ours,
 * which the next offer/answer carries (RFC 4568 §7.1.4).
 */
import { SRTP_SUITES, type SrtpSuiteName } from './crypto-suite.js';
import type { RandomBytes } from './sdes.js';

/** One a=crypto line of ours: tag, suite and base64 key||salt. */
export interface LocalCrypto {
  tag: number;
  suite: SrtpSuiteName;
  key: string;
}

export const LOCAL_SUITES: readonly SrtpSuiteName[] = ['AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32'];

export class LocalSrtpKeys {
  readonly #keys: LocalCrypto[];
  /** The key our send context uses now (undefined: not sending SRTP). */
  #sending: string | undefined;
  #retired = 0;

  constructor(private readonly randomBytes: RandomBytes, suites: readonly SrtpSuiteName[] = LOCAL_SUITES) {
    this.#keys = suites.map((suite, i) => ({ tag: i + 1, suite, key: this.fresh(suite) }));
  }

  /** The keys to put in our next offer or answer. */
  get offered(): readonly LocalCrypto[] {
    return this.#keys;
  }

  /** Keys retired so far (statistics for tests and diagnostics; never key material). */
  get retiredCount(): number {
    return this.#retired;
  }

  /**
   * The negotiation settled on `key` for what we send (undefined: plain RTP). If the send key
   * changed, the one used until now is never offered again.
   */
  sendingWith(key: string | undefined): void {
    if (key === this.#sending) return;
    const previous = this.#sending;
    this.#sending = key;
    if (previous === undefined) return;
    const entry = this.#keys.find((k) => k.key === previous);
    if (!entry) return;
    entry.key = this.fresh(entry.suite);
    this.#retired++;
  }

  private fresh(suite: SrtpSuiteName): string {
    const s = SRTP_SUITES[suite];
    const bytes = this.randomBytes(s.keyLength + s.saltLength);
    if (bytes.length !== s.keyLength + s.saltLength) throw new RangeError('randomBytes returned the wrong length');
    return Buffer.from(bytes).toString('base64');
  }

  toJSON(): object {
    return { suites: this.#keys.map((k) => k.suite), sending: this.#sending !== undefined, retired: this.#retired };
  }
}
