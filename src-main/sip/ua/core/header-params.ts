/** `value *(;param)` headers outside the name-addr family (Event, Subscription-State, Replaces...). */
import { parseParams, SipParseError, type Params } from '../../message/index.js';

export interface ValueWithParams {
  /** The leading value, trimmed (case kept). */
  value: string;
  params: Params;
}

/** Split at the first ";" and parse the rest as RFC 3261 §25.1 generic-params. Throws SipParseError. */
export function parseValueWithParams(text: string, what: string): ValueWithParams {
  const semi = text.indexOf(';');
  const value = (semi < 0 ? text : text.slice(0, semi)).trim();
  if (value.length === 0) throw new SipParseError(`empty ${what}`);
  const params: Params = new Map();
  if (semi >= 0) parseParams(text, semi, text.length, params, what);
  return { value, params };
}

/** A parameter with surrounding quotes removed. */
export function paramText(params: Params, name: string): string | undefined {
  const v = params.get(name);
  if (v === undefined || v === null) return undefined;
  return v.startsWith('"') && v.endsWith('"') && v.length >= 2 ? v.slice(1, -1) : v;
}
