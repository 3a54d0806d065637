/**
 * REFERs from the far end of a call (RFC 3515 §2.4.2), decided by the account's transfer policy
 * (transfer-policy.ts): each produces a `transfer-request` event; followed ones are dialled
 * (transfers.ts), declined ones get 603 Decline, and under `ask` the host answers with
 * accept-transfer / reject-transfer — within askTimeoutMs, since the REFER's own transaction
 * times out at 64*T1 = 32 s (RFC 3261 §17.1.2.2) on the transferor's side.
 */
import { formatUri } from '../sip/message/index.js';
import type { IncomingRefer } from '../sip/ua/refer/incoming-refer.js';
import type { Result } from '../contract/calls.js';
import type { Clock, TimerHandle } from '../util/clock.js';
import type { Call } from './call.js';
import { decideTransfer, type TransferScope } from './transfer-policy.js';
import { followRefer, type TransferHost } from './transfers.js';

/** How long an `ask` waits for the host before declining, ms. */
export const askTimeoutMs = 20_000;

interface Pending {
  call: Call;
  refer: IncomingRefer;
  timer: TimerHandle;
}

export class TransferRequests {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly host: TransferHost,
    private readonly scope: (account: string | undefined) => TransferScope,
    private readonly clock: Clock,
  ) {}

  /** A REFER arrived in `call`'s dialog. */
  offer(call: Call, refer: IncomingRefer): void {
    const scope = this.scope(call.account);
    const decision = decideTransfer(scope, refer.referTo.uri);
    const target = formatUri(refer.referTo.uri);
    this.host.emit({
      type: 'transfer-request', callId: call.id, target, referredBy: refer.referredBy, policy: scope.policy,
      action: decision.action, reason: decision.reason, timeoutS: decision.action === 'ask' ? askTimeoutMs / 1000 : undefined,
    });
    switch (decision.action) {
      case 'follow':
        void followRefer(this.host, call, refer);
        return;
      case 'decline':
        refer.reject(603);
        this.host.emit({ type: 'notice', message: `call ${call.id}: transfer to ${target} declined: ${decision.reason}` });
        return;
      case 'ask': {
        this.pending.get(call.id)?.refer.reject(603);
        const timer = this.clock.setTimeout(() => this.settle(call.id, false, 'nobody answered the transfer request'), askTimeoutMs);
        this.pending.set(call.id, { call, refer, timer });
        call.once('ended', () => this.drop(call.id));
        return;
      }
    }
  }

  /** accept-transfer / reject-transfer: the named call's pending request, or the latest one. */
  answer(callId: string | undefined, accept: boolean): Result<unknown> {
    const id = callId ?? [...this.pending.keys()].at(-1);
    if (id === undefined || !this.pending.has(id)) return { ok: false, error: `${accept ? 'accept' : 'reject'}-transfer: no transfer request waiting` };
    this.settle(id, accept, 'rejected by the user');
    return { ok: true, value: undefined };
  }

  private settle(callId: string, accept: boolean, why: string): void {
    const p = this.drop(callId);
    if (!p) return;
    if (accept) {
      void followRefer(this.host, p.call, p.refer);
      return;
    }
    // RFC 3515 §2.4.2: a REFER the recipient declines gets a final non-2xx; 603 Decline.
    p.refer.reject(603);
    this.host.emit({ type: 'notice', message: `call ${callId}: transfer to ${formatUri(p.refer.referTo.uri)} declined: ${why}` });
  }

  private drop(callId: string): Pending | undefined {
    const p = this.pending.get(callId);
    if (!p) return undefined;
    this.clock.clearTimeout(p.timer);
    this.pending.delete(callId);
    return p;
  }
}
