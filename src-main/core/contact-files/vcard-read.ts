/**
 * vCard 3.0 (RFC 2426) and 4.0 (RFC 6350) import: the file is cut into entries first (so one broken
 * card is one skipped row, and every line is bounded before ical.js sees it), then each entry is
 * parsed with ical.js and read from its jCard (RFC 7095) form.
 */
import ICAL from 'ical.js';
import { emptyRawContact, type RawContact } from './imported-contact.js';
import { importLimits } from './limits.js';
import { labelFromText, labelFromTypes } from './number-labels.js';

/** One BEGIN:VCARD … END:VCARD, or why it cannot be read. `row` counts entries from 1. */
export type VCardEntry = { row: number; text: string } | { row: number; reason: string };

const begin = /^BEGIN:VCARD\s*$/i;
const end = /^END:VCARD\s*$/i;

/** Cuts the file into entries; text outside entries is ignored. Undefined: more than maxRows. */
export function splitVCards(text: string): VCardEntry[] | undefined {
  const entries: VCardEntry[] = [];
  let lines: string[] | undefined;
  let problem: string | undefined;
  let size = 0;
  let logical = 0;
  const close = (reason?: string) => {
    const row = entries.length + 1;
    const why = reason ?? problem;
    entries.push(why ? { row, reason: why } : { row, text: lines!.join('\r\n') });
    lines = undefined;
  };
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (!lines) {
      if (begin.test(line)) {
        lines = [line];
        problem = undefined;
        size = logical = line.length;
      }
      continue;
    }
    if (begin.test(line)) {
      close('entry not terminated (no END:VCARD)');
      if (entries.length > importLimits.maxRows) return undefined;
      lines = [line];
      problem = undefined;
      size = logical = line.length;
      continue;
    }
    if (problem) {
      if (end.test(line)) close();
      continue;
    }
    lines.push(line);
    size += line.length + 2;
    // RFC 6350 §3.2: a line starting with white space continues the previous one.
    logical = line.startsWith(' ') || line.startsWith('\t') ? logical + line.length - 1 : line.length;
    if (logical > importLimits.maxVCardLine) problem = `a line is longer than ${importLimits.maxVCardLine} characters`;
    else if (size > importLimits.maxVCardEntry) problem = `entry larger than ${importLimits.maxVCardEntry / 1024} KiB`;
    if (end.test(line)) close();
    if (entries.length > importLimits.maxRows) return undefined;
  }
  if (lines) close('entry not terminated (no END:VCARD)');
  return entries.length > importLimits.maxRows ? undefined : entries;
}

type JValue = string | string[] | unknown;
type JProperty = [name: string, params: Record<string, string | string[]>, type: string, ...values: JValue[]];

/** Reads one entry; throws (with ical.js's message) when it does not parse. */
export function readVCard(text: string): RawContact {
  const parsed = ICAL.parse(/^VERSION:2\.1\s*$/im.test(text) ? namedParameters(text) : text) as unknown[];
  const jcard = (typeof parsed[0] === 'string' ? parsed : parsed[0]) as [string, JProperty[], unknown[]] | undefined;
  if (!jcard || jcard[0] !== 'vcard' || !Array.isArray(jcard[1])) throw new Error('not a vCard');
  const props = jcard[1];
  const c = emptyRawContact();
  const groupLabels = new Map<string, string>();
  for (const [name, params, , value] of props) {
    if (name === 'x-ablabel' && typeof params.group === 'string') groupLabels.set(params.group, appleLabel(text1(value)));
  }
  const notes: string[] = [];
  for (const [name, params, type, ...values] of props) {
    const value = values[0];
    switch (name) {
      case 'fn': c.name ||= text1(value); break;
      case 'n': {
        // family; given; additional; prefix; suffix (RFC 6350 §6.2.2)
        const parts = Array.isArray(value) ? value.map(text1) : text1(value).split(';');
        c.lastName ||= parts[0] ?? '';
        c.firstName ||= parts[1] ?? '';
        break;
      }
      case 'org': c.company ||= (Array.isArray(value) ? value.map(text1) : [text1(value)]).filter(Boolean).join(', '); break;
      case 'email': c.email ||= text1(value); break;
      case 'note': notes.push(...values.map(text1)); break;
      case 'x-nimbus-favourite': c.favourite = /^(true|1|yes)$/i.test(text1(value)); break;
      case 'tel': {
        let v = text1(value);
        if (type === 'uri' || /^tel:/i.test(v)) v = v.replace(/^tel:/i, '');
        const group = typeof params.group === 'string' ? groupLabels.get(params.group) : undefined;
        c.numbers.push({ label: param(params, 'x-nimbus-label') ?? group ?? labelFromTypes(types(params)), value: v });
        break;
      }
      case 'impp':
      case 'x-sip': {
        const v = text1(value).trim();
        const uri = name === 'x-sip' && !/^sips?:/i.test(v) ? `sip:${v}` : v;
        // IMPP also carries XMPP, Skype…: only SIP addresses are callable.
        if (/^sips?:/i.test(uri)) c.numbers.push({ label: param(params, 'x-nimbus-label') ?? 'sip', value: uri });
        break;
      }
    }
  }
  c.notes = notes.filter(Boolean).join('\n');
  return c;
}

function text1(v: JValue): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(text1).filter(Boolean).join(' ');
  return v === undefined || v === null ? '' : String(v);
}

function param(params: Record<string, string | string[]>, name: string): string | undefined {
  const v = params[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? v[0] : undefined;
}

function types(params: Record<string, string | string[]>): string[] {
  const t = params.type;
  const list = typeof t === 'string' ? [t] : Array.isArray(t) ? t : [];
  return list.flatMap((x) => x.split(',')).map((x) => x.trim().toLowerCase());
}

/** Apple's `_$!<Mobile>!$_` labels name a standard kind; others are the user's own words. */
function appleLabel(text: string): string {
  const standard = /^_\$!<(.*)>!\$_$/.exec(text);
  return standard ? labelFromText(standard[1]!) : text;
}

/** vCard 2.1 writes bare parameters (`TEL;CELL;VOICE:`): name them TYPE so ical.js reads them. */
function namedParameters(text: string): string {
  return text.split('\r\n').map((line) => {
    if (line.startsWith(' ') || line.startsWith('\t')) return line;
    const colon = line.indexOf(':');
    if (colon < 0) return line;
    const [name, ...params] = line.slice(0, colon).split(';');
    return [name, ...params.map((p) => (p.includes('=') ? p : `TYPE=${p}`))].join(';') + line.slice(colon);
  }).join('\r\n');
}
