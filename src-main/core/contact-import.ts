/**
 * A contact import: decode the file, read its entries (vCard or CSV), check each one (skipped rows
 * keep their reason), then store everything in one transaction — a contact sharing a number with an
 * existing one is merged into it, so nothing already in the address book is lost. A dry run does
 * the same work and rolls it back (the counts are real). Reading yields to the event loop every
 * few milliseconds and reports progress every few hundred rows; storing is one synchronous
 * transaction (docs/decisions.md, "Contacts"). What a dry run read is kept for a short while
 * (`ReadCache`): the import of the same file that follows it only stores.
 */
import { createHash } from 'node:crypto';
import type { Result } from '../contract/calls.js';
import { contactImportSchema, type ContactImport, type ContactImportReport } from '../contract/directory.js';
import { mergeContact } from '../store/contact-merge.js';
import type { NumberKeys } from '../store/contact-numbers.js';
import type { ContactFields, ContactsStore } from '../store/contacts-store.js';
import { decodeText } from './contact-files/decode-text.js';
import { checkContact, type RawContact } from './contact-files/imported-contact.js';
import { importLimits } from './contact-files/limits.js';
import { csvContact, readCsvTable } from './contact-files/csv-read.js';
import { readVCard, splitVCards } from './contact-files/vcard-read.js';

export interface ImportDeps {
  store: ContactsStore;
  /** Resolves national numbers (the default account's country). */
  country: string | undefined;
  onProgress(done: number, total: number): void;
  /** Keeps the last dry run's reading for the import that follows it (one per directory). */
  cache?: ReadCache;
}

/** What reading a file gave: the checked contacts and the skipped rows. */
interface ReadResult {
  ready: Ready[];
  skipped: ContactImportReport['skipped'];
  columns: ContactImportReport['columns'];
  encoding: ContactImportReport['encoding'];
}

/** How long a dry run's reading is kept for the import [ms]. */
const keepReadMs = 5 * 60_000;

/**
 * The last dry run's reading, keyed by a hash of what determines it (file, format, mapping,
 * country). Reading does not depend on the stored contacts, so the import of the same file reuses
 * it; it is dropped when used, replaced, or after `keepReadMs`.
 */
export class ReadCache {
  private entry: { key: string; read: ReadResult; timer: ReturnType<typeof setTimeout> } | undefined;

  take(key: string): ReadResult | undefined {
    const hit = this.entry?.key === key ? this.entry.read : undefined;
    this.clear();
    return hit;
  }

  keep(key: string, read: ReadResult): void {
    this.clear();
    const timer = setTimeout(() => this.clear(), keepReadMs);
    timer.unref?.();
    this.entry = { key, read, timer };
  }

  clear(): void {
    if (this.entry) clearTimeout(this.entry.timer);
    this.entry = undefined;
  }
}

/** An entry to read, or the reason it cannot be. */
type Entry = { row: number; read: () => RawContact } | { row: number; reason: string };

/** A checked contact and its numbers' keys. */
interface Ready { contact: ContactFields; keys: NumberKeys[] }

class DryRun extends Error {}

export async function importContacts(request: ContactImport, deps: ImportDeps): Promise<Result<ContactImportReport>> {
  const parsed = contactImportSchema.safeParse(request);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: `${issue.path.join('.') || 'import'}: ${issue.message}` };
  }
  const { format, data, mapping, dryRun } = parsed.data;
  const key = createHash('sha256').update(JSON.stringify([format, mapping ?? null, deps.country ?? null])).update(data).digest('hex');
  const cached = deps.cache?.take(key);
  const read: Result<ReadResult> = cached ? { ok: true, value: cached } : await readEntries(format, data, mapping, deps);
  if (!read.ok) return read;
  const { ready, skipped, columns, encoding } = read.value;
  if (cached) deps.onProgress(ready.length + skipped.length, ready.length + skipped.length);

  let counts = { imported: 0, merged: 0 };
  try {
    deps.store.atomically(() => {
      counts = storeAll(deps.store, ready, deps.country);
      if (dryRun) throw new DryRun();
    });
  } catch (e) {
    if (!(e instanceof DryRun)) return { ok: false, error: `import failed, no contact was changed: ${(e as Error).message}` };
  }
  if (dryRun) deps.cache?.keep(key, read.value);
  return { ok: true, value: { ...counts, skipped, columns, encoding } };
}

/** Decodes and reads every entry of a file, yielding to the event loop as it goes. */
async function readEntries(format: ContactImport['format'], data: string, mapping: ContactImport['mapping'], deps: ImportDeps): Promise<Result<ReadResult>> {
  const bytes = Buffer.from(data, 'base64');
  if (bytes.length > importLimits.maxBytes) return { ok: false, error: `data: larger than ${importLimits.maxBytes / 1024 / 1024} MiB` };
  const decoded = decodeText(bytes);
  if (!decoded.ok) return decoded;
  const { text, encoding } = decoded.value;

  let entries: Entry[];
  let columns: ContactImportReport['columns'];
  if (format === 'vcard') {
    const cards = splitVCards(text);
    if (!cards) return { ok: false, error: `data: more than ${importLimits.maxRows} vCards` };
    entries = cards.map((c) => ('text' in c ? { row: c.row, read: () => readVCard(c.text) } : c));
    columns = undefined;
  } else {
    const table = readCsvTable(text, mapping);
    if (!table.ok) return table;
    const cols = table.value.columns;
    entries = table.value.rows.map((r) => (r.problem ? { row: r.row, reason: r.problem } : { row: r.row, read: () => csvContact(r.cells, cols) }));
    columns = cols.map((c) => ({ header: c.header, field: c.field }));
  }

  const ready: Ready[] = [];
  const skipped: ContactImportReport['skipped'] = [];
  let ranSince = performance.now();
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if ('reason' in entry) skipped.push({ row: entry.row, reason: entry.reason });
    else {
      try {
        const checked = checkContact(entry.read(), deps.country);
        if (checked.ok) ready.push({ contact: checked.contact, keys: checked.keys });
        else skipped.push({ row: entry.row, reason: checked.reason });
      } catch (e) {
        skipped.push({ row: entry.row, reason: `unreadable: ${(e as Error).message}`.slice(0, 200) });
      }
    }
    if ((i + 1) % importLimits.progressEvery === 0) deps.onProgress(i + 1, entries.length);
    // Entries can be slow to parse (hostile ones up to ~20 ms): let calls and IPC run between them.
    if (performance.now() - ranSince > importLimits.yieldAfterMs) {
      await new Promise((resolve) => setImmediate(resolve));
      ranSince = performance.now();
    }
  }
  deps.onProgress(entries.length, entries.length);
  return { ok: true, value: { ready, skipped, columns, encoding } };
}

/** Inside the transaction: each contact is merged into the first one sharing a number, or added. */
function storeAll(store: ContactsStore, contacts: Ready[], country: string | undefined): { imported: number; merged: number } {
  let imported = 0;
  let merged = 0;
  for (const { contact, keys } of contacts) {
    const match = store.findByNumbers(keys);
    if (!match) {
      store.insert(contact, country, keys);
      imported++;
      continue;
    }
    const fields = mergeContact(store.get(match.id)!, store.keysOf(match.id), contact, keys);
    if (fields) store.replace(match.id, fields, country);
    merged++;
  }
  return { imported, merged };
}
