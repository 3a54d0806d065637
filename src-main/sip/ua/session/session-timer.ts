/**
 * RFC 4028 session timers: negotiation of Session-Expires / Min-SE and the timer that refreshes
 * the session (when we are the refresher) or ends it (when the peer's refreshes stop).
 *
 *   off ──negotiated (2xx with Session-Expires)──► running(refresher: us | peer)
 *   running(us)   ──SE/2 elapsed──► refresh() (re-INVITE / UPDATE) ──2xx──► running(...)
 *   running(peer) ──SE − min(32, SE/3) elapsed──► expire() (BYE)
 *   running ──a refresh in either direction──► running (restarted)   any ──stop()──► off
 */
import { createResponse, readValueWithParams, SipParseError } from '../../message/index.js';
import type { Headers, SipMessage, SipRequest, SipResponse } from '../../message/index.js';
import { sessionSupported } from '../core/capabilities.js';
import type { Clock, TimerHandle } from '../../../util/clock.js';
import { paramText } from '../core/header-params.js';

/** §4: the Min-SE floor (seconds), and what we ask for as UAC (§7.1 recommends 1800). */
export const minSessionExpires = 90;
export const defaultSessionExpires = 1800;

export type Refresher = 'uac' | 'uas';

export interface SessionExpires {
  interval: number;
  refresher?: Refresher;
}

/** §4 `delta-seconds *(;se-params)`: the interval must be read (SipParseError), bad params are skipped. */
export function parseSessionExpires(text: string): SessionExpires {
  const { value, params } = readValueWithParams(text, 'Session-Expires');
  if (!/^\d{1,10}$/.test(value)) throw new SipParseError('invalid Session-Expires');
  const r = paramText(params, 'refresher')?.toLowerCase();
  return { interval: Number(value), ...(r === 'uac' || r === 'uas' ? { refresher: r } : {}) };
}

/** Read tolerantly (docs/decisions.md, header audit): an unreadable Session-Expires is no request for a timer. */
function sessionExpiresOf(m: SipMessage): SessionExpires | undefined {
  const v = m.headers.get('Session-Expires');
  if (v === undefined) return undefined;
  try {
    return parseSessionExpires(v);
  } catch (e) {
    if (e instanceof SipParseError) return undefined;
    throw e;
  }
}

/** The Min-SE a peer asks for (§5), or undefined. */
export function minSeOf(m: SipMessage): number | undefined {
  const v = m.headers.get('Min-SE');
  if (v === undefined) return undefined;
  // Read tolerantly: the leading delta-seconds counts, parameters are ignored.
  const n = Number(/^\s*(\d{1,10})\s*(?:;|$)/.exec(v)?.[1]);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

export function supportsTimer(m: SipMessage): boolean {
  return m.headers.getAll('Supported').some((v) => v.split(',').some((o) => o.trim().toLowerCase() === 'timer'));
}

/** What the UAS does with a (re-)INVITE or UPDATE (§9). */
export type UasNegotiation =
  | { kind: 'too-small' }
  | { kind: 'none' }
  | { kind: 'timer'; interval: number; refresher: Refresher; requireTimer: boolean };

/**
 * §9: a Session-Expires below our Min-SE gets 422; otherwise we take the interval, and the
 * refresher the UAC chose, else the UAC when it supports timers (it then must: Require: timer),
 * else ourselves. A UAC without timer support whose session we already refresh keeps us as refresher.
 */
export function negotiateAsUas(request: SipRequest, current: { interval: number } | undefined): UasNegotiation {
  const se = sessionExpiresOf(request);
  const uacSupports = supportsTimer(request);
  if (se) {
    if (se.interval < minSessionExpires) return { kind: 'too-small' };
    const refresher = se.refresher ?? (uacSupports ? 'uac' : 'uas');
    return { kind: 'timer', interval: se.interval, refresher, requireTimer: refresher === 'uac' };
  }
  if (current && !uacSupports) return { kind: 'timer', interval: current.interval, refresher: 'uas', requireTimer: false };
  return { kind: 'none' };
}

/** §9: "422 (Session Interval Too Small)" with our Min-SE. */
export function intervalTooSmall(request: SipRequest): SipResponse {
  const r = createResponse(request, 422);
  r.headers.append('Min-SE', String(minSessionExpires));
  return r;
}

/** Headers of our 2xx for a negotiation (§9). */
export function addUasHeaders(h: Headers, n: UasNegotiation): void {
  if (n.kind !== 'timer') return;
  h.append('Session-Expires', `${n.interval};refresher=${n.refresher}`);
  if (n.requireTimer) h.append('Require', 'timer');
}

/** §6/§7.1: the request headers of an INVITE or refresh, asking for `interval` seconds. */
export function addUacHeaders(h: Headers, interval: number, refresher?: Refresher, minSe = minSessionExpires): void {
  h.set('Session-Expires', refresher ? `${interval};refresher=${refresher}` : String(interval));
  h.set('Min-SE', String(minSe));
}

/** §7.2: the retry after a 422 asks for the peer's Min-SE (never less than ours). */
export function retryAfter422(request: SipRequest, response: SipMessage): number | undefined {
  const peerMin = minSeOf(response);
  const asked = sessionExpiresOf(request)?.interval ?? 0;
  if (peerMin === undefined || peerMin <= asked) return undefined;
  return Math.max(peerMin, minSessionExpires);
}

/** The timer of one session. */
export class SessionTimer {
  /** Seconds; undefined while off. */
  interval: number | undefined;
  weRefresh = false;
  private handle: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly actions: { refresh(): void; expire(): void },
  ) {}

  /**
   * §7.4 / §9: the outcome of a refresh transaction. `weWereUac`: we sent the request the 2xx
   * answers; the refresher "uac" means its sender. No Session-Expires in the 2xx: no timer.
   */
  onSuccessfulRefresh(ok: SipMessage, weWereUac: boolean): void {
    let se: SessionExpires | undefined;
    try {
      se = sessionExpiresOf(ok);
    } catch {
      se = undefined;
    }
    if (!se || se.interval < 1) {
      this.stop();
      return;
    }
    const refresher = se.refresher ?? (weWereUac ? 'uac' : 'uas');
    this.start(se.interval, (refresher === 'uac') === weWereUac);
  }

  /** §9/§10: our 2xx carries the negotiated Session-Expires; the timer starts as it is sent. */
  answer(ok: SipResponse, n: UasNegotiation): void {
    ok.headers.append('Supported', sessionSupported);
    addUasHeaders(ok.headers, n);
    if (n.kind === 'timer') this.start(n.interval, n.refresher === 'uas');
    else this.stop();
  }

  start(interval: number, weRefresh: boolean): void {
    this.stop();
    this.interval = interval;
    this.weRefresh = weRefresh;
    // §10: refresh at half the interval; the non-refresher sends BYE at SE − min(32, SE/3).
    const ms = weRefresh ? (interval / 2) * 1000 : (interval - Math.min(32, interval / 3)) * 1000;
    this.handle = this.clock.setTimeout(() => {
      this.handle = undefined;
      if (this.weRefresh) this.actions.refresh();
      else this.actions.expire();
    }, ms);
  }

  stop(): void {
    this.clock.clearTimeout(this.handle);
    this.handle = undefined;
    this.interval = undefined;
  }

  /** The refresher value for a request we send, keeping the current roles. */
  refresherForOurRequest(): Refresher {
    return this.weRefresh ? 'uac' : 'uas';
  }
}
