/** The Digest response computation (RFC 7616 §3.4, RFC 2617 §3.2.2) and its header value. */
import { createHash } from 'node:crypto';
import type { DigestChallenge, DigestQop } from './digest-challenge.js';
import { quoteString } from './digest-params.js';

export interface DigestInput {
  challenge: DigestChallenge;
  username: string;
  password: string;
  method: string;
  /** digest-uri: the Request-URI as sent (RFC 3261 §22.4). */
  uri: string;
  /** Entity body, for qop=auth-int. */
  body?: Buffer;
  /** Client nonce; used with a qop and with -sess algorithms. */
  cnonce: string;
  /** Nonce count for this nonce, starting at 1. */
  nc: number;
}

/** The fields of an Authorization / Proxy-Authorization header (never the password). */
export interface DigestCredentialsValue {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  algorithm: string;
  cnonce?: string;
  opaque?: string;
  qop?: DigestQop;
  /** 8 lower-case hex digits (RFC 7616 §3.4). */
  nc?: string;
  userhash?: boolean;
}

const h = (hash: string, data: string | Buffer): string => createHash(hash).update(data).digest('hex');

/** RFC 7616 §3.4.1: qop=auth preferred over auth-int when both are offered. */
function chooseQop(offered: DigestQop[]): DigestQop | undefined {
  return offered.includes('auth') ? 'auth' : offered[0];
}

export function computeDigest(input: DigestInput): DigestCredentialsValue {
  const { challenge: c, username, password, method, uri, cnonce } = input;
  const hash = c.algorithm.hash;
  const qop = chooseQop(c.qop);
  const nc = input.nc.toString(16).padStart(8, '0');
  // §3.4.2 A1, and its -sess form H(user:realm:pass):nonce:cnonce.
  let ha1 = h(hash, `${username}:${c.realm}:${password}`);
  if (c.algorithm.sess) ha1 = h(hash, `${ha1}:${c.nonce}:${cnonce}`);
  // §3.4.3 A2; auth-int also covers H(entity-body).
  const a2 = qop === 'auth-int' ? `${method}:${uri}:${h(hash, input.body ?? Buffer.alloc(0))}` : `${method}:${uri}`;
  const ha2 = h(hash, a2);
  // §3.4.1 with qop; RFC 2069 form without.
  const response = qop
    ? h(hash, `${ha1}:${c.nonce}:${nc}:${cnonce}:${qop}:${ha2}`)
    : h(hash, `${ha1}:${c.nonce}:${ha2}`);

  const out: DigestCredentialsValue = {
    // §3.4.4 userhash: H(username:realm) stands in for the username.
    username: c.userhash ? h(hash, `${username}:${c.realm}`) : username,
    realm: c.realm,
    nonce: c.nonce,
    uri,
    response,
    algorithm: c.algorithm.name,
  };
  if (qop || c.algorithm.sess) out.cnonce = cnonce;
  if (c.opaque !== undefined) out.opaque = c.opaque;
  if (qop) {
    out.qop = qop;
    out.nc = nc;
  }
  if (c.userhash) out.userhash = true;
  return out;
}

/** RFC 7616 §3.4 credentials: quoted strings, except algorithm, qop and nc (tokens). */
export function formatDigestCredentials(v: DigestCredentialsValue): string {
  const parts = [
    `username=${quoteString(v.username)}`,
    `realm=${quoteString(v.realm)}`,
    `nonce=${quoteString(v.nonce)}`,
    `uri=${quoteString(v.uri)}`,
    `response=${quoteString(v.response)}`,
    `algorithm=${v.algorithm}`,
  ];
  if (v.cnonce !== undefined) parts.push(`cnonce=${quoteString(v.cnonce)}`);
  if (v.opaque !== undefined) parts.push(`opaque=${quoteString(v.opaque)}`);
  if (v.qop) parts.push(`qop=${v.qop}`);
  if (v.nc) parts.push(`nc=${v.nc}`);
  if (v.userhash) parts.push('userhash=true');
  return `Digest ${parts.join(', ')}`;
}
