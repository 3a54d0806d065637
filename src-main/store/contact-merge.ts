/**
 * Merging a contact into one that shares a number (imports): the existing contact keeps its name
 * and every field it has; it gains the numbers it lacks and the fields it left empty.
 */
import type { Contact } from '../contract/directory.js';
import { sameNumber, type NumberKeys } from './contact-numbers.js';
import type { ContactFields } from './contacts-store.js';

/** As the contract's schema allows. */
export const maxNumbersPerContact = 32;

/**
 * The merged fields, or undefined when `incoming` adds nothing. Numbers are compared by their keys
 * (`existingKeys` as stored, `incomingKeys` in the order of `incoming.numbers`).
 */
export function mergeContact(existing: Contact, existingKeys: NumberKeys[], incoming: ContactFields, incomingKeys: NumberKeys[]): ContactFields | undefined {
  const have = [...existingKeys];
  const numbers = [...existing.numbers];
  incoming.numbers.forEach((n, i) => {
    const keys = incomingKeys[i]!;
    if (numbers.length >= maxNumbersPerContact || have.some((h) => sameNumber(h, keys))) return;
    numbers.push(n);
    have.push(keys);
  });
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
