/**
 * The local address book (SQLite): contacts with their numbers and SIP addresses, listed with
 * favourites first then by name, searched over folded name, company, e-mail and every digit form of
 * their numbers, and looked up by number for caller identification and import merging (indexed).
 * Writes are not transactional by themselves: run them inside `atomically` (one save, one import).
 */
import type { Contact, ContactPage } from '../contract/directory.js';
import { transaction, type Database } from './database.js';
import { fold, sortKey } from './contact-text.js';
import { isTelephoneNumber, addressOf, numberKeys, searchDigits, type NumberKeys } from './contact-numbers.js';

/** A contact without its id: what is saved, imported and merged. */
export type ContactFields = Omit<Contact, 'id'>;
export interface ContactMatch { id: number; name: string }
export interface ContactQuery { query: string; offset: number; limit: number }

interface ContactRow { id: number; name: string; company: string; email: string; notes: string; favourite: number }
interface NumberRow { contact_id: number; label: string; value: string }

const columns = 'id, name, company, email, notes, favourite';
const inOrder = 'ORDER BY favourite DESC, sort_key, id';
/** A query made only of what people write numbers with is a digit search (`06 12`, `+33 6`). */
const digitQuery = /^[+\d\s().\-/]+$/;
const maxWords = 8;

export class ContactsStore {
  private readonly sql;
  private readonly searches = new Map<string, ReturnType<Database['prepare']>>();

  constructor(private readonly db: Database) {
    const matchBy = (column: string) => db.prepare(`SELECT c.id, c.name FROM contact_numbers n JOIN contacts c ON c.id = n.contact_id
      WHERE n.${column} = ? ORDER BY c.favourite DESC, c.id LIMIT 1`);
    this.sql = {
      insert: db.prepare(`INSERT INTO contacts (name, company, email, notes, favourite, sort_key, search_text, search_digits)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      update: db.prepare(`UPDATE contacts SET name = ?, company = ?, email = ?, notes = ?, favourite = ?, sort_key = ?,
        search_text = ?, search_digits = ? WHERE id = ?`),
      insertNumber: db.prepare(`INSERT INTO contact_numbers (contact_id, position, label, value, digits, e164, national, sip)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      deleteNumbers: db.prepare('DELETE FROM contact_numbers WHERE contact_id = ?'),
      get: db.prepare(`SELECT ${columns} FROM contacts WHERE id = ?`),
      keysOf: db.prepare('SELECT digits, e164, national, sip FROM contact_numbers WHERE contact_id = ? ORDER BY position'),
      numbersOf: db.prepare('SELECT contact_id, label, value FROM contact_numbers WHERE contact_id IN (SELECT value FROM json_each(?)) ORDER BY contact_id, position'),
      allNumbers: db.prepare('SELECT contact_id, label, value FROM contact_numbers ORDER BY contact_id, position'),
      all: db.prepare(`SELECT ${columns} FROM contacts ${inOrder}`),
      remove: db.prepare('DELETE FROM contacts WHERE id = ?'),
      count: db.prepare('SELECT COUNT(*) AS n FROM contacts'),
      anyNumber: db.prepare('SELECT 1 AS one FROM contact_numbers LIMIT 1'),
      byE164: matchBy('e164'),
      byDigits: matchBy('digits'),
      byNational: matchBy('national'),
      bySip: matchBy('sip'),
    };
  }

  /** Runs `work` in one transaction: all of it is stored or none. */
  atomically<T>(work: () => T): T {
    return transaction(this.db, work);
  }

  /**
   * Inside `atomically`. `country` resolves national numbers (the account's default country);
   * `keys`, when the caller has them already, are the numbers' keys in order.
   */
  insert(fields: ContactFields, country: string | undefined, keys = fields.numbers.map((n) => numberKeys(n.value, country))): number {
    const r = this.sql.insert.run(...this.contactColumns(fields, keys));
    const id = Number(r.lastInsertRowid);
    this.insertNumbers(id, fields, keys);
    return id;
  }

  /** Inside `atomically`. False when there is no such contact. */
  replace(id: number, fields: ContactFields, country: string | undefined): boolean {
    const keys = fields.numbers.map((n) => numberKeys(n.value, country));
    if (Number(this.sql.update.run(...this.contactColumns(fields, keys), id).changes) === 0) return false;
    this.sql.deleteNumbers.run(id);
    this.insertNumbers(id, fields, keys);
    return true;
  }

  remove(id: number): boolean {
    return Number(this.sql.remove.run(id).changes) > 0;
  }

  get(id: number): Contact | undefined {
    const row = this.sql.get.get(id) as ContactRow | undefined;
    return row ? this.withNumbers([row])[0] : undefined;
  }

  /** The stored keys of a contact's numbers, in order (as `numberKeys` made them when saved). */
  keysOf(id: number): NumberKeys[] {
    return this.sql.keysOf.all(id) as unknown as NumberKeys[];
  }

  count(): number {
    return (this.sql.count.get() as { n: number }).n;
  }

  /** Every contact, in list order (the export). */
  all(): Contact[] {
    const numbers = groupNumbers(this.sql.allNumbers.all() as unknown as NumberRow[]);
    return (this.sql.all.all() as unknown as ContactRow[]).map((r) => toContact(r, numbers.get(r.id) ?? []));
  }

  /**
   * Favourites first, then by name. A query of digits and separators matches any digit form of a
   * number (`0612` finds `+33 6 12 …`); otherwise every word must appear in the folded name,
   * company, e-mail or SIP addresses (a word of digits may also match a number).
   */
  search(q: ContactQuery): ContactPage {
    const { where, args } = searchCondition(q.query);
    if (!where) {
      const rows = this.prepared(`SELECT ${columns} FROM contacts ${inOrder} LIMIT ? OFFSET ?`).all(q.limit, q.offset) as unknown as ContactRow[];
      return { contacts: this.withNumbers(rows), total: this.count() };
    }
    // One scan: the matches' order keys are kept, counted, and the page is taken from them.
    const rows = this.prepared(`WITH m AS MATERIALIZED (SELECT id, favourite, sort_key FROM contacts ${where})
      SELECT (SELECT COUNT(*) FROM m) AS total, c.id, c.name, c.company, c.email, c.notes, c.favourite
      FROM (SELECT id FROM m ORDER BY favourite DESC, sort_key, id LIMIT ? OFFSET ?) AS p JOIN contacts c ON c.id = p.id
      ORDER BY c.favourite DESC, c.sort_key, c.id`).all(...args, q.limit, q.offset) as unknown as Array<ContactRow & { total: number }>;
    // An empty page at offset 0 means no match; past the end, count again.
    const total = rows[0]?.total ?? (q.offset === 0 ? 0 : (this.prepared(`SELECT COUNT(*) AS n FROM contacts ${where}`).get(...args) as { n: number }).n);
    return { contacts: this.withNumbers(rows), total };
  }

  /**
   * The contact a number or SIP URI belongs to: equal E.164 when it parses, else equal digits (as
   * written or in national form), else the same SIP address. Indexed lookups only.
   */
  identify(uriOrNumber: string, country: string | undefined): ContactMatch | undefined {
    // No stored number, no match: the number is not parsed (libphonenumber-js stays unloaded in a
    // phone without contacts, e.g. the CLI: private memory of a call, issue 10).
    if (this.sql.anyNumber.get() === undefined) return undefined;
    return this.matchKeys(numberKeys(uriOrNumber, country));
  }

  /** The first contact that has one of these numbers (import merging). */
  findByNumbers(keys: NumberKeys[]): ContactMatch | undefined {
    for (const k of keys) {
      const hit = this.matchKeys(k);
      if (hit) return hit;
    }
    return undefined;
  }

  private matchKeys(k: NumberKeys): ContactMatch | undefined {
    const get = (stmt: ReturnType<Database['prepare']>, value: string) => stmt.get(value) as ContactMatch | undefined;
    let hit: ContactMatch | undefined;
    if (k.e164) {
      // A number stored before its country was known has no E.164: its digits are the national form.
      hit = get(this.sql.byE164, k.e164) ?? (k.national ? get(this.sql.byDigits, k.national) : undefined);
    } else if (k.digits) {
      // Digits as written, against those stored and against stored numbers' national forms.
      hit = get(this.sql.byDigits, k.digits) ?? get(this.sql.byNational, k.digits);
    }
    if (!hit && k.sip) hit = get(this.sql.bySip, k.sip);
    return hit ? { id: hit.id, name: hit.name } : undefined;
  }

  private contactColumns(f: ContactFields, keys: NumberKeys[]): Array<string | number> {
    const addresses = f.numbers.filter((n) => !isTelephoneNumber(addressOf(n.value).user)).map((n) => fold(n.value));
    const searchText = [fold(f.name), fold(f.company), fold(f.email), ...addresses].join('\n');
    const digits = [...new Set(keys.flatMap(searchDigits))].join(' ');
    return [f.name, f.company, f.email, f.notes, f.favourite ? 1 : 0, sortKey(f.name), searchText, digits];
  }

  private insertNumbers(id: number, f: ContactFields, keys: NumberKeys[]): void {
    f.numbers.forEach((n, i) => {
      const k = keys[i]!;
      this.sql.insertNumber.run(id, i, n.label, n.value, k.digits, k.e164, k.national, k.sip);
    });
  }

  private withNumbers(rows: ContactRow[]): Contact[] {
    if (rows.length === 0) return [];
    const numbers = groupNumbers(this.sql.numbersOf.all(JSON.stringify(rows.map((r) => r.id))) as unknown as NumberRow[]);
    return rows.map((r) => toContact(r, numbers.get(r.id) ?? []));
  }

  private prepared(sql: string): ReturnType<Database['prepare']> {
    let stmt = this.searches.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.searches.set(sql, stmt);
    }
    return stmt;
  }
}

function searchCondition(query: string): { where: string; args: string[] } {
  const text = query.trim();
  if (!text) return { where: '', args: [] };
  if (digitQuery.test(text) && /\d/.test(text)) {
    return { where: 'WHERE (instr(search_digits, ?) > 0 OR instr(search_text, ?) > 0)', args: [text.replace(/\D/g, ''), fold(text)] };
  }
  const words = [...new Set(fold(text).split(' '))].filter(Boolean).slice(0, maxWords);
  if (words.length === 0) return { where: '', args: [] };
  const conditions: string[] = [];
  const args: string[] = [];
  for (const w of words) {
    if (/^\d+$/.test(w)) {
      conditions.push('(instr(search_text, ?) > 0 OR instr(search_digits, ?) > 0)');
      args.push(w, w);
    } else {
      conditions.push('instr(search_text, ?) > 0');
      args.push(w);
    }
  }
  return { where: `WHERE ${conditions.join(' AND ')}`, args };
}

function groupNumbers(rows: NumberRow[]): Map<number, Contact['numbers']> {
  const byContact = new Map<number, Contact['numbers']>();
  for (const r of rows) {
    let list = byContact.get(r.contact_id);
    if (!list) byContact.set(r.contact_id, (list = []));
    list.push({ label: r.label, value: r.value });
  }
  return byContact;
}

function toContact(r: ContactRow, numbers: Contact['numbers']): Contact {
  return { id: r.id, name: r.name, company: r.company, numbers, email: r.email, notes: r.notes, favourite: r.favourite === 1 };
}
