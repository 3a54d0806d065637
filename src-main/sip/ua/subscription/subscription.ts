/**
 * One subscription, from the subscriber's side (RFC 6665 §4.1): the SUBSCRIBE that creates it,
 * the NOTIFYs that carry state, refreshes before it expires, recovery after it breaks, and the
 * unsubscribe when we are done.
 *
 *   idle ─start─► subscribing ─2xx─► notify-wait ─NOTIFY─► pending ⇄ active ──refresh timer: in-dialog SUBSCRIBE
 *                  │  ▲ NOTIFY first ───────────────────────▲           │
 *     ≥300/timeout │  │ retry timer            Timer N      │           │ 481 / expiry / NOTIFY terminated
 *                  ▼  │                  (no NOTIFY) ───┐   │           ▼
 *                 waiting ◄───────────────────────────────┴───────────────┘  (back-off; "now" for deactivated/timeout)
 *   refused (403, 404, 489 …) or terminated;reason=rejected|noresource|invariant ─► terminated
 *   any ─stop─► unsubscribing (SUBSCRIBE Expires: 0) ─NOTIFY terminated / final response / Timer N─► terminated
 */
import { EventEmitter } from 'node:events';
import { createResponse, formatNameAddr, getFrom, getTo } from '../../message/index.js';
import type { SipRequest, SipResponse, SipUri } from '../../message/index.js';
import type { ServerTransaction } from '../../transaction/index.js';
import type { TimerHandle } from '../../../util/clock.js';
import { Dialog } from '../../dialog/dialog.js';
import { OutgoingRequest } from '../core/outgoing-request.js';
import { buildOutOfDialogRequest, sendOutOfDialog } from '../core/out-of-dialog-request.js';
import { backoffMs } from '../core/retry-backoff.js';
import type { UsageAccount, UsageHost } from '../core/usage.js';
import { getEvent, getSubscriptionState, isPermanentRefusal, retryRule, type SubstateValue } from './event-header.js';

export type SubscriptionState =
  | 'idle' | 'subscribing' | 'notify-wait' | 'pending' | 'active' | 'waiting' | 'unsubscribing' | 'terminated';

export interface SubscriptionOptions {
  account: UsageAccount;
  /** The resource: a presentity, a monitored extension, our own mailbox. */
  target: SipUri;
  /** The event package (RFC 6665 §7), e.g. "presence", "dialog", "message-summary". */
  event: string;
  /** Accept header values for the package's bodies. */
  accept: string[];
  /** Requested duration, seconds. */
  expires: number;
}

/** The state a NOTIFY carried (delivered for every accepted NOTIFY of the subscription's dialog). */
export interface NotifyContent {
  substate: SubstateValue;
  contentType: string | undefined;
  body: Buffer;
}

export interface SubscriptionEvents {
  state: [state: SubscriptionState, detail: string | undefined];
  notify: [content: NotifyContent];
}

/** What the subscription manager provides: NOTIFY routing by (Call-ID, our tag). */
export interface SubscriptionRouting {
  claim(key: string, subscription: Subscription): void;
  release(key: string): void;
}

type Event =
  | { type: 'start' }
  | { type: 'stop' }
  | { type: 'refresh-now' }
  | { type: 'response'; of: 'initial' | 'refresh' | 'unsubscribe'; response: SipResponse; request: SipRequest }
  | { type: 'no-response'; of: 'initial' | 'refresh' | 'unsubscribe'; detail: string }
  | { type: 'notify'; request: SipRequest; tx: ServerTransaction }
  | { type: 'timer'; name: 'refresh' | 'expire' | 'N' | 'retry' };

/** Refresh well before expiry (as registrations do): halfway for short durations, else a minute early. */
export function refreshDelayMs(expiresS: number): number {
  return (expiresS > 120 ? expiresS - 60 : Math.max(1, expiresS / 2)) * 1000;
}

/** Interval Too Brief: we follow Min-Expires up to this (seconds). */
const maxExpires = 86_400;

export class Subscription extends EventEmitter<SubscriptionEvents> {
  private current: SubscriptionState = 'idle';
  private dialog: Dialog | undefined;
  private callId = '';
  private fromTag = '';
  private seq = 0;
  private expires: number;
  private outgoing: OutgoingRequest | undefined;
  private failures = 0;
  /** Immediate retries since the subscription was last active (a notifier that keeps ending it gets back-off). */
  private quickRetries = 0;
  /** Remote tags of extra forks (§4.5.2) we ended; their NOTIFYs get 200 and are not used. */
  private readonly forks = new Set<string>();
  private readonly timers = new Map<Extract<Event, { type: 'timer' }>['name'], TimerHandle>();
  private stopped: (() => void) | undefined;
  private unsubscribeSent = false;
  private readonly done: Promise<void>;
  /** Last reason the subscription is not delivering state, for hosts. */
  detail: string | undefined;

  constructor(private readonly host: UsageHost, readonly options: SubscriptionOptions, private readonly routing: SubscriptionRouting) {
    super();
    this.expires = options.expires;
    this.done = new Promise((resolve) => (this.stopped = resolve));
  }

  get state(): SubscriptionState {
    return this.current;
  }

  start(): void {
    this.on_({ type: 'start' });
  }

  /** Unsubscribe (§4.1.2.3); resolves once the subscription is over (bounded by Timer N). */
  stop(): Promise<void> {
    this.on_({ type: 'stop' });
    return this.done;
  }

  /** Ask for the full state again now (a refresh makes the notifier send a NOTIFY, §4.2.1.2). */
  refreshNow(): void {
    this.on_({ type: 'refresh-now' });
  }

  /** A NOTIFY the manager matched to us by Call-ID and our tag. */
  receiveNotify(request: SipRequest, tx: ServerTransaction): void {
    this.on_({ type: 'notify', request, tx });
  }

  private on_(event: Event): void {
    switch (this.current) {
      case 'idle':
        if (event.type === 'start') this.subscribe();
        else if (event.type === 'stop') this.terminate('stopped');
        return;
      case 'subscribing':
        if (event.type === 'notify') this.onNotify(event.request, event.tx);
        else if (event.type === 'response' && event.of === 'initial') this.onInitialResponse(event.response, event.request);
        else if (event.type === 'no-response' && event.of === 'initial') this.retryLater(`no response: ${event.detail}`);
        else if (event.type === 'stop') this.unsubscribe();
        return;
      case 'notify-wait':
        if (event.type === 'notify') this.onNotify(event.request, event.tx);
        // §4.1.2.4: "If Timer N fires ... the subscriber considers the subscription failed".
        else if (event.type === 'timer' && event.name === 'N') this.retryLater('no NOTIFY after the 2xx (Timer N)');
        else if (event.type === 'timer' && event.name === 'refresh') this.refresh();
        else if (event.type === 'timer' && event.name === 'expire') this.retryLater('expired before any NOTIFY');
        else if (event.type === 'response' && event.of === 'refresh') this.onRefreshResponse(event.response);
        else if (event.type === 'stop') this.unsubscribe();
        return;
      case 'pending':
      case 'active':
        if (event.type === 'notify') this.onNotify(event.request, event.tx);
        else if (event.type === 'timer' && event.name === 'refresh') this.refresh();
        else if (event.type === 'refresh-now') this.refresh();
        else if (event.type === 'response' && event.of === 'refresh') this.onRefreshResponse(event.response);
        // §4.1.2.2: a refresh that fails otherwise leaves the subscription valid until it expires.
        else if (event.type === 'no-response' && event.of === 'refresh') this.detail = `refresh failed: ${event.detail}`;
        else if (event.type === 'timer' && event.name === 'expire') this.retryLater('expired without a refresh');
        else if (event.type === 'stop') this.unsubscribe();
        return;
      case 'waiting':
        if (event.type === 'timer' && event.name === 'retry') this.subscribe();
        else if (event.type === 'refresh-now') this.subscribe();
        else if (event.type === 'notify') event.tx.respond(createResponse(event.request, 481));
        else if (event.type === 'stop') this.terminate('stopped');
        return;
      case 'unsubscribing':
        if (event.type === 'notify') this.onNotify(event.request, event.tx);
        else if (event.type === 'response' && event.of === 'initial' && event.response.status < 300) {
          // Stopped while the first SUBSCRIBE was in flight: it succeeded, so remove it now.
          this.ensureDialog(event.request, event.response);
          this.sendUnsubscribe();
        } else if (event.type === 'response' && event.of === 'unsubscribe' && event.response.status < 300) {
          // Done as far as the host is concerned; the final NOTIFY (§4.1.2.3) is still answered.
          this.stopped?.();
        } else if ((event.type === 'response' || event.type === 'no-response') && event.of !== 'refresh') {
          this.terminate('unsubscribed');
        } else if (event.type === 'timer' && event.name === 'N') this.terminate('unsubscribed (no final NOTIFY)');
        return;
      case 'terminated':
        if (event.type === 'notify') event.tx.respond(createResponse(event.request, 481));
        return;
    }
  }

  private setState(state: SubscriptionState, detail?: string): void {
    this.detail = detail;
    if (this.current === state) return;
    this.current = state;
    this.emit('state', state, detail);
  }

  /** §4.1.2.1: a new SUBSCRIBE outside any dialog (a new Call-ID and tag: a new subscription). */
  private subscribe(): void {
    this.clearTimers();
    this.releaseRoute();
    this.dialog = undefined;
    this.forks.clear();
    this.callId = this.host.ctx.random.token(120);
    this.fromTag = this.host.ctx.random.token(64);
    this.seq = 0;
    this.unsubscribeSent = false;
    this.routing.claim(this.routeKey, this);
    this.setState('subscribing');
    this.sendInitial();
  }

  private sendInitial(): void {
    const { account, target } = this.options;
    const request = buildOutOfDialogRequest(this.host, account, {
      method: 'SUBSCRIBE', target, callId: this.callId, fromTag: this.fromTag, seq: ++this.seq, contact: true,
      headers: this.packageHeaders(this.expires),
    });
    this.outgoing?.abandon();
    this.outgoing = sendOutOfDialog(this.host, account, request, () => ++this.seq, {
      onFinal: (response, sent) => this.on_({ type: 'response', of: 'initial', response, request: sent }),
      onFailure: (_reason, detail) => this.on_({ type: 'no-response', of: 'initial', detail }),
    });
  }

  private packageHeaders(expires: number): Array<[string, string]> {
    return [['Event', this.options.event], ['Expires', String(expires)], ['Accept', this.options.accept.join(', ')], ['Allow-Events', this.options.event]];
  }

  private onInitialResponse(response: SipResponse, request: SipRequest): void {
    if (response.status < 300) {
      this.ensureDialog(request, response);
      this.takeExpires(response);
      // §4.1.2.4: the NOTIFY may already have arrived (then we are pending or active).
      this.setState('notify-wait');
      this.startTimer('N', 64 * this.host.t1);
      return;
    }
    if (response.status === 423 && this.raiseExpires(response)) {
      this.sendInitial();
      return;
    }
    if (isPermanentRefusal(response.status)) {
      this.terminate(`refused: ${response.status} ${response.reason}`);
      return;
    }
    this.retryLater(`${response.status} ${response.reason}`, retryAfter(response));
  }

  /** §4.1.2.2 refresh inside the dialog, with the same Event (and id). */
  private refresh(): void {
    if (!this.dialog) return;
    this.clearTimer('refresh');
    this.sendInDialog(this.expires, 'refresh');
  }

  private onRefreshResponse(response: SipResponse): void {
    if (response.status < 300) {
      this.takeExpires(response);
      this.failures = 0;
      return;
    }
    if (response.status === 423 && this.raiseExpires(response)) {
      this.refresh();
      return;
    }
    // §4.1.2.2: 481 means the subscription is gone: start a new one.
    if (response.status === 481) {
      this.retryLater('481: the notifier lost the subscription', undefined, true);
      return;
    }
    if (isPermanentRefusal(response.status)) {
      this.terminate(`refresh refused: ${response.status} ${response.reason}`);
      return;
    }
    this.detail = `refresh failed: ${response.status} ${response.reason}`;
  }

  private onNotify(request: SipRequest, tx: ServerTransaction): void {
    let event;
    let substate;
    try {
      event = getEvent(request);
      substate = getSubscriptionState(request);
    } catch (e) {
      tx.respond(createResponse(request, 400, `Bad Request (${(e as Error).message})`.slice(0, 120)));
      return;
    }
    // §8.2.1: the NOTIFY must name our package.
    if (event.package !== this.options.event.toLowerCase()) {
      tx.respond(createResponse(request, 489));
      return;
    }
    const remoteTag = fromTag(request);
    if (this.forks.has(remoteTag) || (this.dialog && this.dialog.remoteTag !== remoteTag)) {
      this.onForkedNotify(request, tx, remoteTag, substate.state);
      return;
    }
    if (!this.dialog) this.dialog = dialogFromNotify(request, this.fromTag, this.seq);
    if (!this.dialog.receiveRequest(request)) {
      tx.respond(createResponse(request, 500, 'CSeq Out of Order'));
      return;
    }
    tx.respond(createResponse(request, 200));
    this.clearTimer('N');
    const content: NotifyContent = { substate: substate.state, contentType: request.headers.get('Content-Type'), body: request.body };
    if (this.current === 'unsubscribing') {
      if (substate.state === 'terminated') this.terminate('unsubscribed');
      else if (!this.unsubscribeSent) this.sendUnsubscribe();
      return;
    }
    this.emit('notify', content);
    if (substate.state === 'terminated') {
      this.onTerminatedByNotifier(substate.reason, substate.retryAfter);
      return;
    }
    // §4.1.2.4: the expires in Subscription-State is authoritative.
    if (substate.expires !== undefined) this.scheduleRefresh(substate.expires);
    if (substate.state === 'active') {
      this.failures = 0;
      this.quickRetries = 0;
    }
    this.setState(substate.state);
  }

  /**
   * §4.5.2: a forked SUBSCRIBE can reach several notifiers, each NOTIFY with a new From tag making
   * its own subscription. We keep the first one and end every other one (SUBSCRIBE Expires: 0 in
   * its dialog); their NOTIFYs are answered but not used.
   */
  private onForkedNotify(request: SipRequest, tx: ServerTransaction, remoteTag: string, substate: SubstateValue): void {
    tx.respond(createResponse(request, 200));
    if (this.forks.has(remoteTag) || substate === 'terminated') return;
    this.forks.add(remoteTag);
    const fork = dialogFromNotify(request, this.fromTag, this.seq);
    this.sendDialogRequest(fork, 0, () => {});
  }

  /** §4.1.3: the notifier ended it; its reason says whether and when to come back. */
  private onTerminatedByNotifier(reason: string | undefined, after: number | undefined): void {
    const rule = retryRule(reason);
    if (rule === 'never') {
      this.terminate(`ended by the notifier (${reason})`);
      return;
    }
    if (rule === 'now' && this.quickRetries === 0) {
      this.quickRetries++;
      this.subscribe();
      return;
    }
    this.retryLater(`ended by the notifier (${reason ?? 'no reason'})`, after);
  }

  /** Wait (Retry-After, else back-off), then subscribe anew; `now` retries at once the first time. */
  private retryLater(detail: string, retryAfterS?: number, now = false): void {
    this.clearTimers();
    this.outgoing?.abandon();
    this.releaseRoute();
    this.dialog = undefined;
    if (now && this.quickRetries === 0) {
      this.quickRetries++;
      this.subscribe();
      return;
    }
    this.failures++;
    const wait = retryAfterS !== undefined ? retryAfterS * 1000 : backoffMs(this.failures, this.host.ctx.random);
    this.setState('waiting', detail);
    this.startTimer('retry', wait);
  }

  /** §4.1.2.3: unsubscribe is a refresh with Expires: 0; the notifier answers with a final NOTIFY. */
  private unsubscribe(): void {
    this.clearTimers();
    this.setState('unsubscribing');
    this.startTimer('N', 64 * this.host.t1);
    // Without a dialog yet (first SUBSCRIBE in flight) we wait for it to complete, then remove it.
    if (this.dialog) this.sendUnsubscribe();
  }

  private sendUnsubscribe(): void {
    this.unsubscribeSent = true;
    this.sendInDialog(0, 'unsubscribe');
  }

  private sendInDialog(expires: number, of: 'refresh' | 'unsubscribe'): void {
    if (!this.dialog) return;
    this.outgoing?.abandon();
    this.outgoing = this.sendDialogRequest(this.dialog, expires, (event) => this.on_(event.type === 'response'
      ? { type: 'response', of, response: event.response, request: event.request }
      : { type: 'no-response', of, detail: event.detail }));
  }

  private sendDialogRequest(dialog: Dialog, expires: number,
    report: (e: { type: 'response'; response: SipResponse; request: SipRequest } | { type: 'no-response'; detail: string }) => void): OutgoingRequest {
    const account = this.options.account;
    const request = dialog.createRequest('SUBSCRIBE', dialog.nextSeq(() => 1), account.contact());
    for (const [name, value] of this.packageHeaders(expires)) request.headers.append(name, value);
    request.headers.append('User-Agent', this.host.userAgent);
    const outgoing = new OutgoingRequest(this.host.ctx, request, {
      nextHop: dialog.nextHop(), protocol: account.protocol, auth: account.auth, nextSeq: () => dialog.nextSeq(() => 1),
    }, {
      onFinal: (response, sent) => {
        dialog.refreshFromResponse('SUBSCRIBE', response);
        report({ type: 'response', response, request: sent });
      },
      onFailure: (_reason, detail) => report({ type: 'no-response', detail }),
    });
    void outgoing.start();
    return outgoing;
  }

  /** §4.1.2.1: the 2xx to SUBSCRIBE creates the dialog unless a NOTIFY already did (§4.1.2.4). */
  private ensureDialog(request: SipRequest, response: SipResponse): void {
    if (this.dialog || !getTo(response).params.get('tag')) return;
    this.dialog = Dialog.asUac(request, response);
  }

  private takeExpires(response: SipResponse): void {
    const granted = Number(response.headers.get('Expires'));
    // §4.1.2.1: the 2xx carries the granted duration; it may be shorter than asked, never longer.
    if (Number.isInteger(granted) && granted > 0) this.scheduleRefresh(Math.min(granted, maxExpires));
    else if (!this.timers.has('refresh')) this.scheduleRefresh(this.expires);
  }

  private scheduleRefresh(expiresS: number): void {
    this.startTimer('refresh', refreshDelayMs(expiresS));
    this.startTimer('expire', expiresS * 1000);
  }

  private raiseExpires(response: SipResponse): boolean {
    const min = Number(response.headers.get('Min-Expires'));
    if (!Number.isInteger(min) || min <= this.expires || min > maxExpires) return false;
    this.expires = min;
    return true;
  }

  private terminate(detail: string): void {
    this.clearTimers();
    this.outgoing?.abandon();
    this.releaseRoute();
    this.setState('terminated', detail);
    this.stopped?.();
  }

  private get routeKey(): string {
    return `${this.callId}\n${this.fromTag}`;
  }

  private releaseRoute(): void {
    if (this.callId) this.routing.release(this.routeKey);
  }

  private startTimer(name: Extract<Event, { type: 'timer' }>['name'], ms: number): void {
    this.clearTimer(name);
    this.timers.set(name, this.host.clock.setTimeout(() => {
      this.timers.delete(name);
      this.on_({ type: 'timer', name });
    }, ms));
  }

  private clearTimer(name: Extract<Event, { type: 'timer' }>['name']): void {
    this.host.clock.clearTimeout(this.timers.get(name));
    this.timers.delete(name);
  }

  private clearTimers(): void {
    for (const t of this.timers.values()) this.host.clock.clearTimeout(t);
    this.timers.clear();
  }

  /** Target as text, for notices. */
  get targetText(): string {
    return formatNameAddr({ uri: this.options.target, params: new Map() });
  }
}

/** §4.1.2.4: a NOTIFY that arrives before the 2xx makes the dialog (as a UAS would, §12.1.1). */
function dialogFromNotify(request: SipRequest, localTag: string, localSeq: number): Dialog {
  const dialog = Dialog.asUas(request, localTag, true);
  dialog.localSeq = localSeq;
  return dialog;
}

function fromTag(request: SipRequest): string {
  return getFrom(request).params.get('tag') ?? '';
}

function retryAfter(response: SipResponse): number | undefined {
  const v = Number(response.headers.get('Retry-After')?.split(/[;(\s]/)[0]);
  return Number.isInteger(v) && v > 0 && v <= 86_400 ? v : undefined;
}
