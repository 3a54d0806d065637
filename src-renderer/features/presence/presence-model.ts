/**
 * Busy lamps, colleagues' presence, my status and message waiting as the renderer keeps them,
 * without the DOM: the core's snapshot and events applied to one plain model, lamp and status
 * words, which colleague a contact's number is, and which voicemail state the header shows.
 */
import type {
  LampState, MonitoredEntry, MwiState, OwnPresence, OwnStatus, PeerPresence, PresenceSnapshot, PresenceStatus,
} from '../../../src-main/contract/presence.js';

export interface PresenceModel {
  own: OwnPresence;
  /** In the order the core keeps them (the order they were added): lamps never jump around. */
  monitored: MonitoredEntry[];
  mwi: MwiState[];
  /** The snapshot has been read at least once. */
  loaded: boolean;
}

export const initialPresence: PresenceModel = {
  own: { status: 'available', note: undefined, onThePhone: false },
  monitored: [],
  mwi: [],
  loaded: false,
};

export const ownStatuses: readonly OwnStatus[] = ['available', 'away', 'busy', 'dnd'];
export const lampStates: readonly LampState[] = ['idle', 'ringing', 'busy', 'unknown'];

export function applySnapshot(m: PresenceModel, snap: PresenceSnapshot): PresenceModel {
  return { own: snap.own, monitored: snap.monitored, mwi: snap.mwi, loaded: true };
}

const upsert = (m: PresenceModel, uri: string, change: (e: MonitoredEntry) => MonitoredEntry): PresenceModel => {
  const at = m.monitored.findIndex((e) => e.uri === uri);
  if (at < 0) {
    // An event for a colleague the snapshot did not list yet (just added): append it.
    const fresh: MonitoredEntry = { uri, lamp: 'unknown', presence: undefined, pickup: 'none' };
    return { ...m, monitored: [...m.monitored, change(fresh)] };
  }
  const monitored = [...m.monitored];
  monitored[at] = change(monitored[at]!);
  return { ...m, monitored };
};

export const applyLamp = (m: PresenceModel, uri: string, lamp: LampState): PresenceModel =>
  upsert(m, uri, (e) => ({ ...e, lamp }));

export const applyPeerPresence = (m: PresenceModel, uri: string, presence: PeerPresence): PresenceModel =>
  upsert(m, uri, (e) => ({ ...e, presence }));

export const applyOwn = (m: PresenceModel, own: OwnPresence): PresenceModel => ({ ...m, own });

export function applyMwi(m: PresenceModel, mwi: MwiState): PresenceModel {
  const others = m.mwi.filter((s) => s.account !== mwi.account);
  return { ...m, mwi: [...others, mwi] };
}

export const removeWatched = (m: PresenceModel, uri: string): PresenceModel =>
  ({ ...m, monitored: m.monitored.filter((e) => e.uri !== uri) });

/**
 * The status dot of a colleague: what they published, with "on the phone" shown as busy when they
 * chose nothing stronger (RFC 4480 activities); undefined when nothing is known yet.
 */
export function shownStatus(p: PeerPresence | undefined): PresenceStatus | undefined {
  if (!p) return undefined;
  if (p.onThePhone && p.status === 'available') return 'busy';
  return p.status;
}

/**
 * What a lamp row adds about presence: the status when it says more than the lamp ("Available",
 * or "Busy" beside a busy lamp, say nothing), and the note unless it is the automatic one of a
 * colleague on the phone; `dot` is the status to draw beside whatever is shown.
 */
export function lampPresence(lamp: LampState, p: PeerPresence | undefined): { dot: PresenceStatus | undefined; word: PresenceStatus | undefined; note: string | undefined } {
  const status = shownStatus(p);
  if (!p || !status) return { dot: undefined, word: undefined, note: undefined };
  const redundant = status === 'available' || (status === 'busy' && lamp === 'busy');
  const note = p.note?.trim() && !(p.onThePhone && lamp === 'busy') ? p.note.trim() : undefined;
  return { dot: status, word: redundant ? undefined : status, note };
}

/** What activating a lamp does: a ringing colleague's call is picked up, anyone else is called. */
export const lampAction = (e: Pick<MonitoredEntry, 'lamp'>): 'pickup' | 'call' => (e.lamp === 'ringing' ? 'pickup' : 'call');

/**
 * The voicemail state the header shows: the dialling account's, else one that has messages, else
 * the first one that can dial voicemail; undefined when no account reports any (nothing to show).
 */
export function shownMwi(states: readonly MwiState[], accountKey: string | undefined): MwiState | undefined {
  const usable = (s: MwiState) => s.waiting || s.new > 0 || s.voicemail !== undefined;
  const own = states.find((s) => s.account === accountKey);
  if (own && usable(own)) return own;
  return states.find((s) => s.waiting || s.new > 0) ?? states.find(usable);
}

// ---- addresses: which watched colleague a contact's number or a conversation is ----

interface Address { user: string; host: string | undefined }

/** user and host of a SIP address (scheme, parameters and port-less host compared case-blind). */
export function sipAddress(text: string): Address | undefined {
  const m = /^(?:sips?:)?([^@\s;?>]+)@([^;?>\s]+)/i.exec(text.trim().replace(/^<|>$/g, ''));
  if (!m) return undefined;
  return { user: decodeURIComponent(m[1]!), host: m[2]!.toLowerCase() };
}

const digits = (s: string): string => s.replace(/[^\d+*#]/g, '');
const phoneLike = (s: string): boolean => /^[\d\s()+.*#-]+$/.test(s) && /\d/.test(s);

/**
 * Whether a contact's number (a phone number, an extension, or a SIP address) is this watched
 * URI: SIP addresses compare user and host (the port is ignored unless both give one), numbers
 * compare their digits with the URI's user part.
 */
export function numberIsUri(number: string, uri: string): boolean {
  const target = sipAddress(uri);
  if (!target) return false;
  const given = sipAddress(number);
  if (given) {
    if (given.user.toLowerCase() !== target.user.toLowerCase()) return false;
    const [gHost, gPort] = given.host!.split(':');
    const [tHost, tPort] = target.host!.split(':');
    return gHost === tHost && (gPort === undefined || tPort === undefined || gPort === tPort);
  }
  if (!phoneLike(number) || !phoneLike(target.user)) return number.trim().toLowerCase() === target.user.toLowerCase();
  const a = digits(number);
  return a !== '' && a === digits(target.user);
}

/** The watched colleague one of these numbers reaches, if any. */
export function watchedFor(numbers: readonly string[], monitored: readonly MonitoredEntry[]): MonitoredEntry | undefined {
  for (const n of numbers) {
    const found = monitored.find((e) => numberIsUri(n, e.uri));
    if (found) return found;
  }
  return undefined;
}

/** What to show for a colleague: their contact's name, else the display name given, else the extension. */
export function partyName(uri: string, names: Readonly<Record<string, string>>, displayName?: string): string {
  const known = names[uri]?.trim() || displayName?.trim();
  if (known) return known;
  const a = sipAddress(uri);
  return a ? a.user : uri.replace(/^sips?:/i, '');
}
