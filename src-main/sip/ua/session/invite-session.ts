/**
 * What both sides of an INVITE session share once a dialog exists (RFC 3261 §12–§15, RFC 3311):
 * in-dialog requests, BYE in both directions, re-INVITE/UPDATE in both directions (§14, glare),
 * REFER both ways (RFC 3515), session timers (RFC 4028), and the end of the session with a cause.
 *
 *   calling ─1xx─► ringing / early ─2xx─► confirmed ─BYE─► ended      (outgoing)
 *   ringing ─answer()─► confirmed (after ACK) ─BYE─► ended            (incoming)
 *   any state ─CANCEL / reject / failure─► ended
 */
import { EventEmitter } from 'node:events';
import { createResponse, formatNameAddr, formatUri, getCSeq, Headers } from '../../message/index.js';
import type { NameAddr, SipRequest, SipResponse } from '../../message/index.js';
import type { ServerTransaction } from '../../transaction/index.js';
import type { Clock } from '../../../util/clock.js';
import type { TransportProtocol } from '../../transport/types.js';
import type { DigestClient } from '../../message/digest.js';
import { Dialog } from '../../dialog/dialog.js';
import { OutgoingRequest, type RequestContext } from '../core/outgoing-request.js';
import { sendAckFor2xx } from './ack.js';
import { AnswerRetransmitter } from './answer-retransmit.js';
import { sessionSupported } from '../core/capabilities.js';
import type { IncomingRefer } from '../refer/incoming-refer.js';
import type { ReferClient } from '../refer/refer-client.js';
import { ReferSubscriptions } from '../refer/refer.js';
import { sendOffer, type OfferPort, type ReinviteResult } from './reinvite.js';
import { isMediaRefusal, notAcceptableHere, type MediaRefusal } from './media-refusal.js';
import { addUacHeaders, intervalTooSmall, negotiateAsUas, SessionTimer } from './session-timer.js';

export type { ReinviteResult } from './reinvite.js';
export type { MediaRefusal } from './media-refusal.js';

export type SessionState = 'calling' | 'ringing' | 'early' | 'confirmed' | 'ended';

/** Why a session ended, machine-readable plus the SIP status when one caused it. */
export interface EndCause {
  cause:
    | 'local-hangup' | 'remote-hangup' | 'cancelled' | 'busy' | 'declined' | 'not-found' | 'rejected'
    | 'timeout' | 'transport-error' | 'no-ack' | 'auth-failed' | 'unacceptable-media' | 'answered-elsewhere'
    | 'redirected' | 'media-failure';
  status?: number;
  reason?: string;
}

/** RFC 3264 offer/answer, provided by the host (the media engine in the app). */
export interface SessionMedia {
  createOffer(): string;
  /** An answer to the peer's offer, or why nothing in it is acceptable (488, with a Warning when known). */
  createAnswer(offer: string): string | MediaRefusal | undefined;
  /** Whether an offer could be answered, without applying it (an unacceptable INVITE never rings). */
  checkOffer?(offer: string): MediaRefusal | undefined;
  /** A refusal means the answer is unusable: the session ends with cause unacceptable-media. */
  setAnswer(answer: string): MediaRefusal | void;
  /**
   * A network change renewed the media (new addresses, an ICE restart) and its new offer is due:
   * settles when the media is ready, so the target refresh waits for it and carries the offer.
   */
  pendingRenewal?(): Promise<void> | undefined;
  /**
   * The peer refused the offer that carried a renewal: true when the media can stay as it was;
   * false ends the call (cause media-failure), as its old path is gone.
   */
  renewalRefused?(status: number, reason: string): boolean;
}

/** What a session needs from its user agent. */
export interface SessionHost {
  ctx: RequestContext;
  clock: Clock;
  t1: number;
  t2: number;
  auth: DigestClient;
  userAgent: string;
  protocol: TransportProtocol;
  contact(): NameAddr;
  allow: string;
  addDialog(dialog: Dialog, session: InviteSession): void;
  removeDialog(dialog: Dialog): void;
}

export interface InviteSessionEvents {
  state: [SessionState];
  ended: [EndCause];
  /** An INFO request in the dialog (RFC 6086), e.g. application/dtmf-relay. */
  info: [contentType: string, body: string];
  /** A REFER in the dialog (RFC 3515 §2.4): the host accepts or rejects it and reports progress. */
  refer: [refer: IncomingRefer];
}

export abstract class InviteSession extends EventEmitter<InviteSessionEvents> {
  state: SessionState;
  dialog: Dialog | undefined;
  endCause: EndCause | undefined;
  /** Our 2xx to an INVITE awaiting its ACK (§13.3.1.4); while pending, a re-INVITE gets 500 (§14.2). */
  private readonly answers: AnswerRetransmitter;
  /** A re-INVITE we sent and that has no final response yet (§14.1 glare → 491). */
  protected outgoingReinvite = false;
  /** A REFER we sent and that has no final response yet: our next re-INVITE or REFER waits for it. */
  private outgoingRefer = false;
  /** RFC 4028 session timer (off until a 2xx negotiates one). */
  protected readonly sessionTimer: SessionTimer;
  /** Methods the peer allows (its Allow in the dialog-creating INVITE or 2xx). */
  protected peerAllow = new Set<string>();
  private readonly refers: ReferSubscriptions;

  protected constructor(
    readonly id: string,
    readonly direction: 'outgoing' | 'incoming',
    protected readonly host: SessionHost,
    protected media: SessionMedia,
    initial: SessionState,
  ) {
    super();
    this.state = initial;
    this.answers = new AnswerRetransmitter(host.clock, host.t1, host.t2);
    this.sessionTimer = new SessionTimer(host.clock, {
      refresh: () => void this.refreshSession(),
      // RFC 4028 §10: no refresh from the refresher in time: BYE.
      expire: () => this.sendBye({ cause: 'timeout', reason: 'session timer expired' }),
    });
    this.refers = new ReferSubscriptions({
      clock: host.clock,
      random: host.ctx.random,
      ownsCallId: direction === 'outgoing',
      canSend: () => this.state === 'confirmed' && !!this.dialog,
      busy: () => this.outgoingReinvite || this.outgoingRefer,
      setPending: (pending) => { this.outgoingRefer = pending; },
      send: (method, headers, onFinal) => getCSeq(this.sendInDialog(this.dialog!, method, { onFinal }, undefined, headers).request).seq,
      sendNotify: (headers, body, done) => {
        if (this.dialog && this.state !== 'ended') this.sendInDialog(this.dialog, 'NOTIFY', { onFinal: done }, body, headers);
        else done();
      },
      offer: (refer) => this.emit('refer', refer),
      hasListener: () => this.listenerCount('refer') > 0,
    });
  }

  abstract get remoteIdentity(): NameAddr;

  /** The transport the session's signalling uses (SDES keys are only as secret as it is). */
  get signallingProtocol(): TransportProtocol {
    return this.host.protocol;
  }

  /** The host attaches the offer/answer provider (for incoming calls, before ring/answer). */
  setMedia(media: SessionMedia): void {
    this.media = media;
  }

  /** Hang up in whatever way the state allows: CANCEL, reject, or BYE. */
  abstract hangup(): void;

  protected setState(state: SessionState): void {
    if (this.state === state || this.state === 'ended') return;
    this.state = state;
    this.emit('state', state);
  }

  protected end(cause: EndCause): void {
    if (this.state === 'ended') return;
    this.endCause = cause;
    this.sessionTimer.stop();
    this.answers.stop();
    if (this.dialog) {
      this.dialog.state = 'terminated';
      this.host.removeDialog(this.dialog);
    }
    this.state = 'ended';
    this.emit('state', 'ended');
    this.emit('ended', cause);
    this.refers.dialogEnded();
  }

  /** Send BYE (§15.1.1) and end the session now; the BYE's outcome does not matter to the user. */
  protected sendBye(cause: EndCause): void {
    const dialog = this.dialog;
    this.end(cause);
    if (!dialog) return;
    this.sendInDialog(dialog, 'BYE', {});
  }

  protected sendInDialog(dialog: Dialog, method: string, handler: { onFinal?(r: SipResponse, request: SipRequest): void },
    body?: { contentType: string; text: string }, headers: Array<[string, string]> = []): OutgoingRequest {
    const request = dialog.createRequest(method, dialog.nextSeq(() => this.host.ctx.random.int(2 ** 31 - 1)), this.host.contact());
    request.headers.append('User-Agent', this.host.userAgent);
    for (const [name, value] of headers) request.headers.append(name, value);
    if (body) {
      request.headers.append('Content-Type', body.contentType);
      request.body = Buffer.from(body.text, 'utf8');
    }
    const outgoing = new OutgoingRequest(this.host.ctx, request, {
      nextHop: dialog.nextHop(),
      protocol: this.host.protocol,
      auth: this.host.auth,
      nextSeq: () => dialog.nextSeq(() => 1),
    }, {
      onFinal: (r, req) => {
        dialog.refreshFromResponse(method, r);
        handler.onFinal?.(r, req);
      },
      onFailure: () => handler.onFinal?.({ kind: 'response', status: 408, reason: 'Request Timeout', headers: new Headers(), body: Buffer.alloc(0) }, outgoing.request),
    });
    void outgoing.start();
    return outgoing;
  }

  /** An in-dialog request from the peer (the UA already matched the dialog). */
  receiveInDialog(request: SipRequest, tx: ServerTransaction | undefined): void {
    const dialog = this.dialog!;
    if (request.method === 'ACK') {
      this.onAck(request);
      return;
    }
    if (!tx) return;
    if (!dialog.receiveRequest(request)) {
      tx.respond(createResponse(request, 500, 'CSeq Out of Order'));
      return;
    }
    switch (request.method) {
      case 'BYE':
        tx.respond(createResponse(request, 200));
        this.end({ cause: 'remote-hangup' });
        return;
      case 'INVITE':
      case 'UPDATE':
        this.onOfferRequest(request, tx);
        return;
      case 'REFER':
        this.refers.onRefer(request, tx);
        return;
      case 'NOTIFY':
        this.refers.onNotify(request, tx);
        return;
      case 'OPTIONS':
      case 'INFO': {
        const ok = createResponse(request, 200);
        if (request.method === 'OPTIONS') ok.headers.append('Allow', this.host.allow);
        tx.respond(ok);
        if (request.method === 'INFO' && request.body.length > 0) {
          this.emit('info', request.headers.get('Content-Type') ?? '', request.body.toString('utf8'));
        }
        return;
      }
      default: {
        const r = createResponse(request, 501);
        r.headers.append('Allow', this.host.allow);
        tx.respond(r);
      }
    }
  }

  /** Send an INFO in the confirmed dialog (RFC 6086), e.g. DTMF as application/dtmf-relay. */
  sendInfo(contentType: string, body: string): void {
    if (!this.dialog || this.state !== 'confirmed') return;
    this.sendInDialog(this.dialog, 'INFO', {
      // RFC 5057 §5.2: INFO belongs to the INVITE usage; a 408/481 to it ends the session.
      onFinal: (r) => { if (r.status === 408 || r.status === 481) this.endForFailedRequest(r.status, r.reason); },
    }, { contentType, text: body });
  }

  /**
   * Send a re-INVITE with a new offer from the media (RFC 3261 §14.1, RFC 3264 §8): the host sets
   * its media (e.g. sendonly for hold) first. On failure the session stays as it was.
   */
  reinvite(): Promise<ReinviteResult> {
    return sendOffer(this.offerPort(), 'INVITE');
  }

  /**
   * Our Contact changed (network change, recovered flow): RFC 3261 §12.2.1.1 target refresh, as a
   * bodiless UPDATE when the peer allows it (RFC 3311 §5.1), else a re-INVITE with our current offer.
   * When the media was renewed too (new addresses, ICE restart), once it is ready the refresh
   * carries its new offer (RFC 3264 §8, RFC 8839 §4.4.1.1.1): in an UPDATE when allowed, else a re-INVITE.
   */
  async refreshTarget(): Promise<ReinviteResult> {
    const renewal = this.media.pendingRenewal?.();
    if (!renewal) return this.peerAllow.has('UPDATE') ? sendOffer(this.offerPort(), 'UPDATE', false) : this.reinvite();
    await renewal;
    const result = await (this.peerAllow.has('UPDATE') ? this.update() : this.reinvite());
    // RFC 3261 §14.1: a refused offer leaves the session as it was; on a path that is gone, that is a dead call.
    if (!result.ok && this.state === 'confirmed' && !this.media.renewalRefused?.(result.status, result.reason)) {
      this.sendBye({ cause: 'media-failure', status: result.status, reason: `new media offer refused after a network change: ${result.status} ${result.reason}` });
    }
    return result;
  }

  /** The same with UPDATE (RFC 3311 §5.1), for peers that allow it. */
  update(): Promise<ReinviteResult> {
    return sendOffer(this.offerPort(), 'UPDATE');
  }

  /** REFER the peer to `referTo`, a full Refer-To value (RFC 3515; RFC 5589 transfers). */
  refer(referTo: string, opts: { referredBy?: string } = {}): ReferClient {
    const me = this.dialog ? `<${formatUri(this.dialog.localUri.uri)}>` : undefined;
    return this.refers.refer(referTo, opts.referredBy ?? me);
  }

  /** RFC 4028 §7.4: refresh with a bodiless UPDATE when the peer allows it, else a re-INVITE. */
  private async refreshSession(): Promise<void> {
    const result = this.peerAllow.has('UPDATE') ? await sendOffer(this.offerPort(), 'UPDATE', false) : await this.reinvite();
    if (!result.ok && this.state === 'confirmed') this.sendBye({ cause: 'timeout', status: result.status, reason: 'session refresh failed' });
  }

  private offerPort(): OfferPort {
    return {
      clock: this.host.clock,
      random: this.host.ctx.random,
      ownsCallId: this.direction === 'outgoing',
      canSend: () => this.state === 'confirmed' && !!this.dialog,
      busy: () => this.outgoingReinvite || this.outgoingRefer || !!this.answers.pending,
      createOffer: () => this.media.createOffer(),
      send: (method, offer, onFinal) => {
        const h = new Headers();
        h.append('Supported', sessionSupported);
        // RFC 4028 §7.4: every re-INVITE / UPDATE refreshes the session; keep the current roles.
        if (this.sessionTimer.interval !== undefined) addUacHeaders(h, this.sessionTimer.interval, this.sessionTimer.refresherForOurRequest());
        if (method === 'INVITE') h.append('Allow', this.host.allow);
        this.sendInDialog(this.dialog!, method, { onFinal }, offer === undefined ? undefined : { contentType: 'application/sdp', text: offer },
          [...h].map((f): [string, string] => [f.name, f.value]));
      },
      ack: (request) => { if (this.dialog) sendAckFor2xx(this.host, this.dialog, request); },
      setAnswer: (answer) => this.media.setAnswer(answer),
      unacceptable: (refusal) => this.endForAnswer(refusal),
      setPending: (pending) => { this.outgoingReinvite = pending; },
      succeeded: (response) => this.sessionTimer.onSuccessfulRefresh(response, true),
      terminate: (status, reason) => this.endForFailedRequest(status, reason),
    };
  }

  /**
   * §12.2.1.2: "If the response for a request within a dialog is a 481 or a 408 (Request Timeout),
   * the UAC SHOULD terminate the dialog" — 408 (or no response: Timer B/F) ends it as a timeout.
   */
  private endForFailedRequest(status: number, reason: string): void {
    if (this.state === 'ended') return;
    this.sendBye({ cause: status === 408 ? 'timeout' : 'rejected', status, reason });
  }

  /** The warn-agent of our Warning headers (RFC 3261 §20.43): the host in our Contact. */
  protected get warnAgent(): string {
    return this.host.contact().uri.host;
  }

  /** The peer's answer is unusable (ACK already sent): BYE, cause unacceptable-media. */
  protected endForAnswer(refusal: MediaRefusal): void {
    if (this.state === 'ended') return;
    this.sendBye({ cause: 'unacceptable-media', status: 488, reason: refusal.text });
  }

  /** An ACK for a 2xx we sent (initial INVITE or re-INVITE). */
  protected onAck(ack: SipRequest): void {
    this.answers.ack(ack);
  }

  /** Re-INVITE or UPDATE from the peer (RFC 3261 §14.2, RFC 3311 §5.2). */
  private onOfferRequest(request: SipRequest, tx: ServerTransaction): void {
    if (this.outgoingReinvite) {
      tx.respond(createResponse(request, 491));
      return;
    }
    if (request.method === 'INVITE' && this.answers.pending) {
      const busy = createResponse(request, 500, 'Server Internal Error');
      busy.headers.append('Retry-After', String(1 + this.host.ctx.random.int(10)));
      tx.respond(busy);
      return;
    }
    const timer = negotiateAsUas(request, this.sessionTimer.interval === undefined ? undefined : { interval: this.sessionTimer.interval });
    if (timer.kind === 'too-small') {
      tx.respond(intervalTooSmall(request));
      return;
    }
    const offer = request.body.length > 0 ? request.body.toString('utf8') : undefined;
    // RFC 4028 §7.4 / RFC 3311: a bodiless UPDATE is a refresh with no offer, answered without one.
    const body = offer === undefined ? (request.method === 'UPDATE' ? '' : this.media.createOffer()) : this.media.createAnswer(offer);
    // RFC 3264 §8 / RFC 3261 §14.2: a refused re-offer leaves the session as it was.
    if (body === undefined || isMediaRefusal(body)) {
      tx.respond(notAcceptableHere(request, body, this.warnAgent));
      return;
    }
    const ok = createResponse(request, 200, undefined, { copyRecordRoute: false });
    ok.headers.append('Contact', formatNameAddr(this.host.contact()));
    ok.headers.append('Allow', this.host.allow);
    this.sessionTimer.answer(ok, timer);
    if (body !== '') {
      ok.headers.append('Content-Type', 'application/sdp');
      ok.body = Buffer.from(body, 'utf8');
    }
    if (request.method === 'INVITE') this.answerInvite(request, tx, ok, () => {});
    else tx.respond(ok);
  }

  /** Send a 2xx to an INVITE, retransmitted until the ACK (§13.3.1.4); no ACK at all: BYE. */
  protected answerInvite(request: SipRequest, tx: ServerTransaction, ok: SipResponse, onAck: (ack: SipRequest) => void): void {
    this.answers.start(request, tx, ok, (ack) => {
      const refusal = ack.body.length > 0 && request.body.length === 0 ? this.media.setAnswer(ack.body.toString('utf8')) : undefined;
      onAck(ack);
      if (refusal) this.endForAnswer(refusal);
    }, () => this.sendBye({ cause: 'no-ack', status: 408, reason: 'no ACK for 2xx' }));
  }
}

/** Until the host attaches media: any offer/answer attempt is a programming error. */
export const noMedia: SessionMedia = {
  createOffer: () => { throw new Error('no media attached to this session'); },
  createAnswer: () => { throw new Error('no media attached to this session'); },
  setAnswer: () => { throw new Error('no media attached to this session'); },
};
