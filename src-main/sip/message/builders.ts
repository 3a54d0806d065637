import { Headers } from './headers.js';
import { parseNameAddr, formatNameAddr } from './name-addr.js';
import { classPhrases, reasonPhrases } from './reason-phrases.js';
import type { SipRequest, SipResponse, SipUri } from './types.js';

/**
 * RFC 3261 §8.2.6.2: a response copying Via, From, To, Call-ID, CSeq (and Record-Route for
 * dialog-creating responses when asked); adds toTag to To when To has no tag and status > 100.
 */
export function createResponse(
  request: SipRequest,
  status: number,
  reason?: string,
  opts: { toTag?: string; copyRecordRoute?: boolean } = {},
): SipResponse {
  const src = request.headers;
  const headers = new Headers();
  for (const v of src.getAll('Via')) headers.append('Via', v);
  const from = src.get('From');
  if (from !== undefined) headers.append('From', from);
  const to = src.get('To');
  if (to !== undefined) {
    let value = to;
    // §8.2.6.2: add a To tag unless the request's To already has one; never on 100 (§8.2.6.1).
    if (status > 100 && opts.toTag !== undefined) {
      const parsed = parseNameAddr(to, 'To');
      if (!parsed.params.has('tag')) {
        parsed.params.set('tag', opts.toTag);
        value = formatNameAddr(parsed);
      }
    }
    headers.append('To', value);
  }
  const callId = src.get('Call-ID');
  if (callId !== undefined) headers.append('Call-ID', callId);
  const cseq = src.get('CSeq');
  if (cseq !== undefined) headers.append('CSeq', cseq);
  // §12.1.1: a UAS copies Record-Route into dialog-creating responses (in order).
  if (opts.copyRecordRoute) for (const rr of src.getAll('Record-Route')) headers.append('Record-Route', rr);
  // §8.2.6.1: a 100 Trying copies the Timestamp header.
  if (status === 100) {
    const ts = src.get('Timestamp');
    if (ts !== undefined) headers.append('Timestamp', ts);
  }
  return { kind: 'response', status, reason: reason ?? reasonPhrase(status), headers, body: Buffer.alloc(0) };
}

/** Default reason phrases (RFC 3261 §21 and later RFCs). */
export function reasonPhrase(status: number): string {
  return reasonPhrases.get(status) ?? classPhrases[Math.floor(status / 100)] ?? 'Unknown';
}

/** A request with the given start line and headers (in order); body defaults to empty. */
export function createRequest(
  method: string,
  uri: SipUri,
  fields: Array<[name: string, value: string]>,
  body: Buffer = Buffer.alloc(0),
): SipRequest {
  const headers = new Headers();
  for (const [name, value] of fields) headers.append(name, value);
  return { kind: 'request', method, uri, headers, body };
}
