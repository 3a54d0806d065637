/**
 * RFC 3261 §7.3 header section of a message: field lines, line folding (§7.3.1 LWS), compact
 * names (§7.3.3), and list headers split into one entry per element. Size limits are checked on
 * raw bytes before any per-field work, so an oversized field costs one bounded byte scan.
 */
import { CR, HTAB, LF, SP, isWsp } from './chars.js';
import { canonicalHeaderName, type Headers } from './headers.js';
import { scanToken, splitHeaderList } from './scan.js';
import { SipParseError } from './types.js';

/** §7.3.1: headers whose ABNF is a comma-separated list; each element becomes its own entry. */
export const listHeaders: ReadonlySet<string> = new Set([
  'Via', 'Route', 'Record-Route', 'Contact', 'Allow', 'Supported', 'Require', 'Proxy-Require',
  'Unsupported', 'Accept', 'Accept-Encoding', 'Accept-Language', 'Allow-Events', 'Alert-Info',
  'Call-Info', 'Error-Info', 'In-Reply-To', 'Content-Encoding', 'Content-Language', 'Path',
  'Service-Route', 'Warning', 'Reason', 'History-Info', 'P-Asserted-Identity',
  'P-Preferred-Identity', 'P-Associated-URI', 'Security-Client', 'Security-Server',
  'Security-Verify', 'Accept-Contact', 'Reject-Contact', 'Request-Disposition',
]);

/**
 * List headers whose defects make a message unsafe (they route it): an empty element or an open
 * quote rejects the message. The other list headers are only read: empty elements are skipped and
 * an unsplittable value is kept whole for its reader (docs/decisions.md, header audit).
 */
const strictLists: ReadonlySet<string> = new Set(['Via', 'Route', 'Record-Route', 'Contact', 'Path', 'Service-Route']);

export interface FieldLimits {
  maxHeaderBytes: number;
  maxHeaders: number;
}

/**
 * Index of the LF ending the line that starts at `start`, looking at most `max` bytes ahead.
 * Returns -1 when the line is longer than that, -2 when the data ends first.
 */
export function findLineEnd(data: Buffer, start: number, max: number): number {
  const cap = Math.min(data.length, start + max);
  const lf = data.subarray(start, cap).indexOf(LF);
  if (lf >= 0) return start + lf;
  return cap < data.length ? -1 : -2;
}

/** A short printable name for the field at `start`, for error reasons. */
function fieldNameAt(data: Buffer, start: number): string {
  const text = data.toString('latin1', start, Math.min(data.length, start + 64));
  const end = scanToken(text, 0);
  return end > 0 ? canonicalHeaderName(text.slice(0, end)) : 'header';
}

/**
 * Read header fields from data[pos] up to and including the empty line; append them to
 * `headers`. Returns the index of the first body byte. Throws SipParseError.
 */
export function readFields(data: Buffer, pos: number, limits: FieldLimits, headers: Headers): number {
  const len = data.length;
  const max = limits.maxHeaderBytes;
  for (;;) {
    if (pos >= len) throw new SipParseError('missing empty line after headers');
    if (data[pos] === LF) return pos + 1;
    if (data[pos] === CR && data[pos + 1] === LF) return pos + 2;
    const start = pos;
    let lf: number;
    for (;;) {
      // +2: the limit counts the field itself, not its CRLF.
      lf = findLineEnd(data, pos, start + max + 2 - pos);
      if (lf === -1) throw new SipParseError(`${fieldNameAt(data, start)} header field exceeds ${max} bytes`);
      if (lf === -2) throw new SipParseError('header field not terminated by CRLF');
      const next = lf + 1;
      if (next < len && (data[next] === SP || data[next] === HTAB)) pos = next;
      else break;
    }
    const end = lf > start && data[lf - 1] === CR ? lf - 1 : lf;
    if (end - start > max) throw new SipParseError(`${fieldNameAt(data, start)} header field exceeds ${max} bytes`);
    pos = lf + 1;
    addField(unfold(data.toString('utf8', start, end)), headers, limits);
  }
}

/** §7.3.1: replace each line fold (CRLF followed by whitespace) with a single SP. */
function unfold(raw: string): string {
  let cr = raw.indexOf('\r');
  const lf = raw.indexOf('\n');
  if (lf < 0) {
    if (cr >= 0) throw new SipParseError('bare CR in header field');
    return raw;
  }
  let out = '';
  let seg = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === CR) {
      if (raw.charCodeAt(i + 1) !== LF) throw new SipParseError('bare CR in header field');
    } else if (c === LF) {
      cr = i > 0 && raw.charCodeAt(i - 1) === CR ? i - 1 : i;
      out += raw.slice(seg, cr) + ' ';
      while (i + 1 < raw.length && isWsp(raw.charCodeAt(i + 1))) i++;
      seg = i + 1;
    }
  }
  return out + raw.slice(seg);
}

/** header = field-name *(SP / HTAB) ":" SWS value. */
function addField(line: string, headers: Headers, limits: FieldLimits): void {
  const nameEnd = scanToken(line, 0);
  let i = nameEnd;
  while (i < line.length && isWsp(line.charCodeAt(i))) i++;
  if (nameEnd === 0 || line.charCodeAt(i) !== 0x3a) {
    throw new SipParseError(`malformed header line "${line.slice(0, 40)}"`);
  }
  const name = canonicalHeaderName(line.slice(0, nameEnd));
  let a = i + 1;
  let b = line.length;
  while (a < b && isWsp(line.charCodeAt(a))) a++;
  while (b > a && isWsp(line.charCodeAt(b - 1))) b--;
  const value = line.slice(a, b);
  if (listHeaders.has(name) && value.length > 0) {
    for (const element of splitList(value, name)) {
      if (headers.size >= limits.maxHeaders) throw new SipParseError(`more than ${limits.maxHeaders} header fields`);
      headers.append(name, element);
    }
  } else {
    if (headers.size >= limits.maxHeaders) throw new SipParseError(`more than ${limits.maxHeaders} header fields`);
    headers.append(name, value);
  }
}

function splitList(value: string, name: string): string[] {
  if (strictLists.has(name)) return splitHeaderList(value, name);
  try {
    return splitHeaderList(value, name, true);
  } catch (e) {
    if (e instanceof SipParseError) return [value];
    throw e;
  }
}
