/**
 * The machine's network and sleep, wired to the SIP user agent: a new address set (Wi-Fi roam, VPN,
 * cable) or a resume from sleep (the wall clock jumped > 30 s past the monotonic one) closes the old
 * connections, re-registers every account at once and refreshes the Contact in calls
 * (`UserAgent.networkChanged`, RFC 5626 §4.4); `beforeRecovery` renews the calls' media first, so
 * those refreshes carry new offers (ICE restart, issue 13).
 */
import { NetworkWatch, type InterfaceLister } from '../util/network-watch.js';
import { systemClock, type Clock } from '../util/clock.js';
import type { UserAgent } from '../sip/ua/user-agent.js';

export interface NetworkRecoveryOptions {
  clock?: Clock;
  /** Poll interval while calls are up (NetworkWatch.setBusy), and while none are (default: the same). */
  intervalMs?: number;
  idleIntervalMs?: number;
  list?: InterfaceLister;
  wallNow?: () => number;
  /** Runs on each change before the user agent recovers (the call manager renews the calls' media). */
  beforeRecovery?: (reason: 'network' | 'resume') => void;
}

/** A started watch; stop it with the phone. */
export function watchNetwork(ua: Pick<UserAgent, 'networkChanged'>, notice: (message: string) => void, opts: NetworkRecoveryOptions = {}): NetworkWatch {
  const watch = new NetworkWatch(opts.clock ?? systemClock(), (reason) => {
    notice(reason === 'resume' ? 'woke from sleep: registering again' : 'network changed: registering again');
    opts.beforeRecovery?.(reason);
    ua.networkChanged();
  }, opts.intervalMs, opts.list, opts.wallNow, opts.idleIntervalMs ?? opts.intervalMs);
  watch.start();
  return watch;
}
