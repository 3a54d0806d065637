/** RFC 3261 §7.1 Request-Line and §7.2 Status-Line. */
import { isDigit } from './chars.js';
import { isToken } from './scan.js';
import { SipParseError, type SipUri } from './types.js';
import { parseUri } from './uri.js';

export type StartLine =
  | { kind: 'request'; method: string; uri: SipUri }
  | { kind: 'response'; status: number; reason: string };

/** SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT; only 2.0 is supported (505 otherwise, §8.2.2... §21.5.6). */
function checkVersion(v: string, where: string): void {
  if (v.length === 7 && v.slice(0, 4).toUpperCase() === 'SIP/' && v.slice(4) === '2.0') return;
  const m = v.length > 4 && v.slice(0, 4).toUpperCase() === 'SIP/' ? v.slice(4).split('.') : [];
  if (m.length === 2 && m.every((d) => d.length > 0 && [...d].every((c) => isDigit(c.charCodeAt(0))))) {
    throw new SipParseError(`unsupported SIP version "${v}" in ${where}`, 505);
  }
  throw new SipParseError(`malformed SIP-Version in ${where}`);
}

export function parseStartLine(line: string): StartLine {
  if (line.length >= 4 && line.slice(0, 4).toUpperCase() === 'SIP/') return parseStatusLine(line);
  return parseRequestLine(line);
}

/** Request-Line = Method SP Request-URI SP SIP-Version CRLF (single SPs, no other whitespace). */
function parseRequestLine(line: string): StartLine {
  const sp1 = line.indexOf(' ');
  if (sp1 <= 0) throw new SipParseError('malformed Request-Line');
  const method = line.slice(0, sp1);
  if (!isToken(method)) throw new SipParseError('invalid method in Request-Line');
  const sp2 = line.indexOf(' ', sp1 + 1);
  if (sp2 < 0) throw new SipParseError('malformed Request-Line');
  if (sp2 === sp1 + 1) throw new SipParseError('extra whitespace in Request-Line');
  const uriText = line.slice(sp1 + 1, sp2);
  const version = line.slice(sp2 + 1);
  if (version.length === 0 || version.charCodeAt(0) === 0x20) throw new SipParseError('extra whitespace in Request-Line');
  const sp3 = version.indexOf(' ');
  if (sp3 >= 0) {
    if (version.slice(sp3).trim() === '') throw new SipParseError('trailing whitespace in Request-Line');
    throw new SipParseError('whitespace inside Request-URI');
  }
  if (line.indexOf('\t') >= 0) throw new SipParseError('tab in Request-Line');
  checkVersion(version, 'Request-Line');
  if (uriText.charCodeAt(0) === 0x3c) throw new SipParseError('Request-URI must not be enclosed in <>');
  let uri: SipUri;
  try {
    uri = parseUri(uriText);
  } catch (e) {
    if (e instanceof SipParseError) throw new SipParseError(`${e.message} in Request-URI`, e.status);
    throw e;
  }
  // §19.1.1 table: headers are not allowed in a Request-URI.
  if (uri.headers.size > 0) throw new SipParseError('Request-URI must not contain headers');
  return { kind: 'request', method, uri };
}

/** Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF; Status-Code = 3DIGIT. */
function parseStatusLine(line: string): StartLine {
  const sp1 = line.indexOf(' ');
  if (sp1 < 0) throw new SipParseError('malformed Status-Line');
  checkVersion(line.slice(0, sp1), 'Status-Line');
  let sp2 = line.indexOf(' ', sp1 + 1);
  // Lenient: "SIP/2.0 100" without the SP before an empty Reason-Phrase.
  if (sp2 < 0) sp2 = line.length;
  const code = line.slice(sp1 + 1, sp2);
  if (code.length !== 3 || ![...code].every((c) => isDigit(c.charCodeAt(0))) || code.charCodeAt(0) === 0x30) {
    throw new SipParseError(`invalid Status-Code "${code.slice(0, 16)}"`);
  }
  const status = Number(code);
  if (status < 100) throw new SipParseError(`invalid Status-Code "${code}"`);
  return { kind: 'response', status, reason: line.slice(sp2 + 1) };
}
