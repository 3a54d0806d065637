import { Headers, getCSeq } from '../message/index.js';
import type { SipRequest, SipResponse } from '../message/index.js';

/**
 * RFC 3261 §17.1.1.3: the ACK an INVITE client transaction builds for a non-2xx final response.
 * Same Request-URI, Call-ID, From and top Via (so the same branch) as the INVITE; To from the
 * response (with its tag); CSeq number of the INVITE with method ACK; the INVITE's Route headers.
 */
export function buildNon2xxAck(invite: SipRequest, response: SipResponse): SipRequest {
  const headers = new Headers();
  const via = invite.headers.get('Via');
  if (via !== undefined) headers.append('Via', via);
  for (const route of invite.headers.getAll('Route')) headers.append('Route', route);
  headers.append('Max-Forwards', '70');
  headers.append('From', invite.headers.get('From') ?? '');
  headers.append('To', response.headers.get('To') ?? invite.headers.get('To') ?? '');
  headers.append('Call-ID', invite.headers.get('Call-ID') ?? '');
  headers.append('CSeq', `${getCSeq(invite).seq} ACK`);
  return { kind: 'request', method: 'ACK', uri: invite.uri, headers, body: Buffer.alloc(0) };
}
