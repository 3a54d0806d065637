/**
 * Our event state at a presence server (RFC 3903, the event publication agent's side): the first
 * PUBLISH with a body, refreshes without one (SIP-If-Match the entity tag), a modify with a new
 * body, and the removal with Expires: 0 on exit.
 *
 *   idle ─publish(body)─► publishing ─2xx + SIP-ETag─► published ─refresh timer / publish(new body)─► publishing
 *                            │ 412: etag unknown → publish anew with the body     │
 *                            │ 423: Min-Expires → again                           │
 *                            │ other / no response ─► waiting ─back-off─► publishing
 *   any ─remove()─► removing (Expires: 0) ─final response / failure─► idle
 */
import { EventEmitter } from 'node:events';
import type { SipResponse } from '../../message/index.js';
import type { TimerHandle } from '../../../util/clock.js';
import type { OutgoingRequest } from '../core/outgoing-request.js';
import { buildOutOfDialogRequest, sendOutOfDialog } from '../core/out-of-dialog-request.js';
import { backoffMs } from '../core/retry-backoff.js';
import { refreshDelayMs } from './subscription.js';
import { isPermanentRefusal } from './event-header.js';
import type { UsageAccount, UsageHost } from '../core/usage.js';

export type PublicationState = 'idle' | 'publishing' | 'published' | 'waiting' | 'removing';

export interface PublicationOptions {
  account: UsageAccount;
  /** The event package (RFC 3903 §4.1), e.g. "presence". */
  event: string;
  contentType: string;
  /** Requested lifetime of the published state, seconds. */
  expires: number;
}

export interface PublicationEvents {
  state: [state: PublicationState, detail: string | undefined];
}

type Event =
  | { type: 'publish'; body: string }
  | { type: 'remove' }
  | { type: 'response'; response: SipResponse }
  | { type: 'no-response'; detail: string }
  | { type: 'timer'; name: 'refresh' | 'retry' };

export class Publication extends EventEmitter<PublicationEvents> {
  private current: PublicationState = 'idle';
  private etag: string | undefined;
  /** The state we want published (what a retry or a 412 sends again). */
  private body: string | undefined;
  /** A new body asked for while a PUBLISH was in flight (§4: one request at a time). */
  private pendingBody: string | undefined;
  /** The request in flight carries a body (initial or modify) or is a refresh. */
  private sentBody = false;
  private expires: number;
  private failures = 0;
  private timer: TimerHandle | undefined;
  private outgoing: OutgoingRequest | undefined;
  private readonly callId: string;
  private readonly fromTag: string;
  private seq = 0;
  private removed: (() => void) | undefined;
  detail: string | undefined;

  constructor(private readonly host: UsageHost, readonly options: PublicationOptions) {
    super();
    this.expires = options.expires;
    this.callId = host.ctx.random.token(120);
    this.fromTag = host.ctx.random.token(64);
  }

  get state(): PublicationState {
    return this.current;
  }

  /** Publish this state (the first time, or a modify of what is published). */
  publish(body: string): void {
    this.on_({ type: 'publish', body });
  }

  /** §4.5: remove our state (Expires: 0); resolves once the server answered or gave up. */
  remove(): Promise<void> {
    if (this.current === 'idle') return Promise.resolve();
    const done = new Promise<void>((resolve) => (this.removed = resolve));
    this.on_({ type: 'remove' });
    return done;
  }

  private on_(event: Event): void {
    switch (this.current) {
      case 'idle':
      case 'waiting':
        if (event.type === 'publish') {
          this.body = event.body;
          this.send(true);
        } else if (event.type === 'timer' && event.name === 'retry') {
          this.send(true);
        } else if (event.type === 'remove') {
          this.finish();
        }
        return;
      case 'publishing':
        if (event.type === 'publish') this.pendingBody = event.body;
        else if (event.type === 'response') this.onResponse(event.response);
        else if (event.type === 'no-response') this.retryLater(`no response: ${event.detail}`);
        else if (event.type === 'remove') this.sendRemove();
        return;
      case 'published':
        if (event.type === 'publish') {
          this.body = event.body;
          this.send(true);
        } else if (event.type === 'timer' && event.name === 'refresh') {
          this.send(false);
        } else if (event.type === 'remove') {
          this.sendRemove();
        }
        return;
      case 'removing':
        if (event.type === 'response' || event.type === 'no-response') this.finish();
        return;
    }
  }

  private setState(state: PublicationState, detail?: string): void {
    this.detail = detail;
    if (state === this.current) return;
    this.current = state;
    this.emit('state', state, detail);
  }

  /**
   * §4.1 initial (body, no SIP-If-Match), §4.2 refresh (SIP-If-Match, no body), §4.4 modify
   * (SIP-If-Match and body). Without an entity tag every send is an initial one.
   */
  private send(withBody: boolean): void {
    this.host.clock.clearTimeout(this.timer);
    const body = withBody || !this.etag ? this.body : undefined;
    this.sentBody = body !== undefined;
    this.setState('publishing');
    this.request(this.expires, body);
  }

  private request(expires: number, body: string | undefined): void {
    const { account, event, contentType } = this.options;
    const headers: Array<[string, string]> = [['Event', event], ['Expires', String(expires)]];
    if (this.etag) headers.push(['SIP-If-Match', this.etag]);
    const request = buildOutOfDialogRequest(this.host, account, {
      method: 'PUBLISH', target: account.aor, callId: this.callId, fromTag: this.fromTag, seq: ++this.seq, contact: false, headers,
      ...(body !== undefined ? { body: { contentType, data: Buffer.from(body, 'utf8') } } : {}),
    });
    this.outgoing?.abandon();
    this.outgoing = sendOutOfDialog(this.host, account, request, () => ++this.seq, {
      onFinal: (response) => this.on_({ type: 'response', response }),
      onFailure: (_reason, detail) => this.on_({ type: 'no-response', detail }),
    });
  }

  private onResponse(response: SipResponse): void {
    if (response.status >= 200 && response.status < 300) {
      // §4.1.2/§11.3: the 2xx carries the entity tag for the next refresh or modify, and the lifetime.
      const etag = response.headers.get('SIP-ETag');
      if (etag) this.etag = etag.trim();
      this.failures = 0;
      const granted = Number(response.headers.get('Expires'));
      const lifetime = Number.isInteger(granted) && granted > 0 ? granted : this.expires;
      this.setState('published');
      this.timer = this.host.clock.setTimeout(() => this.on_({ type: 'timer', name: 'refresh' }), refreshDelayMs(lifetime));
      this.flushPending();
      return;
    }
    // §6 step 4: 412 Conditional Request Failed — the server lost our state: publish it anew.
    if (response.status === 412 && this.etag) {
      this.etag = undefined;
      this.send(true);
      return;
    }
    if (response.status === 423) {
      const min = Number(response.headers.get('Min-Expires'));
      if (Number.isInteger(min) && min > this.expires && min <= 86_400) {
        this.expires = min;
        this.send(this.sentBody);
        return;
      }
    }
    // A server without PUBLISH for this package (RFC 3903 §6 step 1–2: 489, 405/501, 403/404): stop.
    if (isPermanentRefusal(response.status) || response.status === 501) {
      this.finish(`refused: ${response.status} ${response.reason}`);
      return;
    }
    this.retryLater(`${response.status} ${response.reason}`);
  }

  /** A body asked for while the last PUBLISH was in flight goes out now. */
  private flushPending(): void {
    if (this.pendingBody === undefined) return;
    this.body = this.pendingBody;
    this.pendingBody = undefined;
    this.send(true);
  }

  private retryLater(detail: string): void {
    this.etag = undefined;
    this.failures++;
    if (this.pendingBody !== undefined) {
      this.body = this.pendingBody;
      this.pendingBody = undefined;
    }
    this.setState('waiting', detail);
    this.host.clock.clearTimeout(this.timer);
    this.timer = this.host.clock.setTimeout(() => this.on_({ type: 'timer', name: 'retry' }), backoffMs(this.failures, this.host.ctx.random));
  }

  /** §4.5 removal: Expires: 0 with the entity tag (nothing to remove without one). */
  private sendRemove(): void {
    this.host.clock.clearTimeout(this.timer);
    this.pendingBody = undefined;
    if (!this.etag) {
      // A first PUBLISH may still be in flight; without its tag there is nothing we can name.
      this.outgoing?.abandon();
      this.finish();
      return;
    }
    this.setState('removing');
    this.request(0, undefined);
  }

  private finish(detail?: string): void {
    this.host.clock.clearTimeout(this.timer);
    this.outgoing?.abandon();
    this.etag = undefined;
    this.setState('idle', detail);
    this.removed?.();
    this.removed = undefined;
  }
}
