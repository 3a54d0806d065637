/**
 * A REFER received in a dialog (RFC 3515 §2.4): the host decides (accept → 202 and the first
 * NOTIFY "100 Trying"; reject), then reports the new call's progress with NOTIFYs (§2.4.5).
 *
 *   pending ──accept()──► active ──notify(≥200)──► terminated
 *   pending ──reject()──► rejected
 *
 * One NOTIFY in flight at a time: the next waits for the previous one's final response (or its
 * timeout), in order (at most a few: 100, 180, the final one, after which nothing is added).
 * Sent back to back, NOTIFYs can arrive reordered and be refused "500 CSeq Out of Order" (RFC 3261
 * §12.2.2), and a peer that takes one transaction at a time misses them (issue 16).
 */
import { createResponse, getCSeq, parseNameAddr, SipParseError } from '../../message/index.js';
import type { NameAddr, SipRequest } from '../../message/index.js';
import type { ServerTransaction } from '../../transaction/index.js';
import { replacesInUri, type Replaces } from '../session/replaces.js';
import { formatStatusFrag, sipfragType } from './sipfrag.js';

export type IncomingReferState = 'pending' | 'active' | 'terminated' | 'rejected';

/** Expires we give the implicit subscription (seconds; RFC 3515 leaves it to the notifier). */
const subscriptionSeconds = 60;

interface Notify { headers: Array<[string, string]>; body: { contentType: string; text: string } }
/** Sends a NOTIFY in the dialog; `done` runs once on its final response, timeout or not sent. */
export type SendNotify = (headers: Notify['headers'], body: Notify['body'], done: () => void) => void;

export class IncomingRefer {
  state: IncomingReferState = 'pending';
  readonly referTo: NameAddr;
  readonly referredBy: string | undefined;
  /** RFC 3891 §6.1: a Replaces header inside the Refer-To URI (attended transfer). */
  readonly replaces: Replaces | undefined;
  private readonly id: string;
  private inFlight = false;
  private readonly queued: Notify[] = [];

  /** Throws SipParseError for a missing or invalid Refer-To (the session answers 400). */
  constructor(readonly request: SipRequest, private readonly tx: ServerTransaction, private readonly sendNotify: SendNotify) {
    const values = request.headers.getAll('Refer-To');
    if (values.length !== 1) throw new SipParseError(values.length === 0 ? 'missing Refer-To' : 'more than one Refer-To');
    this.referTo = parseNameAddr(values[0]!, 'Refer-To');
    this.replaces = replacesInUri(this.referTo.uri);
    this.referredBy = request.headers.get('Referred-By');
    this.id = String(getCSeq(request).seq);
  }

  /** 202 Accepted, then the initial NOTIFY (§2.4.2: "SIP/2.0 100 Trying"). */
  accept(): void {
    if (this.state !== 'pending') return;
    this.state = 'active';
    this.tx.respond(createResponse(this.request, 202));
    this.notify(100, 'Trying');
  }

  reject(status = 603): void {
    if (this.state !== 'pending') return;
    this.state = 'rejected';
    this.tx.respond(createResponse(this.request, status));
  }

  /** A NOTIFY with the new call's status; a final one (≥200) ends the subscription (§2.4.5). */
  notify(status: number, reason: string): void {
    if (this.state !== 'active') return;
    const final = status >= 200;
    if (final) this.state = 'terminated';
    this.queued.push({
      headers: [
        ['Event', `refer;id=${this.id}`],
        ['Subscription-State', final ? 'terminated;reason=noresource' : `active;expires=${subscriptionSeconds}`],
      ],
      body: { contentType: sipfragType, text: formatStatusFrag(status, reason) },
    });
    this.flush();
  }

  private flush(): void {
    if (this.inFlight) return;
    const next = this.queued.shift();
    if (!next) return;
    this.inFlight = true;
    let settled = false;
    this.sendNotify(next.headers, next.body, () => {
      if (settled) return;
      settled = true;
      this.inFlight = false;
      this.flush();
    });
  }
}
