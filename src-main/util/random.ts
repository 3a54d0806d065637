import { randomBytes, randomInt } from 'node:crypto';

/** Randomness is injected (Call-ID, tags, branches, cnonce, SSRC) so tests are repeatable. */
export interface Random {
  /** A token of URL/SIP-token-safe characters carrying `bits` of entropy (default 96). */
  token(bits?: number): string;
  /** Uniform integer in [0, max). */
  int(max: number): number;
}

const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export const cryptoRandom: Random = {
  token(bits = 96) {
    const n = Math.ceil(bits / 5.9);
    const bytes = randomBytes(n);
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[bytes[i]! % alphabet.length];
    return s;
  },
  int: (max) => randomInt(max),
};

/** Bytes from the system's cryptographic source (key material: SDES, SRTP). */
export const cryptoBytes = (length: number): Uint8Array => randomBytes(length);

/** Deterministic Random for tests: tokens are "t1", "t2", ...; ints cycle through `ints`. */
export function sequenceRandom(ints: number[] = [0]): Random {
  let n = 0;
  let i = 0;
  return {
    token: () => `t${++n}`,
    int: (max) => ints[i++ % ints.length]! % Math.max(1, max),
  };
}
