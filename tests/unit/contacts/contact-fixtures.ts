/** Address books for the contact tests: a directory over a fresh in-memory database, and files. */
import { openDatabase } from '../../../src-main/store/database.js';
import { createContactDirectory } from '../../../src-main/core/contacts.js';
import type { ContactDirectory } from '../../../src-main/core/directory-service.js';
import type { ContactImport, ContactImportReport } from '../../../src-main/contract/directory.js';

export function freshDirectory(country = 'FR'): { directory: ContactDirectory; close(): void } {
  const db = openDatabase(':memory:');
  return { directory: createContactDirectory(db, { defaultCountry: () => country }), close: () => db.close() };
}

export const base64 = (data: string | Uint8Array) => Buffer.from(data).toString('base64');

/** Imports and fails the test on an error result. */
export async function importOk(directory: ContactDirectory, request: ContactImport, progress: Array<[number, number]> = []): Promise<ContactImportReport> {
  const r = await directory.import(request, (done, total) => progress.push([done, total]));
  if (!r.ok) throw new Error(`import failed: ${r.error}`);
  return r.value;
}

const first = ['Jean', 'Marie', 'Émile', 'Zoé', 'Paul', 'Anaïs', 'Chloé', 'Hugo', 'Léa', 'François'];
const last = ['Martin', 'Bernard', 'Lefèvre', 'Moreau', 'Müller', 'Smith', 'Garçon', 'Petit', 'Roux', 'Fournier'];

/** A vCard 3.0 file of `count` people, each with a mobile (+33 7 …) and an office number (01 …). */
export function vcardBook(count: number): string {
  const cards: string[] = [];
  for (let i = 0; i < count; i++) {
    const given = first[i % first.length]!;
    const family = `${last[Math.floor(i / first.length) % last.length]}${i}`;
    cards.push([
      'BEGIN:VCARD', 'VERSION:3.0', `N:${family};${given};;;`, `FN:${given} ${family}`, `ORG:Société ${i % 37}`,
      `TEL;TYPE=CELL:+33 7 ${pairs(10_000_000 + i)}`, `TEL;TYPE=WORK,VOICE:01 ${pairs(40_000_000 + i)}`,
      `EMAIL;TYPE=INTERNET:p${i}@example.fr`, 'END:VCARD',
    ].join('\r\n'));
  }
  return cards.join('\r\n') + '\r\n';
}

/** 12345678 → "12 34 56 78". */
export const pairs = (n: number) => String(n).padStart(8, '0').replace(/(\d\d)(?=\d)/g, '$1 ');
