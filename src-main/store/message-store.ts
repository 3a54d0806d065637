/** Instant messages (issue 11): one row per message, listed per conversation newest first, searchable, with unread counts. */
import type { ChatMessage, Conversation, MessagePage, MessageStatus } from '../contract/presence.js';
import type { Database } from './database.js';

interface Row {
  id: number; account: string | null; peer_uri: string; peer_name: string | null; direction: string; body: string;
  at: number; status: string; code: number | null; read: number;
}

/** A message before it has a row: no id yet, no final status code, read by the store's rule. */
export type NewMessage = Omit<ChatMessage, 'id' | 'code' | 'read'>;

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export class MessageStore {
  constructor(private readonly db: Database) {}

  add(m: NewMessage): ChatMessage {
    const r = this.db.prepare(`INSERT INTO messages (account, peer_uri, peer_name, direction, body, at, status, read)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(m.account ?? null, m.peer, m.peerName ?? null, m.direction, m.text, m.at, m.status,
      m.direction === 'out' ? 1 : 0);
    return this.get(Number(r.lastInsertRowid))!;
  }

  get(id: number): ChatMessage | undefined {
    const row = this.db.prepare('SELECT * FROM messages WHERE id = ?').get(id) as Row | undefined;
    return row ? toMessage(row) : undefined;
  }

  setStatus(id: number, status: MessageStatus, code: number): ChatMessage | undefined {
    this.db.prepare('UPDATE messages SET status = ?, code = ? WHERE id = ?').run(status, code, id);
    return this.get(id);
  }

  list(q: { peer?: string | undefined; search: string; before?: number | undefined; limit: number }): MessagePage {
    const where: string[] = [];
    const args: Array<string | number> = [];
    if (q.peer !== undefined) {
      where.push('peer_uri = ?');
      args.push(q.peer);
    }
    if (q.before !== undefined) {
      where.push('id < ?');
      args.push(q.before);
    }
    const text = q.search.trim();
    if (text) {
      const like = `%${likeEscape(text)}%`;
      where.push("(body LIKE ? ESCAPE '\\' OR peer_uri LIKE ? ESCAPE '\\' OR peer_name LIKE ? ESCAPE '\\')");
      args.push(like, like, like);
    }
    const sql = `SELECT * FROM messages ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...args, q.limit + 1) as unknown as Row[];
    const page = rows.slice(0, q.limit).map(toMessage);
    return { messages: page, next: rows.length > q.limit ? page.at(-1)!.id : undefined };
  }

  conversations(): Conversation[] {
    const rows = this.db.prepare(`SELECT m.*, (SELECT COUNT(*) FROM messages u WHERE u.peer_uri = m.peer_uri AND u.read = 0) AS unread
      FROM messages m WHERE m.id = (SELECT MAX(id) FROM messages x WHERE x.peer_uri = m.peer_uri) ORDER BY m.id DESC LIMIT 500`)
      .all() as unknown as Array<Row & { unread: number }>;
    return rows.map((r) => ({ peer: r.peer_uri, peerName: r.peer_name ?? undefined, last: toMessage(r), unread: r.unread }));
  }

  markRead(peer: string): void {
    this.db.prepare('UPDATE messages SET read = 1 WHERE peer_uri = ? AND read = 0').run(peer);
  }

  unread(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM messages WHERE read = 0').get() as { n: number }).n;
  }
}

function toMessage(r: Row): ChatMessage {
  return {
    id: r.id, account: r.account ?? undefined, peer: r.peer_uri, peerName: r.peer_name ?? undefined,
    direction: r.direction === 'in' ? 'in' : 'out', text: r.body, at: r.at, status: r.status as MessageStatus,
    code: r.code ?? undefined, read: r.read === 1,
  };
}
