import { DQUOTE, TOKEN, is, isWsp } from './chars.js';
import { formatParams, parseParams, quote, scanQuoted, skipWsp, unquote } from './scan.js';
import { SipParseError, type NameAddr } from './types.js';
import { formatUri, parseUri } from './uri.js';

const LAQUOT = 0x3c;
const SEMI = 0x3b;

/**
 * RFC 3261 §20.10/§25.1 name-addr or addr-spec followed by header params. Throws SipParseError.
 * In the addr-spec form the URI ends at the first ";" after its host part, and the URI may not
 * contain "," or "?" (§20: such URIs must be enclosed in "<" and ">").
 */
export function parseNameAddr(text: string, what = 'name-addr'): NameAddr {
  const end = text.length;
  let i = skipWsp(text, 0, end);
  let displayName: string | undefined;
  let laquot = -1;
  if (text.charCodeAt(i) === DQUOTE) {
    const q = scanQuoted(text, i, end, what);
    displayName = unquote(text.slice(i, q));
    i = skipWsp(text, q, end);
    if (text.charCodeAt(i) !== LAQUOT) throw new SipParseError(`expected "<" after display name in ${what}`);
    laquot = i;
  } else {
    // display-name = *(token LWS): scan tokens and spaces up to "<".
    let j = i;
    while (j < end && (is(text.charCodeAt(j), TOKEN) || isWsp(text.charCodeAt(j)))) j++;
    if (j < end && text.charCodeAt(j) === LAQUOT) {
      laquot = j;
      const dn = text.slice(i, j).trim();
      if (dn.length > 0) displayName = dn;
    } else {
      // An addr-spec never holds "<"; one before any quoted parameter means a bad display name.
      let k = j;
      while (k < end && text.charCodeAt(k) !== LAQUOT && text.charCodeAt(k) !== DQUOTE) k++;
      if (k < end && text.charCodeAt(k) === LAQUOT) throw new SipParseError(`invalid display name in ${what}`);
    }
  }
  let uriText: string;
  let paramsStart: number;
  if (laquot >= 0) {
    const raquot = text.indexOf('>', laquot);
    if (raquot < 0) throw new SipParseError(`missing ">" in ${what}`);
    uriText = text.slice(laquot + 1, raquot);
    if (uriText.length === 0 || isWsp(uriText.charCodeAt(0)) || isWsp(uriText.charCodeAt(uriText.length - 1))) {
      throw new SipParseError(`whitespace or empty URI inside <> in ${what}`);
    }
    paramsStart = raquot + 1;
  } else {
    // addr-spec: find "@" (before any quoted param value), then the first ";" after it.
    let at = -1;
    for (let k = i; k < end; k++) {
      const c = text.charCodeAt(k);
      if (c === 0x40) { at = k; break; }
      if (c === DQUOTE) break;
    }
    let semi = at >= 0 ? at : i;
    while (semi < end && text.charCodeAt(semi) !== SEMI) semi++;
    let uriEnd = semi;
    while (uriEnd > i && isWsp(text.charCodeAt(uriEnd - 1))) uriEnd--;
    uriText = text.slice(i, uriEnd);
    for (let k = 0; k < uriText.length; k++) {
      const c = uriText.charCodeAt(k);
      if (c === 0x2c || c === 0x3f) throw new SipParseError(`URI containing "${uriText[k]}" must be enclosed in <> in ${what}`);
    }
    paramsStart = semi;
  }
  let uri;
  try {
    uri = parseUri(uriText);
  } catch (e) {
    if (e instanceof SipParseError) throw new SipParseError(`${e.message} in ${what}`);
    throw e;
  }
  const value: NameAddr = { uri, params: new Map() };
  if (displayName !== undefined) value.displayName = displayName;
  parseParams(text, paramsStart, end, value.params, what);
  return value;
}

/** Always writes the name-addr form (<uri>) so URI params never become header params. */
export function formatNameAddr(value: NameAddr): string {
  const dn = value.displayName !== undefined && value.displayName.length > 0 ? quote(value.displayName) + ' ' : '';
  return `${dn}<${formatUri(value.uri)}>${formatParams(value.params)}`;
}
