/**
 * What the dialpad suggests while typing: contacts matching the text (with the number that matches
 * the digits typed), then recent calls' numbers not already shown; at most `max`.
 */
import type { Contact, HistoryEntry } from '../../../src-main/contract/directory.js';
import { uriUser } from '../calls/call-view.js';

export interface Suggestion {
  key: string;
  name: string | undefined;
  /** What is shown and dialled (a recent call dials its URI). */
  number: string;
  dial: { kind: 'number'; text: string } | { kind: 'uri'; uri: string };
  source: 'contact' | 'recent';
}

const digits = (s: string) => s.replace(/\D/g, '');

/** The contact's number that contains the digits typed (ignoring separators and a leading 0 vs +33), else its first. */
export function matchingNumber(contact: Pick<Contact, 'numbers'>, typed: string): string | undefined {
  const d = digits(typed);
  if (d.length >= 2) {
    const hit = contact.numbers.find((n) => digits(n.value).includes(d) || (d.startsWith('0') && digits(n.value).includes(d.slice(1))));
    if (hit) return hit.value;
  }
  return contact.numbers[0]?.value;
}

export function mergeSuggestions(typed: string, contacts: readonly Contact[], recent: readonly HistoryEntry[], max = 5): Suggestion[] {
  const out: Suggestion[] = [];
  const seen = new Set<string>();
  for (const c of contacts) {
    const number = matchingNumber(c, typed);
    if (!number) continue;
    out.push({ key: `c${c.id}`, name: c.name, number, dial: { kind: 'number', text: number }, source: 'contact' });
    seen.add(digits(number) || number);
    if (out.length >= max) return out;
  }
  for (const e of recent) {
    const number = uriUser(e.peer.uri);
    const id = digits(number) || number;
    if (seen.has(id) || [...seen].some((s) => s.length >= 6 && id.length >= 6 && (s.endsWith(id.slice(-9)) || id.endsWith(s.slice(-9))))) continue;
    seen.add(id);
    out.push({ key: `h${e.id}`, name: e.contact?.name ?? e.peer.displayName, number, dial: { kind: 'uri', uri: e.peer.uri }, source: 'recent' });
    if (out.length >= max) break;
  }
  return out;
}
