/**
 * The local address book as the core's `ContactDirectory`: the contact store (SQLite) with
 * validation, vCard/CSV import and vCard export, and caller identification.
 */
import type { Result } from '../contract/calls.js';
import { contactInputSchema, contactSearchSchema, type Contact } from '../contract/directory.js';
import type { Database } from '../store/database.js';
import { isDialable } from '../store/contact-numbers.js';
import { ContactsStore } from '../store/contacts-store.js';
import type { ReadCache } from './contact-import.js';
import type { ContactDirectory } from './directory-service.js';

export interface ContactDirectoryOptions {
  /** The country national numbers are read in when contacts are saved or imported (the default account's). */
  defaultCountry?: () => string | undefined;
}

export function createContactDirectory(db: Database, options: ContactDirectoryOptions = {}): ContactDirectory {
  const store = new ContactsStore(db);
  const country = () => options.defaultCountry?.();
  // vCard/CSV reading and writing (ical.js, papaparse) load at the first import or export, not
  // with every phone (private memory of a call, issue 10).
  const files = () => Promise.all([import('./contact-import.js'), import('./contact-files/vcard-write.js')]);
  let lastRead: ReadCache | undefined;
  return {
    search(query) {
      const q = contactSearchSchema.safeParse(query);
      return q.success ? store.search(q.data) : { contacts: [], total: 0 };
    },
    get: (id) => store.get(id),
    save(input): Result<Contact> {
      const parsed = contactInputSchema.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        return { ok: false, error: `${issue.path.join('.') || 'contact'}: ${issue.message}` };
      }
      const { id, ...fields } = parsed.data;
      const bad = fields.numbers.findIndex((n) => !isDialable(n.value));
      if (bad >= 0) return { ok: false, error: `numbers.${bad}.value: not a phone number or SIP address` };
      const saved = store.atomically(() => (id === undefined ? store.insert(fields, country()) : store.replace(id, fields, country()) ? id : undefined));
      return saved === undefined ? { ok: false, error: 'id: no such contact' } : { ok: true, value: store.get(saved)! };
    },
    remove: (id) => store.remove(id),
    import: async (request, onProgress) => {
      const [{ importContacts, ReadCache }] = await files();
      lastRead ??= new ReadCache();
      return importContacts(request, { store, country: country(), onProgress, cache: lastRead });
    },
    exportVCard: async () => (await files())[1].contactsToVCard(store.all()),
    identify: (uriOrNumber, defaultCountry) => store.identify(uriOrNumber, defaultCountry),
  };
}
