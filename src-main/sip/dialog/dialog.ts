/**
 * A SIP dialog (RFC 3261 §12): identity, sequence numbers, route set and remote target.
 *
 *   (1xx with To tag) ──► early ──(2xx)──► confirmed ──(BYE / failure)──► terminated
 *   (2xx) ─────────────────────────────────┘
 */
import {
  Headers, formatNameAddr, formatUri, getCallId, getContacts, getCSeq, getFrom, getRecordRoutes, getTo,
} from '../message/index.js';
import type { NameAddr, SipRequest, SipResponse, SipUri } from '../message/index.js';

export type DialogState = 'early' | 'confirmed' | 'terminated';

/** Methods that refresh the remote target (§12.2, RFC 3311 UPDATE, RFC 6665 SUBSCRIBE/NOTIFY). */
const targetRefresh = new Set(['INVITE', 'UPDATE', 'SUBSCRIBE', 'NOTIFY', 'REFER']);

/** Highest initial CSeq (§8.1.1.5: less than 2**31). */
const maxInitialSeq = 2 ** 31 - 1;

export function dialogKey(callId: string, localTag: string, remoteTag: string): string {
  return `${callId}\n${localTag}\n${remoteTag}`;
}

export interface DialogInit {
  callId: string;
  localTag: string;
  remoteTag: string;
  localUri: NameAddr;
  remoteUri: NameAddr;
  remoteTarget: SipUri;
  routeSet: NameAddr[];
  localSeq: number | undefined;
  remoteSeq: number | undefined;
  secure: boolean;
  state: DialogState;
}

export class Dialog {
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
  /** From (UAC) or To (UAS) of the dialog-creating request, without tag. */
  readonly localUri: NameAddr;
  readonly remoteUri: NameAddr;
  remoteTarget: SipUri;
  routeSet: NameAddr[];
  /** Empty (undefined) until we send our first request as UAS (§12.1.1). */
  localSeq: number | undefined;
  remoteSeq: number | undefined;
  readonly secure: boolean;
  state: DialogState;

  constructor(init: DialogInit) {
    this.callId = init.callId;
    this.localTag = init.localTag;
    this.remoteTag = init.remoteTag;
    this.localUri = init.localUri;
    this.remoteUri = init.remoteUri;
    this.remoteTarget = init.remoteTarget;
    this.routeSet = init.routeSet;
    this.localSeq = init.localSeq;
    this.remoteSeq = init.remoteSeq;
    this.secure = init.secure;
    this.state = init.state;
  }

  get key(): string {
    return dialogKey(this.callId, this.localTag, this.remoteTag);
  }

  /** §12.1.2: the UAC side, from our request and a 1xx (with To tag) or 2xx response. */
  static asUac(request: SipRequest, response: SipResponse): Dialog {
    const from = getFrom(request);
    const to = getTo(response);
    const contact = getContacts(response).contacts[0];
    return new Dialog({
      callId: getCallId(request),
      localTag: from.params.get('tag') ?? '',
      remoteTag: to.params.get('tag') ?? '',
      localUri: withoutTag(from),
      remoteUri: withoutTag(to),
      remoteTarget: contact?.uri ?? request.uri,
      routeSet: getRecordRoutes(response).reverse(),
      localSeq: getCSeq(request).seq,
      remoteSeq: undefined,
      secure: request.uri.scheme === 'sips',
      state: response.status >= 200 ? 'confirmed' : 'early',
    });
  }

  /** §12.1.1: the UAS side, from the request and our To tag. */
  static asUas(request: SipRequest, localTag: string, confirmed: boolean): Dialog {
    const from = getFrom(request);
    const contact = getContacts(request).contacts[0];
    return new Dialog({
      callId: getCallId(request),
      localTag,
      remoteTag: from.params.get('tag') ?? '',
      localUri: withoutTag(getTo(request)),
      remoteUri: withoutTag(from),
      remoteTarget: contact?.uri ?? from.uri,
      routeSet: getRecordRoutes(request),
      localSeq: undefined,
      remoteSeq: getCSeq(request).seq,
      secure: request.uri.scheme === 'sips',
      state: confirmed ? 'confirmed' : 'early',
    });
  }

  /** §13.2.2.4: a 2xx confirms an early dialog and recomputes its route set and target. */
  confirm(response: SipResponse): void {
    if (this.state === 'early') {
      this.routeSet = getRecordRoutes(response).reverse();
      const contact = getContacts(response).contacts[0];
      if (contact) this.remoteTarget = contact.uri;
    }
    this.state = 'confirmed';
  }

  /** §12.2.1.2: a 2xx to our target-refresh request replaces the remote target. */
  refreshFromResponse(method: string, response: SipResponse): void {
    if (response.status < 200 || response.status >= 300 || !targetRefresh.has(method)) return;
    const contact = getContacts(response).contacts[0];
    if (contact) this.remoteTarget = contact.uri;
  }

  /**
   * §12.2.2: check an in-dialog request's CSeq and refresh the target.
   * Returns false when the CSeq is lower than the last one (the caller answers 500).
   */
  receiveRequest(request: SipRequest): boolean {
    const seq = getCSeq(request).seq;
    if (request.method !== 'ACK' && request.method !== 'CANCEL') {
      if (this.remoteSeq !== undefined && seq < this.remoteSeq) return false;
      this.remoteSeq = seq;
    }
    if (targetRefresh.has(request.method)) {
      const contact = getContacts(request).contacts[0];
      if (contact) this.remoteTarget = contact.uri;
    }
    return true;
  }

  /** Next local CSeq for a new in-dialog request (§12.2.1.1). */
  nextSeq(initial: () => number): number {
    this.localSeq = this.localSeq === undefined ? 1 + (initial() % maxInitialSeq) : this.localSeq + 1;
    return this.localSeq;
  }

  /**
   * §12.2.1.1: build an in-dialog request. Loose routing puts the remote target in the Request-URI;
   * a strict first route (no ;lr) becomes the Request-URI and the remote target goes last in Route.
   * `seq` is the CSeq number (callers use nextSeq(), or the INVITE's number for ACK).
   */
  createRequest(method: string, seq: number, contact: NameAddr, maxForwards = 70): SipRequest {
    const headers = new Headers();
    headers.append('Max-Forwards', String(maxForwards));
    headers.append('From', formatNameAddr(withTag(this.localUri, this.localTag)));
    headers.append('To', formatNameAddr(withTag(this.remoteUri, this.remoteTag)));
    headers.append('Call-ID', this.callId);
    headers.append('CSeq', `${seq} ${method}`);
    const first = this.routeSet[0];
    let uri = this.remoteTarget;
    if (first && !first.uri.params.has('lr')) {
      uri = first.uri;
      for (const r of this.routeSet.slice(1)) headers.append('Route', formatNameAddr(r));
      headers.append('Route', `<${formatUri(this.remoteTarget)}>`);
    } else {
      for (const r of this.routeSet) headers.append('Route', formatNameAddr(r));
    }
    headers.append('Contact', formatNameAddr(contact));
    return { kind: 'request', method, uri, headers, body: Buffer.alloc(0) };
  }

  /**
   * Where our in-dialog requests go first (§8.1.2): the first URI of the route set — the first
   * Route when it is a loose router, the Request-URI when it is a strict one — else the remote target.
   */
  nextHop(): SipUri {
    return this.routeSet[0]?.uri ?? this.remoteTarget;
  }
}

function withoutTag(value: NameAddr): NameAddr {
  const params = new Map(value.params);
  params.delete('tag');
  return { ...value, params };
}

export function withTag(value: NameAddr, tag: string): NameAddr {
  const params = new Map(value.params);
  if (tag) params.set('tag', tag);
  return { ...value, params };
}

