/**
 * The UAC side of an INVITE session (RFC 3261 §13.2): provisional responses and early dialogs,
 * forked 2xx (§13.2.2.4: ACK and BYE every extra dialog), ACK for 2xx, 3xx redirection, digest
 * retries, and CANCEL (§9.1: only after a provisional response).
 */
import { formatNameAddr, getCSeq, getContacts, getTo, Headers } from '../../message/index.js';
import type { NameAddr, SipRequest, SipResponse, SipUri } from '../../message/index.js';
import { Dialog } from '../../dialog/dialog.js';
import { InviteSession, type EndCause, type SessionHost, type SessionMedia } from './invite-session.js';
import { OutgoingRequest } from '../core/outgoing-request.js';
import type { TimerHandle } from '../../../util/clock.js';
import { sendAckFor2xx } from './ack.js';
import { sessionSupported } from '../core/capabilities.js';
import { addUacHeaders, defaultSessionExpires, minSessionExpires, retryAfter422 } from './session-timer.js';
import type { MediaRefusal } from './media-refusal.js';

export interface InviteClientSessionOptions {
  target: SipUri;
  from: NameAddr;
  outboundProxy?: SipUri;
  /**
   * Where the INVITE goes first when there is no outbound proxy: the account's server (no Route
   * header; it routes on the Request-URI). Also used for 3xx targets. Default: the target itself.
   */
  firstHop?: SipUri;
  /** Extra headers for the INVITE (e.g. Call-Info). */
  headers?: Array<[string, string]>;
}

const maxRedirects = 5;
const max422Retries = 2;

/**
 * §19.1.5 lets a URI carry headers for the request it makes; §19.1.5 also warns about honouring
 * them. A target URI comes from whoever sent a Refer-To or a 3xx Contact, so only Replaces
 * (RFC 3891 §6.1, attended transfer and pickup) becomes a header; everything else is dropped.
 */
const allowedUriHeaders = new Set(['replaces']);

export class InviteClientSession extends InviteSession {
  /** The discriminant of the two session kinds: we are the INVITE's client. */
  declare readonly direction: 'outgoing';
  private invite!: SipRequest;
  private outgoing: OutgoingRequest | undefined;
  private readonly earlyDialogs = new Map<string, Dialog>();
  private gotProvisional = false;
  private cancelRequested = false;
  private cancelTimer: TimerHandle | undefined;
  private redirects = 0;
  private sessionExpires = defaultSessionExpires;
  private retries422 = 0;
  /** The last answer (early or final) was unusable: once a 2xx confirms it, ACK and BYE. */
  private answerRefusal: MediaRefusal | undefined;
  private lastTarget!: SipUri;
  readonly callId: string;
  private readonly fromTag: string;

  constructor(id: string, host: SessionHost, media: SessionMedia, private readonly options: InviteClientSessionOptions) {
    super(id, 'outgoing', host, media, 'calling');
    this.callId = host.ctx.random.token(120);
    this.fromTag = host.ctx.random.token(64);
  }

  get remoteIdentity(): NameAddr {
    return { uri: { ...this.options.target, headers: new Map() }, params: new Map() };
  }

  start(): void {
    this.sendInvite(this.options.target, 1);
  }

  private sendInvite(uriWithHeaders: SipUri, seq: number): void {
    // §19.1.5: headers in the target URI (e.g. Replaces from a Refer-To) go into the request.
    this.lastTarget = uriWithHeaders;
    const target: SipUri = { ...uriWithHeaders, headers: new Map() };
    const h = new Headers();
    h.append('Max-Forwards', '70');
    h.append('From', `${formatNameAddr(this.options.from)};tag=${this.fromTag}`);
    h.append('To', formatNameAddr({ uri: target, params: new Map() }));
    h.append('Call-ID', this.callId);
    h.append('CSeq', `${seq} INVITE`);
    if (this.options.outboundProxy) {
      const route: SipUri = { ...this.options.outboundProxy, params: new Map(this.options.outboundProxy.params).set('lr', null) };
      h.append('Route', formatNameAddr({ uri: route, params: new Map() }));
    }
    h.append('Contact', formatNameAddr(this.host.contact()));
    h.append('Allow', this.host.allow);
    h.append('Supported', sessionSupported);
    // RFC 4028 §7.1: ask for a session timer; the UAS picks the refresher.
    addUacHeaders(h, this.sessionExpires, undefined, this.retries422 > 0 ? this.sessionExpires : minSessionExpires);
    h.append('User-Agent', this.host.userAgent);
    for (const [name, value] of uriWithHeaders.headers) {
      if (value !== null && allowedUriHeaders.has(name.toLowerCase())) h.append(name, value);
    }
    for (const [name, value] of this.options.headers ?? []) h.append(name, value);
    h.append('Content-Type', 'application/sdp');
    this.invite = { kind: 'request', method: 'INVITE', uri: target, headers: h, body: Buffer.from(this.media.createOffer(), 'utf8') };
    this.outgoing = new OutgoingRequest(this.host.ctx, this.invite, {
      nextHop: this.options.outboundProxy ?? this.options.firstHop ?? target,
      protocol: this.host.protocol,
      auth: this.host.auth,
    }, {
      onProvisional: (r, req) => this.onProvisional(r, req),
      onFinal: (r, req) => this.onFinal(r, req),
      onFailure: (reason, detail) => this.end({ cause: reason, reason: detail }),
    });
    void this.outgoing.start();
  }

  private onProvisional(response: SipResponse, request: SipRequest): void {
    this.invite = request;
    this.gotProvisional = true;
    if (this.cancelRequested) {
      this.sendCancel();
      return;
    }
    if (response.status === 100) return;
    const tag = getTo(response).params.get('tag');
    if (tag && getContacts(response).contacts.length > 0 && !this.earlyDialogs.has(tag)) {
      const dialog = Dialog.asUac(request, response);
      this.earlyDialogs.set(tag, dialog);
      this.host.addDialog(dialog, this);
    }
    // RFC 3261 §13.2.1 (no 100rel): SDP in a provisional is the answer, used for early media.
    if (response.body.length > 0) this.answerRefusal = this.media.setAnswer(response.body.toString('utf8')) ?? undefined;
    this.setState(response.body.length > 0 && !this.answerRefusal ? 'early' : 'ringing');
  }

  private onFinal(response: SipResponse, request: SipRequest): void {
    this.invite = request;
    if (response.status >= 300) {
      this.onFailureResponse(response);
      return;
    }
    const tag = getTo(response).params.get('tag') ?? '';
    if (this.dialog) {
      // A retransmitted 2xx gets the ACK again; a 2xx from another fork is ACKed then released.
      if (this.dialog.remoteTag === tag) this.sendAck(this.dialog);
      else this.releaseFork(request, response);
      return;
    }
    let dialog = this.earlyDialogs.get(tag);
    if (dialog) dialog.confirm(response);
    else {
      dialog = Dialog.asUac(request, response);
      this.host.addDialog(dialog, this);
    }
    this.earlyDialogs.delete(tag);
    for (const early of this.earlyDialogs.values()) this.host.removeDialog(early);
    this.earlyDialogs.clear();
    this.dialog = dialog;
    this.host.clock.clearTimeout(this.cancelTimer);
    this.sendAck(dialog);
    for (const m of response.headers.getAll('Allow')) this.peerAllow.add(m.trim().toUpperCase());
    this.sessionTimer.onSuccessfulRefresh(response, true);
    if (response.body.length > 0) this.answerRefusal = this.media.setAnswer(response.body.toString('utf8')) ?? undefined;
    if (this.cancelRequested) {
      this.sendBye({ cause: 'cancelled' });
      return;
    }
    if (this.answerRefusal) {
      this.endForAnswer(this.answerRefusal);
      return;
    }
    this.setState('confirmed');
    // A network change renewed the media while the call was not answered. Without 100rel no offer
    // could go before the 2xx (RFC 3311 §5.1: UPDATE with an offer needs a reliable early answer;
    // RFC 3261 §14.1: no re-INVITE while the INVITE is pending): it goes now, with our new Contact.
    if (this.media.pendingRenewal?.()) void this.refreshTarget();
  }

  /** A 2xx from a stray retransmission reaching the UA after the transaction ended (RFC 6026). */
  onStray2xx(response: SipResponse): void {
    if (this.dialog && getTo(response).params.get('tag') === this.dialog.remoteTag) this.sendAck(this.dialog);
    else if (this.state !== 'ended') this.releaseFork(this.invite, response);
  }

  private releaseFork(request: SipRequest, response: SipResponse): void {
    const fork = Dialog.asUac(request, response);
    this.sendAck(fork);
    const bye = fork.createRequest('BYE', fork.nextSeq(() => 1), this.host.contact());
    void new OutgoingRequest(this.host.ctx, bye, { nextHop: fork.nextHop(), protocol: this.host.protocol }, {
      onFinal: () => {}, onFailure: () => {},
    }).start();
  }

  private onFailureResponse(response: SipResponse): void {
    // RFC 4028 §7.2: 422 Session Interval Too Small → retry with the peer's Min-SE.
    const bigger = response.status === 422 ? retryAfter422(this.invite, response) : undefined;
    if (bigger !== undefined && this.retries422 < max422Retries && !this.cancelRequested) {
      this.retries422++;
      this.sessionExpires = bigger;
      this.sendInvite(this.lastTarget, getCSeq(this.invite).seq + 1);
      return;
    }
    if (response.status >= 300 && response.status < 400 && this.redirects < maxRedirects && !this.cancelRequested) {
      const next = getContacts(response).contacts[0];
      if (next && (next.uri.scheme === 'sip' || next.uri.scheme === 'sips')) {
        this.redirects++;
        this.sendInvite(next.uri, getCSeq(this.invite).seq + 1);
        return;
      }
    }
    this.end(causeOf(response, this.cancelRequested));
  }

  /** §17.1.1.3 covers non-2xx; this is the 2xx ACK of §13.2.2.4, a new transaction each time. */
  private sendAck(dialog: Dialog): void {
    sendAckFor2xx(this.host, dialog, this.invite);
  }

  hangup(): void {
    if (this.state === 'ended') return;
    if (this.dialog && this.state === 'confirmed') {
      this.sendBye({ cause: 'local-hangup' });
      return;
    }
    this.cancelRequested = true;
    if (this.gotProvisional) this.sendCancel();
  }

  /** §9.1: same Request-URI, Call-ID, To, From, CSeq number and top Via as the INVITE. */
  private sendCancel(): void {
    if (this.cancelTimer || !this.outgoing?.destination) return;
    const h = new Headers();
    h.append('Via', this.invite.headers.get('Via')!);
    for (const route of this.invite.headers.getAll('Route')) h.append('Route', route);
    h.append('Max-Forwards', '70');
    for (const name of ['From', 'To', 'Call-ID']) h.append(name, this.invite.headers.get(name)!);
    h.append('CSeq', `${getCSeq(this.invite).seq} CANCEL`);
    h.append('User-Agent', this.host.userAgent);
    const cancel: SipRequest = { kind: 'request', method: 'CANCEL', uri: this.invite.uri, headers: h, body: Buffer.alloc(0) };
    this.host.ctx.transactions.sendRequest(cancel, this.outgoing.destination, { onResponse: () => {}, onTimeout: () => {}, onTransportError: () => {} });
    // §9.1: no final response within 64*T1 of the CANCEL: consider the INVITE cancelled.
    this.cancelTimer = this.host.clock.setTimeout(() => {
      this.outgoing?.abandon();
      this.end({ cause: 'cancelled' });
    }, 64 * this.host.t1);
  }

  protected override end(cause: EndCause): void {
    this.host.clock.clearTimeout(this.cancelTimer);
    for (const early of this.earlyDialogs.values()) this.host.removeDialog(early);
    this.earlyDialogs.clear();
    super.end(cause);
  }
}

export function causeOf(response: SipResponse, cancelled: boolean): EndCause {
  const base = { status: response.status, reason: response.reason };
  if (response.status === 487 && cancelled) return { cause: 'cancelled', ...base };
  if (response.status === 486 || response.status === 600) return { cause: 'busy', ...base };
  if (response.status === 603) return { cause: 'declined', ...base };
  if (response.status === 404 || response.status === 604) return { cause: 'not-found', ...base };
  if (response.status === 401 || response.status === 407) return { cause: 'auth-failed', ...base };
  if (response.status === 408) return { cause: 'timeout', ...base };
  if (response.status === 488 || response.status === 606) return { cause: 'unacceptable-media', ...base };
  return { cause: 'rejected', ...base };
}
