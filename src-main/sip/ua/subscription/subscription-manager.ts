/**
 * Every subscription this UA holds, for every event package (RFC 6665 §4.1): creates them within a
 * bounded count, routes each NOTIFY to its subscription by Call-ID and our tag (a forked NOTIFY
 * has another remote tag, §4.5.2), and unsubscribes them all on exit.
 */
import { getCallId, getTo } from '../../message/index.js';
import type { SipRequest } from '../../message/index.js';
import type { ServerTransaction } from '../../transaction/index.js';
import type { RequestUsage, UsageHost } from '../core/usage.js';
import { Subscription, type SubscriptionOptions } from './subscription.js';

/** Enough for a receptionist's BLF panel (presence + dialog per extension) and MWI per account. */
export const defaultMaxSubscriptions = 400;

export class SubscriptionManager implements RequestUsage {
  private readonly byRoute = new Map<string, Subscription>();
  private readonly live = new Set<Subscription>();

  constructor(private readonly host: UsageHost, readonly maxSubscriptions = defaultMaxSubscriptions) {}

  get count(): number {
    return this.live.size;
  }

  /** Start a subscription; an error when the bound is reached. */
  subscribe(options: SubscriptionOptions): Subscription | { error: string } {
    if (this.live.size >= this.maxSubscriptions) return { error: `at most ${this.maxSubscriptions} subscriptions` };
    const sub = new Subscription(this.host, options, {
      claim: (key, s) => this.byRoute.set(key, s),
      release: (key) => {
        if (this.byRoute.get(key) === sub) this.byRoute.delete(key);
      },
    });
    this.live.add(sub);
    sub.on('state', (state) => {
      if (state === 'terminated') this.live.delete(sub);
    });
    sub.start();
    return sub;
  }

  receive(request: SipRequest, tx: ServerTransaction | undefined): boolean {
    if (request.method !== 'NOTIFY' || !tx) return false;
    const toTag = getTo(request).params.get('tag');
    if (!toTag) return false;
    const sub = this.byRoute.get(`${getCallId(request)}\n${toTag}`);
    if (!sub) return false;
    sub.receiveNotify(request, tx);
    return true;
  }

  /**
   * Refresh every subscription now, e.g. after our Contact changed (network change, NAT rewrite):
   * a refresh is a target refresh (RFC 6665 §4.1.2.2, RFC 3261 §12.2), so NOTIFYs follow us;
   * those waiting to retry subscribe at once.
   */
  refreshAll(): void {
    for (const s of this.live) s.refreshNow();
  }

  /** Unsubscribe everything (on exit); resolves when all are done or `timeoutMs` passed. */
  async stopAll(timeoutMs = 3000): Promise<void> {
    const all = [...this.live].map((s) => s.stop());
    let timer: TimerLike | undefined;
    await Promise.race([Promise.all(all), new Promise<void>((resolve) => (timer = this.host.clock.setTimeout(resolve, timeoutMs)))]);
    this.host.clock.clearTimeout(timer);
  }
}

type TimerLike = ReturnType<UsageHost['clock']['setTimeout']>;
