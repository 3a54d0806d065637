/** The import dialog's pure parts: which format a file is, the CSV column mapping, the report's figures. */
import type { ContactImport, ContactImportReport } from '../../../src-main/contract/directory.js';

export type ImportField = NonNullable<ContactImport['mapping']>[string];
export const importFields: readonly ImportField[] = ['name', 'firstName', 'lastName', 'company', 'email', 'notes', 'phone', 'mobile', 'home', 'work', 'sip', 'ignore'];

/** vCard by extension or content (BEGIN:VCARD), CSV otherwise. */
export function importFormat(fileName: string, head: string): 'vcard' | 'csv' {
  if (/\.(vcf|vcard)$/i.test(fileName)) return 'vcard';
  if (/\.(csv|txt)$/i.test(fileName)) return 'csv';
  return /^\uFEFF?\s*BEGIN:VCARD/i.test(head) ? 'vcard' : 'csv';
}

export type Mapping = Record<string, ImportField>;

/** The mapping the core used (guessed from the header), as the dialog edits it. */
export function mappingOf(columns: ContactImportReport['columns']): Mapping {
  const mapping: Mapping = {};
  for (const c of columns ?? []) {
    if (c.header in mapping) continue;
    mapping[c.header] = (importFields as readonly string[]).includes(c.field) ? c.field as ImportField : 'ignore';
  }
  return mapping;
}

/** A CSV mapping is usable when some column gives a name or a number. */
export function mappingUsable(mapping: Mapping): boolean {
  return Object.values(mapping).some((f) => f !== 'ignore' && f !== 'email' && f !== 'notes' && f !== 'company');
}

/** Percent done of an import, or undefined before the first figures. */
export function percentDone(progress: { done: number; total: number } | undefined): number | undefined {
  if (!progress || progress.total <= 0) return undefined;
  return Math.min(100, Math.round((progress.done / progress.total) * 100));
}

/** The base64 payload of a data: URL (what FileReader.readAsDataURL gives). */
export const base64OfDataUrl = (url: string): string => url.slice(url.indexOf(',') + 1);
