/** Typed access to the headers every layer needs. Throw SipParseError when a value is malformed. */
import { parseNameAddr } from './name-addr.js';
import { SipParseError, type CSeq, type NameAddr, type SipMessage, type Via } from './types.js';
import { parseCSeq, parseVia } from './via.js';

function one(m: SipMessage, name: string): string {
  const v = m.headers.get(name);
  if (v === undefined) throw new SipParseError(`missing ${name} header field`);
  return v;
}

export function getVias(m: SipMessage): Via[] {
  return m.headers.getAll('Via').map(parseVia);
}

export function getTopVia(m: SipMessage): Via {
  return parseVia(one(m, 'Via'));
}

export function getFrom(m: SipMessage): NameAddr {
  return parseNameAddr(one(m, 'From'), 'From');
}

export function getTo(m: SipMessage): NameAddr {
  return parseNameAddr(one(m, 'To'), 'To');
}

export function getCallId(m: SipMessage): string {
  return one(m, 'Call-ID');
}

export function getCSeq(m: SipMessage): CSeq {
  return parseCSeq(one(m, 'CSeq'));
}

/** Contact values; "*" (REGISTER removal) is returned as an empty array with star=true. */
export function getContacts(m: SipMessage): { star: boolean; contacts: NameAddr[] } {
  const values = m.headers.getAll('Contact');
  if (values.length === 1 && values[0] === '*') return { star: true, contacts: [] };
  return { star: false, contacts: values.map((v) => parseNameAddr(v, 'Contact')) };
}

export function getRoutes(m: SipMessage): NameAddr[] {
  return m.headers.getAll('Route').map((v) => parseNameAddr(v, 'Route'));
}

export function getRecordRoutes(m: SipMessage): NameAddr[] {
  return m.headers.getAll('Record-Route').map((v) => parseNameAddr(v, 'Record-Route'));
}

/** A header parameter of a name-addr header (e.g. the From tag), or undefined. */
export function getTag(value: NameAddr): string | undefined {
  return value.params.get('tag') ?? undefined;
}
