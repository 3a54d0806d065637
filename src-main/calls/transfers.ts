/**
 * Transfers (RFC 3515 REFER, RFC 5589 call flows, RFC 3891 Replaces): blind and attended from us,
 * and being transferred by the peer. The manager owns the calls; this module runs the flows.
 */
import { formatUri } from '../sip/message/index.js';
import { referToReplacing } from '../sip/ua/session/replaces.js';
import type { IncomingRefer } from '../sip/ua/refer/incoming-refer.js';
import type { CallEvent } from '../contract/calls.js';
import type { Call } from './call.js';

export interface TransferHost {
  emit(event: CallEvent): void;
  /** Run `fn` after `ms` (the manager's clock). */
  later(fn: () => void, ms: number): void;
  /**
   * Place a call (used when we are transferred): resolves with the new call, or an error. The
   * transferred call is not held first: a re-INVITE of ours still waiting for its answer must not
   * delay the transfer (RFC 3261 §14.1 only orders INVITE transactions).
   */
  dial(uri: string, account: string | undefined, transferred: Call): Promise<Call | string>;
  hold(call: Call): Promise<boolean>;
  resume(call: Call): Promise<boolean>;
}

/** REFER the peer of `call` to `referTo`; end the call on success, restore it on failure (RFC 5589 §6, §7). */
export async function transferCall(host: TransferHost, call: Call, referTo: string): Promise<void> {
  const wasHeld = call.onHold;
  if (!wasHeld) await host.hold(call);
  call.transferring = true;
  call.emit('change');
  const refer = call.session.refer(referTo);
  refer.on('accepted', () => host.emit({ type: 'transfer', callId: call.id, status: 'trying', sipfrag: undefined }));
  refer.on('progress', (status, reason) => host.emit({ type: 'transfer', callId: call.id, status: 'trying', sipfrag: `SIP/2.0 ${status} ${reason}` }));
  refer.on('done', (result) => {
    call.transferring = false;
    const sipfrag = `SIP/2.0 ${result.status} ${result.reason}`;
    if (result.ok) {
      host.emit({ type: 'transfer', callId: call.id, status: 'success', sipfrag });
      call.outcomeOverride = 'transferred';
      call.session.hangup();
      return;
    }
    host.emit({ type: 'transfer', callId: call.id, status: 'failed', sipfrag });
    call.emit('change');
    if (!wasHeld) void host.resume(call);
  });
}

/** Attended transfer (RFC 5589 §7): A's peer is referred to B's peer, replacing our call with B. */
export function attendedTransfer(host: TransferHost, a: Call, b: Call): Promise<void> | string {
  const consult = b.session.dialog;
  if (!consult || b.signalling !== 'confirmed') return 'attended-transfer: the consultation call is not answered';
  const referTo = referToReplacing(consult, b.session.remoteIdentity.uri);
  // On success the transfer target ends the consultation dialog itself (its INVITE with Replaces).
  b.outcomeOverride = 'transferred';
  return transferCall(host, a, referTo);
}

/**
 * Being transferred (RFC 3515 §2.4), once the policy allowed it (transfer-requests.ts): call the
 * Refer-To target and report its progress by NOTIFY. Of the target's URI headers (§19.1.5) only
 * Replaces (RFC 3891 §6.1, attended transfer) is kept.
 */
export async function followRefer(host: TransferHost, call: Call, refer: IncomingRefer): Promise<void> {
  const uri = refer.referTo.uri;
  if (uri.scheme !== 'sip' && uri.scheme !== 'sips') {
    refer.reject(603);
    return;
  }
  refer.accept();
  const headers = new Map([...uri.headers].filter(([name]) => name.toLowerCase() === 'replaces'));
  const target = formatUri({ ...uri, headers });
  host.emit({ type: 'notice', message: `call ${call.id}: transferred by the far end to ${target}` });
  const placed = await host.dial(target, call.account, call);
  if (typeof placed === 'string') {
    refer.notify(503, 'Service Unavailable');
    return;
  }
  let ringingReported = false;
  placed.on('change', () => {
    if (placed.signalling === 'ringing' && !ringingReported && refer.state === 'active') {
      ringingReported = true;
      refer.notify(180, 'Ringing');
    }
    if (placed.signalling === 'confirmed' && refer.state === 'active') {
      refer.notify(200, 'OK');
      // The transferor normally hangs up now; if it does not, we do (RFC 5589 §6).
      call.outcomeOverride = 'transferred';
      host.later(() => call.session.hangup(), 2000);
    }
  });
  placed.on('ended', () => {
    if (refer.state !== 'active') return;
    const status = placed.endCause?.status ?? 487;
    refer.notify(status >= 300 ? status : 487, placed.endCause?.reason ?? 'Request Terminated');
  });
}
