/**
 * The app's one SQLite database (node:sqlite): WAL mode, schema migrations recorded in a version
 * table. Each migration runs in a transaction; a database newer than this build is refused.
 */
import { DatabaseSync } from 'node:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** Schema steps, in order; index + 1 is the version a step produces. Never edit a released step. */
const migrations: string[] = [
  `CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE accounts (key TEXT PRIMARY KEY, position INTEGER NOT NULL, value TEXT NOT NULL);
   CREATE TABLE secrets (key TEXT PRIMARY KEY, value BLOB NOT NULL);`,
  `CREATE TABLE history (
     id INTEGER PRIMARY KEY AUTOINCREMENT, call_id TEXT NOT NULL, account TEXT,
     peer_uri TEXT NOT NULL, peer_name TEXT, peer_digits TEXT NOT NULL, contact_id INTEGER, contact_name TEXT,
     direction TEXT NOT NULL, started_at INTEGER NOT NULL, answered_at INTEGER, ended_at INTEGER NOT NULL,
     outcome TEXT NOT NULL, status INTEGER, seen INTEGER NOT NULL DEFAULT 0);
   CREATE INDEX history_by_time ON history (started_at DESC, id DESC);
   CREATE INDEX history_unseen ON history (outcome, seen);`,
  // The address book (store/contacts-store.ts): folded search columns, a sort key, and per number
  // the keys caller identification and merging look up (contact-numbers.ts).
  // The search columns come first: a scan reads them without walking past long notes.
  `CREATE TABLE contacts (
     id INTEGER PRIMARY KEY AUTOINCREMENT, favourite INTEGER NOT NULL DEFAULT 0, sort_key TEXT NOT NULL,
     search_text TEXT NOT NULL, search_digits TEXT NOT NULL,
     name TEXT NOT NULL, company TEXT NOT NULL, email TEXT NOT NULL, notes TEXT NOT NULL);
   CREATE INDEX contacts_in_order ON contacts (favourite DESC, sort_key, id);
   CREATE TABLE contact_numbers (
     contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE, position INTEGER NOT NULL,
     label TEXT NOT NULL, value TEXT NOT NULL, digits TEXT NOT NULL, e164 TEXT, national TEXT, sip TEXT,
     PRIMARY KEY (contact_id, position)) WITHOUT ROWID;
   CREATE INDEX contact_numbers_by_e164 ON contact_numbers (e164);
   CREATE INDEX contact_numbers_by_digits ON contact_numbers (digits);
   CREATE INDEX contact_numbers_by_national ON contact_numbers (national);
   CREATE INDEX contact_numbers_by_sip ON contact_numbers (sip);`,
  // Instant messages (issue 11, store/message-store.ts): per conversation (peer) newest first.
  `CREATE TABLE messages (
     id INTEGER PRIMARY KEY AUTOINCREMENT, account TEXT, peer_uri TEXT NOT NULL, peer_name TEXT,
     direction TEXT NOT NULL, body TEXT NOT NULL, at INTEGER NOT NULL, status TEXT NOT NULL, code INTEGER,
     read INTEGER NOT NULL DEFAULT 0);
   CREATE INDEX messages_by_peer ON messages (peer_uri, id DESC);
   CREATE INDEX messages_unread ON messages (read, peer_uri);`,
];

export type Database = DatabaseSync;

/** Opens (creating if needed) and migrates; `path` ':memory:' for a throwaway database. */
export function openDatabase(path: string): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = new DatabaseSync(path);
  // 16 MiB page cache: a 100k-contact search scans its folded text from memory (docs/decisions.md, Contacts).
  db.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 2000; PRAGMA cache_size = -16384;');
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
  const current = row?.version ?? 0;
  if (current > migrations.length) {
    db.close();
    throw new Error(`the database at ${path} is from a newer version (schema ${current})`);
  }
  for (let v = current; v < migrations.length; v++) {
    transaction(db, () => {
      db.exec(migrations[v]!);
      db.exec('DELETE FROM schema_version');
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(v + 1);
    });
  }
  return db;
}

export function schemaVersion(db: Database): number {
  return (db.prepare('SELECT version FROM schema_version').get() as { version: number }).version;
}

/** Runs `work` atomically: all of it is stored or none. */
export function transaction<T>(db: Database, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (e) {
    db.exec('ROLLBACK');
    throw e;
  }
}
