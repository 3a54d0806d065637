/**
 * The SIP UDP port's public mapping (issue 13): with a STUN server configured (`--stun`, or an
 * account's nat.stun), one Binding request from the SIP socket at start (RFC 8489 §7), reported as
 * a `sip-mapping` event; and the mappings STUN keep-alives on the flow to a registrar show
 * (RFC 5626 §4.4.2). Diagnostic only: the Contact follows the registrar's Via received/rport
 * (RFC 3581), which is the view that decides whether requests reach us (docs/decisions.md).
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { PhoneEvent } from '../contract/channels.js';
import type { StunBindingOutcome, StunTarget } from '../sip/transport/index.js';

export interface StunServer {
  host: string;
  port: number;
}

export interface SipMappingDeps {
  stunBinding(to: StunTarget): Promise<StunBindingOutcome>;
  /** The SIP socket's address family (a v4 socket cannot reach a v6 server). */
  family: 4 | 6;
  emit(event: PhoneEvent): void;
  /** Host name lookup; default node:dns (tests pass their own). */
  resolve?(host: string, family: 4 | 6): Promise<string>;
}

const systemResolve = async (host: string, family: 4 | 6) => (await lookup(host, { family })).address;

/** One Binding request from the SIP socket to each distinct server; resolves when all have an outcome. */
export async function probeSipMapping(servers: StunServer[], deps: SipMappingDeps): Promise<void> {
  const distinct = [...new Map(servers.map((s) => [`${s.host.toLowerCase()}:${s.port}`, s])).values()];
  await Promise.all(distinct.map(async (server) => {
    const name = `${isIP(server.host) === 6 ? `[${server.host}]` : server.host}:${server.port}`;
    const base = { type: 'sip-mapping' as const, source: 'stun-server' as const, server: name };
    let address: string;
    try {
      address = isIP(server.host) ? server.host : await (deps.resolve ?? systemResolve)(server.host, deps.family);
    } catch (e) {
      deps.emit({ ...base, reason: `cannot resolve ${server.host}: ${(e as Error).message}` });
      return;
    }
    const outcome = await deps.stunBinding({ address, port: server.port });
    deps.emit(outcome.ok ? { ...base, address: outcome.mapped.address, port: outcome.mapped.port } : { ...base, reason: outcome.detail });
  }));
}

/** A keep-alive's mapping of an account's flow (the UA's `mapping` event) as the phone reports it. */
export function keepAliveMapping(account: string, mapped: { address: string; port: number }, previous?: { address: string; port: number }): PhoneEvent {
  return {
    type: 'sip-mapping', source: 'keep-alive', account, address: mapped.address, port: mapped.port,
    ...(previous ? { previous: `${previous.address}:${previous.port}` } : {}),
  };
}

/** A registrar without STUN (keep-alives fell back to OPTIONS), as the phone reports it: a diagnostic, not a notice. */
export function keepAliveUnanswered(account: string, detail: string): PhoneEvent {
  return { type: 'sip-mapping', source: 'keep-alive', account, reason: `${detail}: the registrar does not answer STUN keep-alives, using OPTIONS` };
}

/**
 * Compares the STUN server's view of the SIP port with a registrar flow's (keep-alive): when they
 * differ the NAT maps each destination apart (RFC 4787 address-dependent mapping, "symmetric"),
 * which a person debugging one-way audio wants to know. Says so once per account.
 */
export class MappingComparison {
  private server: { address: string; port: number; name: string } | undefined;
  private readonly flows = new Map<string, { address: string; port: number }>();
  private readonly told = new Set<string>();

  /** Feed every sip-mapping event; returns a notice the first time an account's views differ. */
  observe(e: PhoneEvent): string | undefined {
    if (e.type !== 'sip-mapping' || e.address === undefined || e.port === undefined) return undefined;
    if (e.source === 'stun-server') this.server = { address: e.address, port: e.port, name: e.server ?? 'the STUN server' };
    // A remapped flow (router restarted or renumbered): the server's view from start is stale.
    else if (e.previous !== undefined) this.server = undefined;
    else if (e.account !== undefined) this.flows.set(e.account, { address: e.address, port: e.port });
    const server = this.server;
    if (!server) return undefined;
    for (const [account, flow] of this.flows) {
      if (this.told.has(account) || (flow.address === server.address && flow.port === server.port)) continue;
      this.told.add(account);
      return `${account}: the STUN server ${server.name} sees SIP at ${server.address}:${server.port}, the registrar at ` +
        `${flow.address}:${flow.port}: this NAT maps each destination apart (symmetric), so direct media may fail without TURN`;
    }
    return undefined;
  }
}
