/**
 * Folded text for the address book: what search and ordering compare. Case- and accent-insensitive
 * (`Dupönt`, `DUPONT` and `dupont` fold alike), ligatures spelt out (`œ` → `oe`, `ß` → `ss`).
 */

const spelledOut: Record<string, string> = { 'ß': 'ss', 'æ': 'ae', 'œ': 'oe', 'ø': 'o', 'đ': 'd', 'ł': 'l', 'ı': 'i', 'þ': 'th' };

/** Lower case, no diacritics (NFKD, marks removed), ligatures spelt out, white space collapsed. */
export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßæœøđłıþ]/g, (c) => spelledOut[c]!)
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The order names are listed in, as a byte-comparable key (SQLite compares it with BINARY): the
 * folded name without leading punctuation, so `Émile`, `emile` and `"Emile"` sit together, the way
 * `Intl.Collator` with sensitivity `base` orders them.
 */
export function sortKey(name: string): string {
  return fold(name).replace(/^[^\p{L}\p{N}]+/u, '');
}
