/**
 * The contact editor's draft and its check against the contract's schema (contactInputSchema):
 * errors name the field (`name`, `email`, `numbers.1.value`), messages come from the catalogue.
 * Empty number rows are dropped; a number must look dialable (digits, or a SIP address).
 */
import { contactInputSchema, type Contact, type ContactInput } from '../../../src-main/contract/directory.js';

export const numberLabels = ['mobile', 'work', 'home', 'main', 'fax', 'pager', 'other'] as const;

export interface ContactDraft {
  id: number | undefined;
  name: string;
  company: string;
  numbers: { label: string; value: string }[];
  email: string;
  notes: string;
  favourite: boolean;
}

/** Field path → catalogue key under `contacts.form.errors`. */
export type ContactErrors = Record<string, 'name' | 'number' | 'email' | 'tooLong' | 'tooMany'>;

export function draftFromContact(contact: Contact | undefined, prefill: Partial<ContactDraft> = {}): ContactDraft {
  return {
    id: contact?.id,
    name: contact?.name ?? '',
    company: contact?.company ?? '',
    numbers: contact?.numbers.map((n) => ({ label: n.label, value: n.value })) ?? [{ label: 'mobile', value: '' }],
    email: contact?.email ?? '',
    notes: contact?.notes ?? '',
    favourite: contact?.favourite ?? false,
    ...prefill,
  };
}

/** A phone number (digits with the usual separators, an extension) or a SIP address. */
export function looksDialable(value: string): boolean {
  const v = value.trim();
  const sip = /^(?:sips?:)?([^\s@:]+)@[^\s@]+$/i.exec(v);
  if (sip) return true;
  const number = v.replace(/^tel:/i, '');
  return /^\+?[\d\s().\-/]+(?:\s*(?:x|ext\.?|p|w|;ext=)\s*\d+)?$/i.test(number) && number.replace(/\D/g, '').length >= 2;
}

const looksLikeEmail = (v: string): boolean => /^[^\s@]+@[^\s@]+$/.test(v.trim());

export type ContactCheck = { ok: true; input: ContactInput } | { ok: false; errors: ContactErrors };

export function checkContact(draft: ContactDraft): ContactCheck {
  const numbers = draft.numbers.map((n, i) => ({ ...n, i })).filter((n) => n.value.trim() !== '');
  const input: ContactInput = {
    ...(draft.id !== undefined ? { id: draft.id } : {}),
    name: draft.name,
    company: draft.company,
    numbers: numbers.map((n) => ({ label: n.label.trim() || 'other', value: n.value })),
    email: draft.email,
    notes: draft.notes,
    favourite: draft.favourite,
  };
  const errors: ContactErrors = {};
  const parsed = contactInputSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [field, index] = issue.path;
      if (field === 'numbers' && typeof index === 'number') errors[`numbers.${numbers[index]?.i ?? index}.value`] = 'tooLong';
      else if (field === 'numbers') errors.numbers = 'tooMany';
      else if (field === 'name') errors.name = draft.name.trim() === '' ? 'name' : 'tooLong';
      else if (typeof field === 'string') errors[field] = 'tooLong';
    }
  }
  for (const n of numbers) if (!errors[`numbers.${n.i}.value`] && !looksDialable(n.value)) errors[`numbers.${n.i}.value`] = 'number';
  if (draft.email.trim() !== '' && !errors.email && !looksLikeEmail(draft.email)) errors.email = 'email';
  return Object.keys(errors).length === 0 ? { ok: true, input } : { ok: false, errors };
}

/** The field a core error names ("numbers.0.value: not a phone number"), mapped onto the draft's rows. */
export function fieldOfError(error: string, draft: ContactDraft): string | undefined {
  const m = /^(name|email|company|notes|numbers)(?:\.(\d+))?/.exec(error);
  if (!m) return undefined;
  if (m[1] !== 'numbers' || m[2] === undefined) return m[1];
  const rows = draft.numbers.map((n, i) => ({ n, i })).filter(({ n }) => n.value.trim() !== '');
  const row = rows[Number(m[2])];
  return row ? `numbers.${row.i}.value` : 'numbers';
}

/** The number a click on the contact calls: the first one. */
export const primaryNumber = (c: Pick<Contact, 'numbers'>): string | undefined => c.numbers[0]?.value;
