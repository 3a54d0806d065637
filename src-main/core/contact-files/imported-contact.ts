/**
 * One entry read from an import file, before it is checked: then either a contact the store can
 * take (fields within the contract's lengths) or the reason the row is skipped.
 */
import { contactInputSchema } from '../../contract/directory.js';
import { isDialable, numberKeys, sameNumber, type NumberKeys } from '../../store/contact-numbers.js';
import { maxNumbersPerContact } from '../../store/contact-merge.js';
import type { ContactFields } from '../../store/contacts-store.js';
import { fieldLimits } from './limits.js';

export interface RawContact {
  name: string;
  firstName: string;
  lastName: string;
  company: string;
  email: string;
  notes: string;
  favourite: boolean;
  numbers: Array<{ label: string; value: string }>;
}

export const emptyRawContact = (): RawContact => ({
  name: '', firstName: '', lastName: '', company: '', email: '', notes: '', favourite: false, numbers: [],
});

/** A checked contact comes with its numbers' keys (in order), computed once. */
export type CheckedContact = { ok: true; contact: ContactFields; keys: NumberKeys[] } | { ok: false; reason: string };

/**
 * Names fall back to first + last name, then company, e-mail, first number. Long text is clipped
 * to the contract's lengths (an over-long e-mail is dropped: clipped, it would be wrong); a number
 * that is neither a telephone number nor a SIP address skips the row, as do more than 32 numbers.
 */
export function checkContact(raw: RawContact, country: string | undefined): CheckedContact {
  const numbers: ContactFields['numbers'] = [];
  const keys: NumberKeys[] = [];
  for (const n of raw.numbers) {
    const value = n.value.trim();
    if (!value) continue;
    if (value.length > fieldLimits.value) return { ok: false, reason: `number too long (${value.length} characters)` };
    if (!isDialable(value)) return { ok: false, reason: `number unparseable: "${clip(value, 40)}"` };
    const k = numberKeys(value, country);
    if (keys.some((h) => sameNumber(h, k))) continue;
    keys.push(k);
    numbers.push({ label: clip(n.label.trim(), fieldLimits.label) || 'other', value });
  }
  if (numbers.length > maxNumbersPerContact) return { ok: false, reason: `more than ${maxNumbersPerContact} numbers (${numbers.length})` };
  const email = oneLine(raw.email);
  const name = oneLine(raw.name) || oneLine(`${raw.firstName} ${raw.lastName}`) || oneLine(raw.company) || email || (numbers[0]?.value ?? '');
  if (!name) return { ok: false, reason: 'no name and no number' };
  const parsed = contactInputSchema.safeParse({
    name: clip(name, fieldLimits.name),
    company: clip(oneLine(raw.company), fieldLimits.company),
    numbers,
    email: email.length <= fieldLimits.email ? email : '',
    notes: clip(raw.notes.trim(), fieldLimits.notes),
    favourite: raw.favourite,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, reason: `${issue.path.join('.') || 'contact'}: ${issue.message}` };
  }
  const { id: _id, ...contact } = parsed.data;
  return { ok: true, contact, keys };
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** At most `max` UTF-16 units, never splitting a surrogate pair. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}
