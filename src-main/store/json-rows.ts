/** App settings and accounts as rows of JSON, validated on the way out (a hand-edited row never crashes). */
import type { z } from 'zod';
import type { Database } from './database.js';
import { transaction } from './database.js';

export class JsonRows<T> {
  constructor(private readonly db: Database, private readonly table: 'settings' | 'accounts', private readonly schema: z.ZodType<T>) {}

  /** Rows that no longer validate are skipped and reported through `onInvalid`. */
  all(onInvalid?: (key: string, error: string) => void): Array<{ key: string; value: T }> {
    const order = this.table === 'accounts' ? 'position' : 'key';
    const rows = this.db.prepare(`SELECT key, value FROM ${this.table} ORDER BY ${order}`).all() as Array<{ key: string; value: string }>;
    const out: Array<{ key: string; value: T }> = [];
    for (const row of rows) {
      const parsed = this.schema.safeParse(safeJson(row.value));
      if (parsed.success) out.push({ key: row.key, value: parsed.data });
      else onInvalid?.(row.key, parsed.error.issues[0]?.message ?? 'invalid');
    }
    return out;
  }

  get(key: string): T | undefined {
    const row = this.db.prepare(`SELECT value FROM ${this.table} WHERE key = ?`).get(key) as { value: string } | undefined;
    if (!row) return undefined;
    const parsed = this.schema.safeParse(safeJson(row.value));
    return parsed.success ? parsed.data : undefined;
  }

  put(key: string, value: T): void {
    const text = JSON.stringify(value);
    if (this.table === 'accounts') {
      transaction(this.db, () => {
        const exists = this.db.prepare('SELECT 1 FROM accounts WHERE key = ?').get(key);
        if (exists) this.db.prepare('UPDATE accounts SET value = ? WHERE key = ?').run(text, key);
        else this.db.prepare('INSERT INTO accounts (key, position, value) VALUES (?, (SELECT COALESCE(MAX(position), 0) + 1 FROM accounts), ?)').run(key, text);
      });
    } else {
      this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, text);
    }
  }

  delete(key: string): void {
    this.db.prepare(`DELETE FROM ${this.table} WHERE key = ?`).run(key);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
