/**
 * Registration and call recovery (RFC 5626 §4.4, RFC 3261 §12.2.1.1): which transport events mean
 * a flow we opened is gone (the registerer that used it registers again), and the target refresh
 * that tells the far end of every call our new Contact once the account is registered again.
 * Connections other hosts opened to us come and go all the time and never count.
 */
import { normalizeAddress } from '../../transport/address.js';
import type { TransportEvent } from '../../transport/events.js';
import type { TransportProtocol } from '../../transport/types.js';
import type { InviteSession } from '../session/invite-session.js';
import type { RegistrationState } from '../core/account.js';

/** A flow as RFC 5626 §3 names it from our side: where the connection goes. */
export interface FlowKey {
  protocol: TransportProtocol;
  address: string;
  port: number;
}

export interface FlowLoss {
  flow: FlowKey;
  /** The connection had been up (closed, reset, no pong); false: connecting to it failed. */
  established: boolean;
  detail: string;
}

/** Kinds that end a connection that was up. */
const endsConnection = new Set<TransportEvent['kind']>(['connection-closed', 'socket-error', 'keepalive-timeout', 'idle-timeout', 'framing-error']);

/** The flow a transport event says is gone, when it is a TCP/TLS connection we opened. */
export function lostFlow(e: TransportEvent): FlowLoss | undefined {
  if (e.protocol === 'udp' || !e.remote || e.outbound !== true) return undefined;
  const established = endsConnection.has(e.kind) && e.connectionId !== undefined;
  if (!established && e.kind !== 'connection-failed') return undefined;
  return { flow: { protocol: e.protocol, address: e.remote.address, port: e.remote.port }, established, detail: `${e.kind}: ${e.message}` };
}

export function sameFlow(a: FlowKey, b: FlowKey): boolean {
  return a.protocol === b.protocol && a.port === b.port && normalizeAddress(a.address) === normalizeAddress(b.address);
}

/** What the refresher needs from the user agent. */
export interface DialogRecoveryHost {
  /** Confirmed sessions and the account each belongs to (undefined: none). */
  sessions(): Iterable<{ session: InviteSession; account: string | undefined }>;
  /** Whether the account is (re-)registering, so its new Contact is not known yet. */
  awaitingRegistration(account: string): boolean;
  notice(message: string): void;
}

/**
 * RFC 3261 §12.2.1.1 / §14: after a network change or a recovered flow, each call sends a target
 * refresh carrying our current Contact, so the far end's in-dialog requests (BYE, re-INVITE) reach
 * us again. Calls of an account that is registering wait for its outcome: the Contact we end up
 * with (behind a NAT, the rewritten one) is only known then.
 */
export class DialogRecovery {
  /** Sessions waiting for their account's registration to settle, by account key. */
  private readonly waiting = new Map<string, Set<InviteSession>>();

  constructor(private readonly host: DialogRecoveryHost) {}

  /** Refresh every call (of `account` only, when given): now, or once its account has registered. */
  recover(account?: string): void {
    for (const { session, account: key } of this.host.sessions()) {
      if (account !== undefined && key !== account) continue;
      if (key !== undefined && this.host.awaitingRegistration(key)) {
        let set = this.waiting.get(key);
        if (!set) this.waiting.set(key, (set = new Set()));
        set.add(session);
      } else {
        this.refresh(session);
      }
    }
  }

  /** An account's registration moved on: a settled one releases its waiting calls. */
  registration(account: string, state: RegistrationState): void {
    if (state === 'registering') return;
    const set = this.waiting.get(account);
    if (!set) return;
    this.waiting.delete(account);
    for (const session of set) this.refresh(session);
  }

  private refresh(session: InviteSession): void {
    if (session.state !== 'confirmed') return;
    void session.refreshTarget().then((result) => {
      if (!result.ok) this.host.notice(`call ${session.id}: could not send our new address to the other party (${result.status} ${result.reason})`);
    });
  }
}
