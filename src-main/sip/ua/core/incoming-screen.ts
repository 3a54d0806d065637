/**
 * The first look at a new out-of-dialog INVITE, before any transaction exists for it: the
 * incoming-call policy (incoming-policy.ts) decides, and a refusal is answered once, statelessly
 * (RFC 3261 §8.2.7) with 403 — or, past a budget of replies per second, dropped — so a scanner or
 * a flood from spoofed sources costs no state and is never amplified by retransmissions (§17.2.1).
 * Notices about refusals are folded into summaries.
 */
import { getTo } from '../../message/index.js';
import type { SipRequest } from '../../message/index.js';
import type { Screening } from '../../transaction/index.js';
import type { Source } from '../../transport/types.js';
import type { Clock } from '../../../util/clock.js';
import { FoldedReports } from '../../../util/folded-reports.js';
import type { PolicyVerdict } from './incoming-policy.js';

/** Stateless 403s per second at most; refusals beyond are dropped unanswered. */
const repliesPerSecond = 50;
/** Summaries of refusals at most this often, ms. */
const noticeIntervalMs = 10_000;

export class IncomingScreen {
  private tokens = repliesPerSecond;
  private refilledAt: number;
  /** The first notice at once; the rest folded into one summary per interval. */
  private readonly notices: FoldedReports<string>;

  constructor(private readonly clock: Clock, notice: (message: string) => void) {
    this.refilledAt = clock.now();
    this.notices = new FoldedReports(clock, notice, noticeIntervalMs, (latest, more) => `${more}, latest: ${latest}`);
  }

  /** `verdict` runs only for INVITEs outside a dialog; everything else passes. */
  screen(request: SipRequest, source: Source, verdict: () => PolicyVerdict): Screening {
    if (request.method !== 'INVITE' || inDialog(request)) return { action: 'accept' };
    const v = verdict();
    if (v.accept) return { action: 'accept' };
    this.notices.add(`refused ${v.reason}`);
    return this.takeToken() ? { action: 'reject', status: 403 } : { action: 'drop' };
  }

  stop(): void {
    this.notices.stop();
  }

  private takeToken(): boolean {
    const now = this.clock.now();
    this.tokens = Math.min(repliesPerSecond, this.tokens + ((now - this.refilledAt) / 1000) * repliesPerSecond);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens--;
    return true;
  }
}

/** A To tag means a dialog (§12.2.2); an unreadable To is left to the UA, which answers 400. */
function inDialog(request: SipRequest): boolean {
  try {
    return getTo(request).params.has('tag');
  } catch {
    return true;
  }
}
