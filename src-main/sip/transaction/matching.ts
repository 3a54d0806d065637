/** Transaction keys: which transaction a message belongs to (RFC 3261 §17.1.3, §17.2.3, §9.2). */
import { formatUri, formatVia, getCallId, getCSeq, getFrom, getTo, getTopVia } from '../message/index.js';
import type { SipMessage, SipRequest, SipResponse } from '../message/index.js';

/** §8.1.1.7: branches starting with this were made by RFC 3261 elements and are unique. */
export const magicCookie = 'z9hG4bK';

/** The top Via's branch, or undefined. */
export function branchOf(message: SipMessage): string | undefined {
  return getTopVia(message).params.get('branch') ?? undefined;
}

/** §17.1.3: a response matches a client transaction by top-Via branch and CSeq method. */
export function clientKey(branch: string, method: string): string {
  return `${branch}|${method}`;
}

/** The client key of a response, or undefined when its top Via carries no branch. */
export function responseKey(response: SipResponse): string | undefined {
  const branch = branchOf(response);
  return branch ? clientKey(branch, getCSeq(response).method) : undefined;
}

export interface ServerMatch {
  key: string;
  /** RFC 2543 fallback: the caller must also compare To tags (the key leaves them out). */
  rfc2543: boolean;
  toTag: string | undefined;
}

/**
 * §17.2.3 server key. With the magic cookie: branch, sent-by and method, where an ACK matches the
 * INVITE. Without it (RFC 2543 peer): Request-URI, From tag, Call-ID, CSeq number, method and top
 * Via, and the To tag except for INVITE/ACK, whose To tags the caller compares (an ACK carries the
 * tag of our response).
 * `method` overrides the request's (CANCEL looks up the INVITE it cancels, §9.2).
 */
export function serverMatch(request: SipRequest, method = request.method): ServerMatch {
  const m = method === 'ACK' ? 'INVITE' : method;
  const via = getTopVia(request);
  const branch = via.params.get('branch');
  const toTag = tagOf(getTo(request).params);
  if (branch?.startsWith(magicCookie)) {
    const sentBy = `${via.host.toLowerCase()}:${via.port ?? ''}`;
    return { key: `3261|${branch}|${sentBy}|${m}`, rfc2543: false, toTag };
  }
  const fromTag = tagOf(getFrom(request).params) ?? '';
  // The To tag joins the key except for INVITE, whose ACK carries the tag of our response.
  const to = m === 'INVITE' ? '' : (toTag ?? '');
  const key = `2543|${formatUri(request.uri)}|${fromTag}|${to}|${getCallId(request)}|${getCSeq(request).seq}|${m}|${formatVia(via)}`;
  return { key, rfc2543: true, toTag };
}

export function tagOf(params: Map<string, string | null>): string | undefined {
  return params.get('tag') ?? undefined;
}
