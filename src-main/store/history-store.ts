/** Call history rows: one per ended call, newest first, filtered and searched with indexes, paged by key. */
import type { HistoryRecord } from '../contract/calls.js';
import type { HistoryEntry, HistoryPage } from '../contract/directory.js';
import type { Database } from './database.js';

export interface HistoryListQuery {
  filter: 'all' | 'missed' | 'incoming' | 'outgoing';
  search: string;
  before?: { startedAt: number; id: number } | undefined;
  limit: number;
}

interface Row {
  id: number; call_id: string; account: string | null; peer_uri: string; peer_name: string | null;
  contact_id: number | null; contact_name: string | null; direction: string; started_at: number;
  answered_at: number | null; ended_at: number; outcome: string; status: number | null;
}

/** The digits of a URI's user part or a number (what a digit search matches). */
export function digitsOf(uriOrNumber: string): string {
  const user = uriOrNumber.replace(/^(sips?|tel):/i, '').replace(/@.*$/, '');
  return user.replace(/\D/g, '');
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export class HistoryStore {
  constructor(private readonly db: Database) {}

  add(record: HistoryRecord, contact: { id: number; name: string } | undefined): HistoryEntry {
    const r = this.db.prepare(`INSERT INTO history (call_id, account, peer_uri, peer_name, peer_digits, contact_id, contact_name,
      direction, started_at, answered_at, ended_at, outcome, status, seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      record.callId, record.account ?? null, record.peer.uri, record.peer.displayName ?? null, digitsOf(record.peer.uri),
      contact?.id ?? null, contact?.name ?? null, record.direction, record.startedAt, record.answeredAt ?? null, record.endedAt,
      record.outcome, record.status ?? null, record.outcome === 'missed' ? 0 : 1);
    return this.get(Number(r.lastInsertRowid))!;
  }

  get(id: number): HistoryEntry | undefined {
    const row = this.db.prepare('SELECT * FROM history WHERE id = ?').get(id) as Row | undefined;
    return row ? toEntry(row) : undefined;
  }

  list(q: HistoryListQuery): HistoryPage {
    const where: string[] = [];
    const args: Array<string | number> = [];
    if (q.filter === 'missed') where.push("outcome = 'missed'");
    if (q.filter === 'incoming' || q.filter === 'outgoing') {
      where.push('direction = ?');
      args.push(q.filter);
    }
    const text = q.search.trim();
    if (text) {
      const like = `%${likeEscape(text)}%`;
      const digits = text.replace(/\D/g, '');
      where.push(`(peer_name LIKE ? ESCAPE '\\' OR contact_name LIKE ? ESCAPE '\\' OR peer_uri LIKE ? ESCAPE '\\'${digits ? " OR peer_digits LIKE ? ESCAPE '\\'" : ''})`);
      args.push(like, like, like, ...(digits ? [`%${digits}%`] : []));
    }
    const filtered = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM history ${filtered}`).get(...args) as { n: number }).n;
    const page = [...where];
    const pageArgs = [...args];
    if (q.before) {
      page.push('(started_at < ? OR (started_at = ? AND id < ?))');
      pageArgs.push(q.before.startedAt, q.before.startedAt, q.before.id);
    }
    const rows = this.db.prepare(`SELECT * FROM history ${page.length ? `WHERE ${page.join(' AND ')}` : ''}
      ORDER BY started_at DESC, id DESC LIMIT ?`).all(...pageArgs, q.limit + 1) as unknown as Row[];
    const entries = rows.slice(0, q.limit).map(toEntry);
    const last = entries.at(-1);
    return { entries, total, next: rows.length > q.limit && last ? { startedAt: last.startedAt, id: last.id } : undefined };
  }

  remove(id: number): boolean {
    return Number(this.db.prepare('DELETE FROM history WHERE id = ?').run(id).changes) > 0;
  }

  clear(): void {
    this.db.exec('DELETE FROM history');
  }

  /** Missed calls not yet seen: the badge. */
  unseenMissed(): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM history WHERE outcome = 'missed' AND seen = 0").get() as { n: number }).n;
  }

  markSeen(): void {
    this.db.exec("UPDATE history SET seen = 1 WHERE outcome = 'missed' AND seen = 0");
  }
}

function toEntry(r: Row): HistoryEntry {
  return {
    id: r.id, callId: r.call_id, account: r.account ?? undefined,
    peer: { uri: r.peer_uri, displayName: r.peer_name ?? undefined },
    contact: r.contact_id !== null && r.contact_name !== null ? { id: r.contact_id, name: r.contact_name } : undefined,
    direction: r.direction as HistoryEntry['direction'],
    startedAt: r.started_at, answeredAt: r.answered_at ?? undefined, endedAt: r.ended_at,
    durationS: r.answered_at !== null ? Math.max(0, Math.round((r.ended_at - r.answered_at) / 1000)) : 0,
    outcome: r.outcome as HistoryEntry['outcome'], status: r.status ?? undefined,
  };
}
