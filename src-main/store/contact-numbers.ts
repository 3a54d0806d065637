/**
 * What a contact's number or SIP address is matched by: its digits, its E.164 form when it parses
 * as a valid number (libphonenumber-js, with the account's default country for national numbers),
 * the national digits a person types (`0612…` for `+33 6 12 …`), and for SIP addresses `user@host`.
 */
import { createRequire } from 'node:module';
import type { CountryCode } from 'libphonenumber-js';

type PhoneNumbers = typeof import('libphonenumber-js');
let phoneNumbers: PhoneNumbers | undefined;
/**
 * libphonenumber-js (its metadata is ~2 MB of heap) loads at the first number that needs it, not
 * with every process that imports this module (private memory of a call, issue 10).
 */
function libphonenumber(): PhoneNumbers {
  return (phoneNumbers ??= createRequire(import.meta.url)('libphonenumber-js') as PhoneNumbers);
}

export interface NumberKeys {
  /** The digits as written (`+33 6 12 34 56 78` → `33612345678`); '' for a SIP address with a name. */
  digits: string;
  /** `+33612345678`, when the number is valid for its country. */
  e164: string | null;
  /** The national form's digits, with the trunk prefix (`0612345678`), when it parses. */
  national: string | null;
  /** `user@host` (host lower-cased, no port or parameters) for a SIP or SIPS URI. */
  sip: string | null;
}

/** Digits and the characters people write numbers with; an extension may follow. */
const phoneLike = /^\+?[\d\s().\-/*#]*\d[\d\s().\-/*#]*$/;
const extension = /\s*(?:;?ext=|ext\.?|x|poste|#)\s*\d+$/i;

interface Address { user: string; host: string; scheme: string }

/** Splits `sip:user@host:port;params`, `tel:+33…`, `Name <sip:…>` or a bare number. */
export function addressOf(uriOrNumber: string): Address {
  let v = uriOrNumber.trim();
  const angle = /<([^>]*)>/.exec(v);
  if (angle) v = angle[1]!.trim();
  const scheme = /^(sips?|tel):/i.exec(v)?.[1]?.toLowerCase() ?? '';
  if (scheme) v = v.slice(scheme.length + 1);
  const at = v.lastIndexOf('@');
  let user = at >= 0 ? v.slice(0, at) : v;
  let host = at >= 0 ? v.slice(at + 1) : '';
  user = user.replace(/;.*$/, '');
  try {
    user = decodeURIComponent(user);
  } catch {
    // Keep a malformed escape as written.
  }
  host = host.replace(/[;?].*$/, '');
  const bracket = /^(\[[^\]]*\])(?::\d+)?$/.exec(host);
  host = (bracket ? bracket[1]! : host.replace(/:\d+$/, '')).toLowerCase();
  return { user: user.trim(), host, scheme };
}

/** True when the user part is a telephone number (digits and separators, maybe an extension). */
export function isTelephoneNumber(user: string): boolean {
  return phoneLike.test(user.replace(extension, ''));
}

/** A value a person could call: a telephone number, or a SIP address with a user and a host. */
export function isDialable(value: string): boolean {
  const a = addressOf(value);
  if (a.host) return a.user.length > 0 && !/\s/.test(a.user);
  return a.scheme !== 'sip' && a.scheme !== 'sips' && isTelephoneNumber(a.user);
}

export function numberKeys(value: string, defaultCountry: string | undefined): NumberKeys {
  const a = addressOf(value);
  const sip = a.host && a.user ? `${a.user}@${a.host}` : null;
  if (!isTelephoneNumber(a.user)) return { digits: '', e164: null, national: null, sip };
  const main = a.user.replace(extension, '');
  const digits = main.replace(/\D/g, '');
  const parsed = libphonenumber().parsePhoneNumberFromString(main, { defaultCountry: asCountry(defaultCountry) });
  if (!parsed?.isValid()) return { digits, e164: null, national: null, sip };
  return { digits, e164: parsed.number, national: parsed.formatNational().replace(/\D/g, ''), sip };
}

/** The digit strings a digit search looks into: as written, E.164 and national. */
export function searchDigits(keys: NumberKeys): string[] {
  const all = [keys.digits, keys.e164?.slice(1) ?? '', keys.national ?? ''].filter((d) => d.length > 0);
  return [...new Set(all)];
}

function asCountry(code: string | undefined): CountryCode | undefined {
  return code && /^[A-Z]{2}$/.test(code) ? (code as CountryCode) : undefined;
}

/**
 * Whether two numbers reach the same person: equal E.164 when both parse, else equal digits (the
 * national form counts: `0612345678` and `+33 6 12 34 56 78`), else the same SIP address.
 */
export function sameNumber(a: NumberKeys, b: NumberKeys): boolean {
  if (a.e164 && b.e164) return a.e164 === b.e164;
  if (a.digits && b.digits) return a.digits === b.digits || a.national === b.digits || b.national === a.digits;
  return a.sip !== null && a.sip === b.sip;
}
