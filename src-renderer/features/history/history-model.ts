/**
 * How call history reads on screen, without the DOM: who (contact, display name or number), what
 * happened (outcome), day headings ("Today", "Yesterday", weekday, date) and durations in the UI
 * language with Intl, and whether a live entry belongs to the list being shown.
 */
import type { HistoryEntry } from '../../../src-main/contract/directory.js';
import { uriUser } from '../calls/call-view.js';

export type HistoryFilter = 'all' | 'missed' | 'incoming' | 'outgoing';
export const historyFilters: readonly HistoryFilter[] = ['all', 'missed', 'incoming', 'outgoing'];

/** The name to show (contact, else display name) and the number or address. */
export function entryParty(entry: Pick<HistoryEntry, 'peer' | 'contact'>): { name: string | undefined; number: string } {
  const number = uriUser(entry.peer.uri);
  const name = entry.contact?.name.trim() || entry.peer.displayName?.trim() || undefined;
  return { name: name && name !== number ? name : undefined, number };
}

/** What "Add to contacts" stores: the number (user part) when it is one, else the SIP address. */
export function savedNumber(uri: string): string {
  const user = uriUser(uri);
  if (/^\+?[\d\s().-]+$/.test(user) && /\d/.test(user)) return user;
  return uri.replace(/^sips?:/i, '').replace(/[;?>].*$/, '');
}

/** Catalogue key under `history.outcome`. */
export type OutcomeKey = 'missed' | 'answered' | 'rejected' | 'busy' | 'failed' | 'transferred' | 'answeredElsewhere' | 'cancelled' | 'noAnswer';

export function outcomeKey(entry: Pick<HistoryEntry, 'outcome' | 'direction'>): OutcomeKey {
  switch (entry.outcome) {
    case 'answered-elsewhere': return 'answeredElsewhere';
    // An outgoing call we cancelled before an answer: nobody picked up.
    case 'cancelled': return entry.direction === 'outgoing' ? 'noAnswer' : 'cancelled';
    default: return entry.outcome;
  }
}

/** Local calendar day of a time (the grouping key). */
export function dayKey(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Whether row `index` starts a new day (it carries the day heading). */
export function startsDay(entries: readonly Pick<HistoryEntry, 'startedAt'>[], index: number): boolean {
  if (index === 0) return true;
  const prev = entries[index - 1];
  const cur = entries[index];
  return !prev || !cur || dayKey(prev.startedAt) !== dayKey(cur.startedAt);
}

/** Intl formatters are costly to build: one per locale and options. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) { f = new Intl.DateTimeFormat(locale, options); formatters.set(key, f); }
  return f;
}

const dayStart = (ms: number): number => { const d = new Date(ms); d.setHours(0, 0, 0, 0); return d.getTime(); };

/** "Today", "Yesterday" (words from the catalogue), a weekday within the week, else a date. */
export function dayLabel(ms: number, now: number, locale: string, words: { today: string; yesterday: string }): string {
  const days = Math.round((dayStart(now) - dayStart(ms)) / 86_400_000);
  if (days === 0) return words.today;
  if (days === 1) return words.yesterday;
  const sameYear = new Date(ms).getFullYear() === new Date(now).getFullYear();
  const options: Intl.DateTimeFormatOptions = days > 1 && days < 7
    ? { weekday: 'long' }
    : { weekday: 'long', day: 'numeric', month: 'long', ...(sameYear ? {} : { year: 'numeric' }) };
  const text = dateFormat(locale, options).format(ms);
  return text.charAt(0).toLocaleUpperCase(locale) + text.slice(1);
}

export const timeOfDay = (ms: number, locale: string): string => dateFormat(locale, { hour: 'numeric', minute: '2-digit' }).format(ms);

/** A full date and time, for the row's tooltip and accessible description. */
export const fullTime = (ms: number, locale: string): string => dateFormat(locale, { dateStyle: 'full', timeStyle: 'short' }).format(ms);

const durationFormats = new Map<string, { format(d: Record<string, number>): string }>();
const unitFormats = new Map<string, Intl.NumberFormat>();

type DurationFormatCtor = new (locale: string, options: { style: 'narrow' | 'short' | 'long'; secondsDisplay?: 'always' | 'auto' }) => { format(d: Record<string, number>): string };

/** "1 min 5 s" / "1 h 2 min" in the UI language (Intl.DurationFormat where the engine has it); narrow: "1m 5s". */
export function formatDuration(seconds: number, locale: string, style: 'short' | 'narrow' = 'short'): string {
  const s = Math.max(0, Math.round(seconds));
  const parts = { hours: Math.floor(s / 3600), minutes: Math.floor((s % 3600) / 60), seconds: s % 60 };
  const shown: Record<string, number> = parts.hours > 0 ? { hours: parts.hours, minutes: parts.minutes } : parts.minutes > 0 ? { minutes: parts.minutes, seconds: parts.seconds } : { seconds: parts.seconds };
  const DurationFormat = (Intl as unknown as { DurationFormat?: DurationFormatCtor }).DurationFormat;
  if (DurationFormat) {
    const key = `${locale}|${style}|${s === 0}`;
    let f = durationFormats.get(key);
    if (!f) { f = new DurationFormat(locale, { style, ...(s === 0 ? { secondsDisplay: 'always' } : {}) }); durationFormats.set(key, f); }
    return f.format(shown);
  }
  const unit = (value: number, name: 'hour' | 'minute' | 'second') => {
    const key = `${locale}|${style}|${name}`;
    let f = unitFormats.get(key);
    if (!f) { f = new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: style }); unitFormats.set(key, f); }
    return f.format(value);
  };
  return Object.entries(shown).filter(([, v], i) => v > 0 || i === 0)
    .map(([k, v]) => unit(v, k.slice(0, -1) as 'hour' | 'minute' | 'second')).join(' ');
}

/** Whether an entry added live belongs in the list shown (the core's filter and search, roughly). */
export function matchesQuery(entry: HistoryEntry, filter: HistoryFilter, search: string): boolean {
  if (filter === 'missed' && entry.outcome !== 'missed') return false;
  if ((filter === 'incoming' || filter === 'outgoing') && entry.direction !== filter) return false;
  const text = search.trim().toLocaleLowerCase();
  if (!text) return true;
  const hay = [entry.contact?.name, entry.peer.displayName, entry.peer.uri].filter(Boolean).join('\n').toLocaleLowerCase();
  if (hay.includes(text)) return true;
  const digits = text.replace(/\D/g, '');
  return digits !== '' && uriUser(entry.peer.uri).replace(/\D/g, '').includes(digits);
}
