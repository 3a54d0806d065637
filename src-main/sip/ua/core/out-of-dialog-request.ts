/**
 * A request from an account outside any dialog (RFC 3261 §8.1.1): SUBSCRIBE, PUBLISH, MESSAGE.
 * From carries the account's AOR and a new tag; an outbound proxy becomes a preloaded Route
 * (§8.1.2), else a registering account goes through its registrar first; sending goes through
 * OutgoingRequest (RFC 3263 failover, digest challenges §22.2).
 */
import { formatNameAddr, Headers } from '../../message/index.js';
import type { SipRequest, SipUri } from '../../message/index.js';
import { OutgoingRequest, type OutgoingRequestHandler } from './outgoing-request.js';
import type { UsageAccount, UsageHost } from './usage.js';

export interface OutOfDialogFields {
  method: string;
  target: SipUri;
  callId: string;
  fromTag: string;
  seq: number;
  /** Contact for dialog-creating requests (SUBSCRIBE); MESSAGE and PUBLISH have none. */
  contact: boolean;
  headers?: Array<[string, string]>;
  body?: { contentType: string; data: Buffer };
}

export function buildOutOfDialogRequest(host: UsageHost, account: UsageAccount, f: OutOfDialogFields): SipRequest {
  const h = new Headers();
  const from = formatNameAddr({ uri: account.aor, params: new Map(), ...(account.displayName ? { displayName: account.displayName } : {}) });
  const target: SipUri = { ...f.target, headers: new Map() };
  h.append('Max-Forwards', '70');
  h.append('From', `${from};tag=${f.fromTag}`);
  h.append('To', formatNameAddr({ uri: target, params: new Map() }));
  h.append('Call-ID', f.callId);
  h.append('CSeq', `${f.seq} ${f.method}`);
  if (account.outboundProxy) {
    const route: SipUri = { ...account.outboundProxy, params: new Map(account.outboundProxy.params).set('lr', null) };
    h.append('Route', formatNameAddr({ uri: route, params: new Map() }));
  }
  if (f.contact) h.append('Contact', formatNameAddr(account.contact()));
  for (const [name, value] of f.headers ?? []) h.append(name, value);
  h.append('User-Agent', host.userAgent);
  if (f.body) h.append('Content-Type', f.body.contentType);
  return { kind: 'request', method: f.method, uri: target, headers: h, body: f.body?.data ?? Buffer.alloc(0) };
}

/** Send it (with credentials when challenged); `nextSeq` numbers a retry after a challenge. */
export function sendOutOfDialog(host: UsageHost, account: UsageAccount, request: SipRequest, nextSeq: () => number,
  handler: OutgoingRequestHandler): OutgoingRequest {
  const outgoing = new OutgoingRequest(host.ctx, request, {
    nextHop: account.outboundProxy ?? account.firstHop ?? request.uri,
    protocol: account.protocol,
    auth: account.auth,
    nextSeq,
  }, handler);
  void outgoing.start();
  return outgoing;
}
