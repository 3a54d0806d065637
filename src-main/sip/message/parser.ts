import { CR, LF } from './chars.js';
import { findLineEnd, readFields } from './fields.js';
import { Headers } from './headers.js';
import { parseDecimal } from './scan.js';
import { parseStartLine, type StartLine } from './start-line.js';
import { SipParseError, type SipMessage } from './types.js';
import { validateHeaders } from './validate.js';
import { parseVia } from './via.js';

export interface ParseLimits {
  /** Largest whole message accepted, bytes. */
  maxMessageBytes: number;
  /** Largest single header field (name + value after unfolding), bytes. */
  maxHeaderBytes: number;
  /** Most header fields in one message. */
  maxHeaders: number;
}

export const defaultLimits: ParseLimits = { maxMessageBytes: 65535, maxHeaderBytes: 8192, maxHeaders: 256 };

export type ParseResult =
  | { ok: true; message: SipMessage }
  | {
      ok: false;
      /** Precise reason, safe to use as a 400 reason phrase. */
      reason: string;
      /** Response status a UAS should answer with: 400, 416 (Request-URI scheme) or 505 (version). */
      status?: number;
      /** Set when the start line parsed as a request and enough headers to build a 400 exist. */
      request?: { method: string; headers: import('./headers.js').Headers };
    };

/** Headers a UAS copies into a response (§8.2.6.2). */
const responseHeaders = ['Via', 'From', 'To', 'Call-ID', 'CSeq'];

/**
 * RFC 3261 §7 strict, linear-time parse of one complete datagram or framed stream message.
 * The body is Content-Length bytes (§18.3): fewer is an error, extra bytes are dropped; without
 * Content-Length the body is the rest of the data (datagram rule, §20.14).
 */
export function parseMessage(data: Buffer, limits: ParseLimits = defaultLimits): ParseResult {
  if (data.length > limits.maxMessageBytes) {
    return { ok: false, reason: `message exceeds ${limits.maxMessageBytes} bytes` };
  }
  let start: StartLine | undefined;
  const headers = new Headers();
  try {
    let pos = 0;
    // §7.5: CRLFs before the start-line are ignored.
    while (pos < data.length && (data[pos] === CR || data[pos] === LF)) pos++;
    const lf = findLineEnd(data, pos, limits.maxHeaderBytes + 2);
    if (lf === -1) throw new SipParseError(`start line exceeds ${limits.maxHeaderBytes} bytes`);
    if (lf === -2) throw new SipParseError(pos >= data.length ? 'empty message' : 'start line not terminated by CRLF');
    const lineEnd = lf > pos && data[lf - 1] === CR ? lf - 1 : lf;
    const line = data.toString('utf8', pos, lineEnd);
    if (line.indexOf('\r') >= 0) throw new SipParseError('bare CR in start line');
    start = parseStartLine(line);
    const bodyStart = readFields(data, lf + 1, limits, headers);
    validateHeaders(headers, start.kind === 'request' ? start.method : undefined);
    const body = readBody(data, bodyStart, headers);
    const message: SipMessage = start.kind === 'request'
      ? { kind: 'request', method: start.method, uri: start.uri, headers, body }
      : { kind: 'response', status: start.status, reason: start.reason, headers, body };
    return { ok: true, message };
  } catch (e) {
    if (!(e instanceof SipParseError)) throw e;
    const failure: Extract<ParseResult, { ok: false }> = { ok: false, reason: e.message, status: e.status };
    if (start?.kind === 'request') {
      const request = responseContext(headers);
      if (request) failure.request = { method: start.method, headers: request };
    }
    return failure;
  }
}

/** §18.3 / §20.14: the body is exactly Content-Length bytes. */
function readBody(data: Buffer, bodyStart: number, headers: Headers): Buffer {
  const available = data.length - bodyStart;
  const cl = headers.get('Content-Length');
  if (cl === undefined) return data.subarray(bodyStart);
  if (cl.length > 0 && cl.charCodeAt(0) === 0x2d) throw new SipParseError('negative Content-Length');
  const length = parseDecimal(cl, 0x7fffffff, 'Content-Length');
  if (length > available) {
    throw new SipParseError(`Content-Length ${length} exceeds the ${available} bytes of body received`);
  }
  return data.subarray(bodyStart, bodyStart + length);
}

/** Via, From, To, Call-ID, CSeq when all are present (single-valued) and the Vias parse. */
function responseContext(headers: Headers): Headers | undefined {
  const out = new Headers();
  for (const name of responseHeaders) {
    const values = headers.getAll(name);
    if (values.length === 0 || (name !== 'Via' && values.length > 1)) return undefined;
    for (const v of values) {
      if (name === 'Via') {
        try {
          parseVia(v);
        } catch {
          return undefined;
        }
      }
      out.append(name, v);
    }
  }
  return out;
}
