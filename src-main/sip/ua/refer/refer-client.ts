/**
 * A REFER we sent in a dialog (RFC 3515 §2.4) and its implicit subscription: the response to the
 * REFER, then NOTIFYs with message/sipfrag reporting the transfer target's progress.
 *
 *   sent ──2xx──► accepted ──NOTIFY (final frag or terminated)──► done
 *   sent ──≥300──► done            sent | accepted ──no final NOTIFY in time / dialog ends──► done
 */
import { EventEmitter } from 'node:events';
import { getCSeq } from '../../message/index.js';
import type { SipRequest, SipResponse } from '../../message/index.js';
import type { Clock, TimerHandle } from '../../../util/clock.js';
import { parseStatusFrag, subscriptionState } from './sipfrag.js';

export interface ReferOutcome {
  ok: boolean;
  status: number;
  reason: string;
}

export interface ReferClientEvents {
  accepted: [];
  progress: [status: number, reason: string];
  done: [ReferOutcome];
}

export type ReferClientState = 'sent' | 'accepted' | 'done';

/** How long the implicit subscription waits for the next NOTIFY, at least (seconds). */
export const referNotifyTimeoutSeconds = 32;

export class ReferClient extends EventEmitter<ReferClientEvents> {
  state: ReferClientState = 'sent';
  /** The REFER's CSeq number: the `id` of its NOTIFYs' Event header (§2.4.6). */
  id: string | undefined;
  private timer: TimerHandle | undefined;
  private lastStatus: { status: number; reason: string } | undefined;

  constructor(private readonly clock: Clock) {
    super();
  }

  /** The final response to the REFER. */
  onResponse(response: SipResponse): void {
    if (this.state === 'done') return;
    this.id = String(getCSeq(response).seq);
    if (response.status >= 300) {
      this.finish({ ok: false, status: response.status, reason: response.reason });
      return;
    }
    this.accept();
    this.armTimeout(referNotifyTimeoutSeconds);
  }

  /** A NOTIFY of this subscription; returns the status to answer it with. */
  onNotify(request: SipRequest): number {
    if (this.state === 'done') return 481;
    const frag = request.body.length > 0 ? parseStatusFrag(request.body.toString('utf8')) : undefined;
    const sub = subscriptionState(request);
    if (!frag && sub?.state !== 'terminated') return 400;
    // The 2xx to the REFER may still be on its way: a NOTIFY implies the REFER was accepted.
    this.accept();
    if (frag) {
      this.lastStatus = frag;
      this.emit('progress', frag.status, frag.reason);
    }
    const last = this.lastStatus;
    if ((frag && frag.status >= 200) || sub?.state === 'terminated') {
      const ok = last !== undefined && last.status >= 200 && last.status < 300;
      this.finish({ ok, status: last?.status ?? 487, reason: last?.reason ?? 'Subscription terminated' });
    } else {
      this.armTimeout(Math.max(referNotifyTimeoutSeconds, sub?.expires ?? 0));
    }
    return 200;
  }

  /** The dialog ended before a final NOTIFY: the subscription ends with it. */
  dialogEnded(): void {
    this.finish({ ok: false, status: 487, reason: 'Dialog ended before the final NOTIFY' });
  }

  /** No response at all to the REFER (timeout or transport error). */
  failed(status: number, reason: string): void {
    this.finish({ ok: false, status, reason });
  }

  private accept(): void {
    if (this.state !== 'sent') return;
    this.state = 'accepted';
    this.emit('accepted');
  }

  private armTimeout(seconds: number): void {
    this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => this.finish({ ok: false, status: 408, reason: 'No final NOTIFY' }), seconds * 1000);
  }

  private finish(outcome: ReferOutcome): void {
    if (this.state === 'done') return;
    this.clock.clearTimeout(this.timer);
    this.state = 'done';
    this.emit('done', outcome);
  }
}
