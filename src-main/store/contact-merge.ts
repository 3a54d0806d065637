/**
 * Merging a contact into one that shares a number (imports): the existing contact keeps its name
 * and every field it has; it gains the numbers it lacks and the fields it left empty.
 */
import type { Contact } from '../contract/directory.js';
import { numberKeys, sameNumber } from './contact-numbers.js';
import type { ContactFields } from './contacts-store.js';

/** As the contract's schema allows. */
export const maxNumbersPerContact = 32;

/** The merged fields, or undefined when `incoming` adds nothing. */
export function mergeContact(existing: Contact, incoming: ContactFields, country: string | undefined): ContactFields | undefined {
  const have = existing.numbers.map((n) => numberKeys(n.value, country));
  const numbers = [...existing.numbers];
  for (const n of incoming.numbers) {
    if (numbers.length >= maxNumbersPerContact) break;
    const keys = numberKeys(n.value, country);
    if (have.some((h) => sameNumber(h, keys))) continue;
    numbers.push(n);
    have.push(keys);
  }
  const merged: ContactFields = {
    name: existing.name,
    company: existing.company || incoming.company,
    numbers,
    email: existing.email || incoming.email,
    notes: existing.notes || incoming.notes,
    favourite: existing.favourite || incoming.favourite,
  };
  const unchanged = numbers.length === existing.numbers.length && merged.company === existing.company
    && merged.email === existing.email && merged.notes === existing.notes && merged.favourite === existing.favourite;
  return unchanged ? undefined : merged;
}
