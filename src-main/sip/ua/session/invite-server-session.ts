/**
 * The UAS side of an INVITE session (RFC 3261 §13.3): ring (180 creates the early dialog), answer
 * with a 2xx retransmitted until ACK, reject, and CANCEL from the caller (§9.2).
 */
import { createResponse, formatNameAddr, getFrom, parseNameAddr } from '../../message/index.js';
import type { NameAddr, SipRequest } from '../../message/index.js';
import type { InviteServerTransaction, ServerTransaction } from '../../transaction/index.js';
import type { Source } from '../../transport/types.js';
import type { TimerHandle } from '../../../util/clock.js';
import { Dialog } from '../../dialog/dialog.js';
import { InviteSession, type EndCause, type SessionHost, type SessionMedia } from './invite-session.js';
import { negotiateAsUas } from './session-timer.js';
import { isMediaRefusal, notAcceptableHere } from './media-refusal.js';

/** Longest an incoming call rings without an answer or a CANCEL, seconds. */
export const maxRingSeconds = 300;

export class InviteServerSession extends InviteSession {
  /** The discriminant of the two session kinds: we are the INVITE's server. */
  declare readonly direction: 'incoming';
  private readonly localTag: string;
  private answered = false;
  private readonly ringTimer: TimerHandle;
  readonly remoteOffer: string | undefined;
  /**
   * Set by the user agent: the call came from the account's registrar or proxy and the account
   * allows auto-answer requests, so its Call-Info answer-after / Answer-Mode may be honoured.
   */
  autoAnswerAllowed = false;

  constructor(
    id: string,
    host: SessionHost,
    media: SessionMedia,
    readonly request: SipRequest,
    private readonly tx: InviteServerTransaction,
    readonly source: Source,
  ) {
    super(id, 'incoming', host, media, 'ringing');
    this.localTag = host.ctx.random.token(64);
    this.remoteOffer = request.body.length > 0 ? request.body.toString('utf8') : undefined;
    // §17.2.4: our responses cannot reach the caller (e.g. its connection closed).
    tx.onTransportError = () => this.transportFailed();
    for (const m of request.headers.getAll('Allow')) this.peerAllow.add(m.trim().toUpperCase());
    // §13.3.1: an INVITE's Expires ends the ringing with 487; without one, a caller that vanished
    // without CANCEL must not leave a ghost call ringing for ever (480 after maxRingSeconds).
    const expires = Number(request.headers.get('Expires'));
    const byCaller = Number.isInteger(expires) && expires > 0 && expires < maxRingSeconds;
    this.ringTimer = host.clock.setTimeout(() => {
      if (this.answered || this.state === 'ended') return;
      this.tx.respond(createResponse(this.request, byCaller ? 487 : 480, undefined, { toTag: this.localTag }));
      this.end({ cause: 'timeout', status: byCaller ? 487 : 480 });
    }, (byCaller ? expires : maxRingSeconds) * 1000);
  }

  protected override end(cause: EndCause): void {
    this.host.clock.clearTimeout(this.ringTimer);
    // §15.1.2: a BYE in the early dialog ends the call, but the INVITE still needs its final
    // response (487); without one its server transaction would stay in Proceeding for ever.
    if (cause.cause === 'remote-hangup' && !this.answered && this.state !== 'ended') {
      this.tx.respond(createResponse(this.request, 487, undefined, { toTag: this.localTag }));
    }
    super.end(cause);
  }

  get remoteIdentity(): NameAddr {
    return getFrom(this.request);
  }

  /** The transport the INVITE arrived over. */
  override get signallingProtocol(): Source['protocol'] {
    return this.source.protocol;
  }

  /** 180 Ringing with our tag: the early dialog exists from here (§12.1.1). */
  ring(): void {
    if (this.state === 'ended' || this.answered) return;
    // An offer we could never answer is refused at once (488 with a Warning) instead of ringing.
    const refusal = this.remoteOffer !== undefined ? this.media.checkOffer?.(this.remoteOffer) : undefined;
    if (refusal) {
      this.tx.respond(notAcceptableHere(this.request, refusal, this.warnAgent, this.localTag));
      this.end({ cause: 'unacceptable-media', status: 488, reason: refusal.text });
      return;
    }
    this.ensureDialog(false);
    this.tx.respond(this.response(180));
  }

  /** 200 OK with our SDP (an answer to their offer, or our offer when the INVITE had none). */
  answer(): void {
    if (this.state === 'ended' || this.answered) return;
    const body = this.remoteOffer === undefined ? this.media.createOffer() : this.media.createAnswer(this.remoteOffer);
    if (body === undefined || isMediaRefusal(body)) {
      this.tx.respond(notAcceptableHere(this.request, body, this.warnAgent, this.localTag));
      this.end({ cause: 'unacceptable-media', status: 488, ...(body ? { reason: body.text } : {}) });
      return;
    }
    this.answered = true;
    const dialog = this.ensureDialog(true);
    dialog.state = 'confirmed';
    const ok = this.response(200);
    ok.headers.append('Allow', this.host.allow);
    // The UA answered 422 to a too-small Session-Expires before the call rang.
    this.sessionTimer.answer(ok, negotiateAsUas(this.request, undefined));
    ok.headers.append('Content-Type', 'application/sdp');
    ok.body = Buffer.from(body, 'utf8');
    this.answerInvite(this.request, this.tx as ServerTransaction, ok, () => this.setState('confirmed'));
  }

  /** Final non-2xx (486 Busy Here, 603 Decline, ...). */
  reject(status = 486, reason?: string): void {
    this.refuse(status, reason, { cause: rejectCause(status), status });
  }

  /** A final non-2xx for a reason of ours the status alone does not tell (e.g. no media socket). */
  refuse(status: number, reason: string | undefined, cause: EndCause): void {
    if (this.state === 'ended' || this.answered) return;
    this.tx.respond(createResponse(this.request, status, reason, { toTag: this.localTag }));
    this.end(cause);
  }

  /**
   * Redirect the caller (call forwarding): a final 3xx with Contacts (RFC 3261 §8.3, §21.3.3).
   * Each contact is a URI or a name-addr; throws SipParseError for one that is neither.
   */
  redirect(contacts: string[], status = 302): void {
    if (this.state === 'ended' || this.answered) return;
    if (status < 300 || status > 399) throw new RangeError(`redirect status ${status} is not 3xx`);
    const values = contacts.map((c) => formatNameAddr(parseNameAddr(c.trim().startsWith('<') || c.includes('"') ? c : `<${c.trim()}>`, 'Contact')));
    const r = createResponse(this.request, status, undefined, { toTag: this.localTag });
    for (const v of values) r.headers.append('Contact', v);
    this.tx.respond(r);
    this.end({ cause: 'redirected', status });
  }

  hangup(): void {
    if (this.state === 'ended') return;
    if (this.answered && this.dialog) this.sendBye({ cause: 'local-hangup' });
    else this.reject(603, 'Decline');
  }

  /** §9.2: CANCEL before our final response ends the call with 487 to the INVITE. */
  cancelled(cancel?: SipRequest): void {
    if (this.answered || this.state === 'ended') return;
    this.tx.respond(createResponse(this.request, 487, undefined, { toTag: this.localTag }));
    // RFC 3326 + RFC 3261 §9.1: "Reason: SIP;cause=200" means another device of ours answered.
    const elsewhere = cancel?.headers.getAll('Reason').some((r) => /^\s*SIP\s*;(?:.*;)?\s*cause\s*=\s*200\b/i.test(r));
    this.end({ cause: elsewhere ? 'answered-elsewhere' : 'cancelled' });
  }

  /** The transport failed before we answered: nobody is there to talk to. */
  private transportFailed(): void {
    if (!this.answered) this.end({ cause: 'transport-error' });
  }

  private ensureDialog(confirmed: boolean): Dialog {
    if (!this.dialog) {
      this.dialog = Dialog.asUas(this.request, this.localTag, confirmed);
      this.host.addDialog(this.dialog, this);
    }
    return this.dialog;
  }

  private response(status: number) {
    const r = createResponse(this.request, status, undefined, { toTag: this.localTag, copyRecordRoute: true });
    r.headers.append('Contact', formatNameAddr(this.host.contact()));
    r.headers.append('User-Agent', this.host.userAgent);
    return r;
  }
}

function rejectCause(status: number): EndCause['cause'] {
  if (status === 486 || status === 600) return 'busy';
  if (status === 603) return 'declined';
  if (status === 488 || status === 606) return 'unacceptable-media';
  return 'rejected';
}
