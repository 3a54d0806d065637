/**
 * SDP Security Descriptions (RFC 4568): the `a=crypto` attribute (§9.1 grammar)
 *
 *   a=crypto:<tag> <crypto-suite> <key-params>[;<key-params>]* [<session-param>]*
 *   key-params = "inline:" base64(key||salt) ["|" lifetime] ["|" MKI ":" length]
 *
 * Lifetime is decimal or "2^n" (§6.1). Keys are generated from an injected random-bytes source.
 */
import { isSrtpSuiteName, SRTP_SUITES, type SrtpSuiteName } from './crypto-suite.js';

/** Injected randomness for key material (crypto.randomBytes in production). */
export type RandomBytes = (length: number) => Uint8Array;

export interface SdesKey {
  /** Master key || master salt. */
  keySalt: Uint8Array;
  /** Maximum packets under this key, if stated. */
  lifetime?: number;
  mki?: { value: number; length: number };
}

export interface CryptoAttribute {
  /** 1–9 digit tag that pairs an answer with its offer (§5.1). */
  tag: number;
  /** Suite name as written; `isSrtpSuiteName` tells whether we support it. */
  suite: string;
  keys: SdesKey[];
  sessionParams: string[];
}

const PREFIX = 'a=crypto:';
const TAG = /^[0-9]{1,9}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const LIFETIME = /^(?:([0-9]+)|2\^([0-9]{1,2}))$/;
const MKI = /^([0-9]{1,10}):([0-9]{1,3})$/;
/** RFC 4568 §6.1: at most 2^48 SRTP packets (2^31 SRTCP) per master key. */
const MAX_LIFETIME = 2 ** 48;

/** Parses one attribute (with or without the leading "a=crypto:"); undefined if malformed. */
export function parseCryptoAttribute(line: string): CryptoAttribute | undefined {
  let text = line.trim();
  if (text.startsWith(PREFIX)) text = text.slice(PREFIX.length);
  const fields = text.split(/[ \t]+/);
  const [tag, suite, keyParams, ...sessionParams] = fields;
  if (!tag || !suite || !keyParams || !TAG.test(tag)) return undefined;
  const keys: SdesKey[] = [];
  for (const param of keyParams.split(';')) {
    const key = parseKeyParam(param, suite);
    if (!key) return undefined;
    keys.push(key);
  }
  return { tag: Number(tag), suite, keys, sessionParams };
}

function parseKeyParam(param: string, suite: string): SdesKey | undefined {
  if (!param.startsWith('inline:')) return undefined;
  const [encoded, ...rest] = param.slice('inline:'.length).split('|');
  if (!encoded || !BASE64.test(encoded) || rest.length > 2) return undefined;
  const keySalt = Uint8Array.from(Buffer.from(encoded, 'base64'));
  if (isSrtpSuiteName(suite)) {
    const s = SRTP_SUITES[suite];
    if (keySalt.length !== s.keyLength + s.saltLength) return undefined;
  }
  const key: SdesKey = { keySalt };
  for (const part of rest) {
    const mki = MKI.exec(part);
    if (mki) {
      if (key.mki) return undefined;
      const length = Number(mki[2]);
      if (length < 1 || length > 128) return undefined;
      key.mki = { value: Number(mki[1]), length };
      continue;
    }
    const life = LIFETIME.exec(part);
    if (!life || key.lifetime !== undefined || key.mki) return undefined; // lifetime precedes MKI
    const lifetime = life[1] !== undefined ? Number(life[1]) : 2 ** Number(life[2]);
    if (lifetime < 1 || lifetime > MAX_LIFETIME) return undefined;
    key.lifetime = lifetime;
  }
  return key;
}

/** Formats the attribute value (without "a=crypto:"), e.g. for sdp-transform's `crypto[].config`. */
export function formatCryptoAttribute(attr: CryptoAttribute): string {
  const keys = attr.keys.map((k) => {
    let s = `inline:${Buffer.from(k.keySalt).toString('base64')}`;
    if (k.lifetime !== undefined) s += `|${formatLifetime(k.lifetime)}`;
    if (k.mki) s += `|${k.mki.value}:${k.mki.length}`;
    return s;
  });
  return [String(attr.tag), attr.suite, keys.join(';'), ...attr.sessionParams].join(' ');
}

function formatLifetime(n: number): string {
  const log = Math.log2(n);
  return Number.isInteger(log) ? `2^${log}` : String(n);
}

/** A fresh offer line for `suite` with key material from `randomBytes`. */
export function generateCryptoAttribute(tag: number, suite: SrtpSuiteName, randomBytes: RandomBytes): CryptoAttribute {
  const s = SRTP_SUITES[suite];
  const keySalt = randomBytes(s.keyLength + s.saltLength);
  if (keySalt.length !== s.keyLength + s.saltLength) throw new RangeError('randomBytes returned the wrong length');
  return { tag, suite, keys: [{ keySalt: Uint8Array.from(keySalt) }], sessionParams: [] };
}
