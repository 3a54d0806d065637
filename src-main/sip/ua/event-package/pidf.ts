/**
 * Presence documents: PIDF (RFC 3863) with the RPID activities and notes (RFC 4480) — parsed from
 * NOTIFYs of the presence package (RFC 3856) and built for our PUBLISH (RFC 3903).
 */
import { child, childrenNamed, parseXmlBody, type XmlElement } from './xml-body.js';

export const pidfType = 'application/pidf+xml';

/** What a person shows: the four a user can choose, and offline. */
export type PresenceStatus = 'available' | 'away' | 'busy' | 'dnd' | 'offline';

export interface PresenceDocument {
  entity: string;
  /** RFC 3863 §4.1.4: open when any tuple is open, closed when all are, undefined without basic. */
  basic: 'open' | 'closed' | undefined;
  /** RFC 4480 §6.2 activities (element names), `other` texts as `other:TEXT`. */
  activities: string[];
  note: string | undefined;
}

export function parsePidf(body: Buffer | string): { ok: true; doc: PresenceDocument } | { ok: false; reason: string } {
  const xml = parseXmlBody(body);
  if (!xml.ok) return xml;
  const root = xml.root;
  if (root.name !== 'presence') return { ok: false, reason: `root element <${root.name}>, expected <presence>` };
  const entity = root.attrs['entity'];
  // RFC 3863 §4.1.1: the entity attribute is mandatory.
  if (!entity) return { ok: false, reason: 'presence without entity' };
  const tuples = childrenNamed(root, 'tuple');
  const basics = tuples.map((t) => child(child(t, 'status'), 'basic')?.text.toLowerCase()).filter((b) => b === 'open' || b === 'closed');
  const basic = basics.includes('open') ? 'open' : basics.length > 0 ? 'closed' : undefined;
  const persons = childrenNamed(root, 'person');
  const activities: string[] = [];
  for (const p of persons) {
    for (const a of child(p, 'activities')?.children ?? []) activities.push(a.name === 'other' ? `other:${a.text}` : a.name);
  }
  const note = firstNote([...persons, ...tuples, root]);
  return { ok: true, doc: { entity, basic, activities, note } };
}

function firstNote(elements: XmlElement[]): string | undefined {
  for (const e of elements) {
    const n = child(e, 'note')?.text;
    if (n) return n.slice(0, 256);
  }
  return undefined;
}

/** RFC 4480 §6.2 activities that mean "not at the desk". */
const awayActivities = new Set([
  'away', 'appointment', 'breakfast', 'dinner', 'holiday', 'in-transit', 'looking-for-work', 'meal', 'permanent-absence',
  'shopping', 'sleeping', 'steering', 'travel', 'vacation',
]);
/** Activities that mean "here but occupied". */
const busyActivities = new Set(['busy', 'on-the-phone', 'meeting', 'performance', 'presentation']);

/** Our `other` activity for do-not-disturb (RPID has none; others read the `busy` we send with it). */
export const dndActivity = 'dnd';

export function presenceStatus(doc: PresenceDocument): PresenceStatus {
  if (doc.basic === 'closed') return 'offline';
  const acts = doc.activities;
  if (acts.some((a) => a.startsWith('other:') && /^(dnd|do[- ]not[- ]disturb)$/i.test(a.slice(6).trim()))) return 'dnd';
  if (acts.some((a) => busyActivities.has(a))) return 'busy';
  if (acts.some((a) => awayActivities.has(a))) return 'away';
  if (doc.basic === undefined && acts.length === 0) return 'offline';
  return 'available';
}

export function onThePhone(doc: PresenceDocument): boolean {
  return doc.activities.includes('on-the-phone');
}

export const onThePhoneNote = 'On the phone';

/** Our own state, as we publish it. */
export interface OwnPresence {
  entity: string;
  status: Exclude<PresenceStatus, 'offline'>;
  /** RFC 4480 on-the-phone, set by the phone while a call is up. */
  onThePhone: boolean;
  note: string | undefined;
}

/** A PIDF document with RPID activities (RFC 3863 §4, RFC 4480 §6.2); ids are stable per publisher. */
export function buildPidf(p: OwnPresence, ids: { tuple: string; person: string }): string {
  const acts: string[] = [];
  if (p.status === 'away') acts.push('<rpid:away/>');
  if (p.status === 'busy' || p.status === 'dnd') acts.push('<rpid:busy/>');
  if (p.onThePhone) acts.push('<rpid:on-the-phone/>');
  if (p.status === 'dnd') acts.push(`<rpid:other>${dndActivity}</rpid:other>`);
  // Clients that show only notes (many do) still see "On the phone" when no note was chosen.
  const text = p.note ?? (p.onThePhone ? onThePhoneNote : undefined);
  const note = text ? `<dm:note>${escapeXml(text)}</dm:note>` : '';
  return '<?xml version="1.0" encoding="UTF-8"?>\r\n' +
    '<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" ' +
    `xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="${escapeXml(p.entity)}">\r\n` +
    `<tuple id="${escapeXml(ids.tuple)}"><status><basic>open</basic></status></tuple>\r\n` +
    `<dm:person id="${escapeXml(ids.person)}"><rpid:activities>${acts.join('')}</rpid:activities>${note}</dm:person>\r\n` +
    '</presence>\r\n';
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}
