/** The local address book (SQLite). Placeholder until the contact store lands: nothing matches. */
import type { Database } from '../store/database.js';
import type { ContactDirectory } from './directory-service.js';

const unavailable = { ok: false as const, error: 'contacts: not available in this build yet' };

export function createContactDirectory(_db: Database): ContactDirectory {
  return {
    search: () => ({ contacts: [], total: 0 }),
    get: () => undefined,
    save: () => unavailable,
    remove: () => false,
    import: async () => unavailable,
    exportVCard: () => '',
    identify: () => undefined,
  };
}
