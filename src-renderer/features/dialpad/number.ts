/**
 * What the Number field holds and how it becomes a dial target. Pure: no DOM, no store.
 * Phone numbers lose their visual separators (RFC 3966 §5.1.1: "-", ".", "(", ")" and spaces) and
 * are formatted as they are typed by libphonenumber-js; SIP addresses and extensions stay as typed.
 */
import { AsYouType, type CountryCode } from 'libphonenumber-js';

const separators = /[\s\-.()\u00a0\u2010-\u2015]/g;
/** Only digits, `+ * #` and visual separators: something to normalise, not an address. */
const phoneLike = /^[\s\-.()\u00a0\u2010-\u2015+\d*#]*$/;
const significant = /[\d+*#]/;

export function isPhoneLike(text: string): boolean {
  return phoneLike.test(text);
}

/** Pasted or typed text as the field keeps it: separators stripped from numbers, `tel:` unwrapped. */
export function normaliseNumber(text: string): string {
  const trimmed = text.trim();
  const tel = /^tel:([^;]*)/i.exec(trimmed);
  const body = tel ? tel[1]! : trimmed;
  return isPhoneLike(body) ? body.replace(separators, '') : trimmed;
}

/** As-you-type display of a number (digits with an optional leading +); anything else as is. */
export function formatNumber(raw: string, country: string | undefined): string {
  if (!/^\+?\d+$/.test(raw)) return raw;
  if (!raw.startsWith('+') && !country) return raw;
  return new AsYouType(country as CountryCode | undefined).input(raw);
}

export interface FieldState {
  /** What is dialled (separators removed). */
  raw: string;
  /** What the field shows. */
  display: string;
  caret: number;
}

export const emptyField: FieldState = { raw: '', display: '', caret: 0 };

function caretAfter(display: string, count: number): number {
  if (count <= 0) return 0;
  let seen = 0;
  for (let i = 0; i < display.length; i++) {
    if (significant.test(display[i]!) && ++seen === count) return i + 1;
  }
  return display.length;
}

/**
 * The user edited the displayed text (typing, deleting, pasting): the new raw number, its
 * formatted display, and where the caret goes so that it stays after the same digit. Deleting a
 * separator deletes the digit next to it (otherwise formatting would put the separator back).
 */
export function applyEdit(
  prev: FieldState, text: string, caret: number, country: string | undefined,
  inputType?: string,
): FieldState {
  if (!isPhoneLike(text)) {
    // Letters typed after a formatted number: drop the spaces the formatting put in.
    if (prev.display === prev.raw) return { raw: text, display: text, caret };
    const kept = text.replace(/\s/g, '');
    const before = text.slice(0, caret).replace(/\s/g, '').length;
    return { raw: kept, display: kept, caret: before };
  }
  let before = [...text.slice(0, caret)].filter((c) => significant.test(c)).length;
  let raw = text.replace(separators, '');
  if (raw === prev.raw && text.length < prev.display.length) {
    if (inputType === 'deleteContentForward') raw = raw.slice(0, before) + raw.slice(before + 1);
    else if (before > 0) {
      raw = raw.slice(0, before - 1) + raw.slice(before);
      before -= 1;
    }
  }
  const display = formatNumber(raw, country);
  return { raw, display, caret: caretAfter(display, before) };
}

/** Replace the field's content (paste of a whole number, keypad, redial). */
export function setField(text: string, country: string | undefined): FieldState {
  const raw = normaliseNumber(text);
  const display = formatNumber(raw, country);
  return { raw, display, caret: display.length };
}

/** Insert text at the caret (keypad buttons). */
export function insertAt(prev: FieldState, text: string, country: string | undefined): FieldState {
  const at = Math.min(prev.caret, prev.display.length);
  const next = prev.display.slice(0, at) + text + prev.display.slice(at);
  return applyEdit(prev, next, at + text.length, country);
}

/** The region of the first OS language that names one ("fr-FR" → FR): formatting without an account country. */
export function localeCountry(languages: readonly string[]): string | undefined {
  for (const tag of languages) {
    const region = /^[a-z]{2,3}-([A-Z]{2})\b/i.exec(tag)?.[1];
    if (region) return region.toUpperCase();
  }
  return undefined;
}

export type DialTarget = { ok: true; uri: string } | { ok: false; error: 'empty' | 'no-account' | 'invalid' };

/** The account's domain (and scheme) from its address of record, e.g. sip:1001@pbx.example.com. */
export function accountDomain(aor: string): { scheme: 'sip' | 'sips'; host: string } | undefined {
  const m = /^(sips?):[^@\s]+@([^;>\s?]+)/i.exec(aor.trim());
  return m ? { scheme: m[1]!.toLowerCase() as 'sip' | 'sips', host: m[2]! } : undefined;
}

const userPart = /^[A-Za-z0-9\-_.!~*'()&=+$,;?/%#]+$/;

/**
 * What the `dial` command gets: SIP addresses as typed (`sip:` added when missing), numbers and
 * extensions as `sip:<digits>@<account domain>` (`#` escaped, RFC 3261 §25.1).
 */
export function dialTarget(input: string, account: { aor: string } | undefined): DialTarget {
  const text = input.trim();
  if (text === '') return { ok: false, error: 'empty' };
  const scheme = /^(sips?):(.+)$/i.exec(text);
  let user: string;
  if (scheme) {
    if (/\s/.test(text)) return { ok: false, error: 'invalid' };
    if (scheme[2]!.includes('@')) return /^[^@]+@[^@]+$/.test(scheme[2]!) ? { ok: true, uri: text } : { ok: false, error: 'invalid' };
    user = scheme[2]!;
  } else if (text.includes('@')) {
    return /^[^@\s]+@[^@\s]+$/.test(text) ? { ok: true, uri: `sip:${text}` } : { ok: false, error: 'invalid' };
  } else {
    user = normaliseNumber(text);
  }
  if (!userPart.test(user) || !/[^+]/.test(user)) return { ok: false, error: 'invalid' };
  const domain = account ? accountDomain(account.aor) : undefined;
  if (!domain) return { ok: false, error: 'no-account' };
  const uriScheme = scheme ? scheme[1]!.toLowerCase() : domain.scheme;
  return { ok: true, uri: `${uriScheme}:${user.replace(/#/g, '%23')}@${domain.host}` };
}
