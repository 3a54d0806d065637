/**
 * The message-summary body (RFC 3842 §5, application/simple-message-summary): whether messages
 * are waiting, for which account, and new/old (urgent) counts per message class.
 */
export const messageSummaryType = 'application/simple-message-summary';

export interface MessageCounts {
  new: number;
  old: number;
  urgentNew: number;
  urgentOld: number;
}

export interface MessageSummary {
  waiting: boolean;
  account: string | undefined;
  /** Counts per message class (voice-message, fax-message, …), lower-cased. */
  classes: Map<string, MessageCounts>;
}

/** §5.2: the bodies are small; anything bigger is not a summary. */
const maxBytes = 8192;

export function parseMessageSummary(body: Buffer | string): { ok: true; summary: MessageSummary } | { ok: false; reason: string } {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (Buffer.byteLength(text) > maxBytes) return { ok: false, reason: `message-summary body over ${maxBytes} bytes` };
  let waiting: boolean | undefined;
  let account: string | undefined;
  const classes = new Map<string, MessageCounts>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'messages-waiting') {
      // §5.2: "Messages-Waiting" ":" ("yes" / "no") — the one mandatory line.
      if (!/^(yes|no)$/i.test(value)) return { ok: false, reason: `Messages-Waiting: ${value.slice(0, 20)}` };
      waiting = value.toLowerCase() === 'yes';
    } else if (name === 'message-account') {
      account = value.slice(0, 512);
    } else if (/^[a-z]+-message$/.test(name) && classes.size < 16) {
      // §5.2 msg-summary-line: new "/" old [ "(" new-urgent "/" old-urgent ")" ]
      const m = /^(\d{1,9})\s*\/\s*(\d{1,9})(?:\s*\(\s*(\d{1,9})\s*\/\s*(\d{1,9})\s*\))?/.exec(value);
      if (m) classes.set(name, { new: Number(m[1]), old: Number(m[2]), urgentNew: Number(m[3] ?? 0), urgentOld: Number(m[4] ?? 0) });
    }
  }
  if (waiting === undefined) return { ok: false, reason: 'no Messages-Waiting line' };
  return { ok: true, summary: { waiting, account, classes } };
}

/** New and old voice messages (the indicator's count); other classes when there is no voice line. */
export function voiceCounts(s: MessageSummary): { new: number; old: number } {
  const voice = s.classes.get('voice-message');
  if (voice) return { new: voice.new, old: voice.old };
  let n = 0;
  let o = 0;
  for (const c of s.classes.values()) {
    n += c.new;
    o += c.old;
  }
  return { new: n, old: o };
}
