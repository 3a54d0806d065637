/**
 * How a call's audio crosses the network, in a person's words (issue 13): from the call's ICE
 * stats (contract CallIceStats) to "Direct", "Direct (through NAT)", "Relayed (TURN over UDP)" or
 * "No ICE", with the selected pair (RFC 8445 §4: a local and a remote candidate) and the ICE state.
 */
import type { CallIceStats, IceCandidateInfo } from '../../../src-main/contract/calls.js';

export type MediaPathKind = 'direct' | 'direct-nat' | 'relayed' | 'relayed-remote' | 'no-ice' | 'connecting' | 'failed';
export type TurnTransportName = 'UDP' | 'TCP' | 'TLS';

export interface PathEnd {
  /** `host`, `srflx`, `prflx`, `relay` (RFC 8445 §5.1.1); undefined for a peer without ICE. */
  type: IceCandidateInfo['type'] | undefined;
  /** `192.0.2.1:5000`, `[2001:db8::1]:5000`. */
  address: string;
}

export interface MediaPathView {
  kind: MediaPathKind;
  /** Relayed through our TURN server: its transport. */
  transport?: TurnTransportName | undefined;
  /** The ICE agent's state (RFC 8445 §6.1.3); undefined without ICE. */
  state?: string | undefined;
  local?: PathEnd | undefined;
  remote?: PathEnd | undefined;
  candidates?: { local: number; remote: number } | undefined;
}

export const endpointText = (address: string, port: number): string => (address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`);

const end = (c: IceCandidateInfo): PathEnd => ({ type: c.type, address: endpointText(c.address, c.port) });
const transportName = (t: string | undefined): TurnTransportName | undefined =>
  t === 'udp' ? 'UDP' : t === 'tcp' ? 'TCP' : t === 'tls' ? 'TLS' : undefined;
const reflexive = (c: IceCandidateInfo) => c.type === 'srflx' || c.type === 'prflx';

export function mediaPath(ice: CallIceStats | undefined): MediaPathView {
  if (!ice) return { kind: 'no-ice' };
  const fixedRemote = ice.remote ? { type: undefined, address: endpointText(ice.remote.address, ice.remote.port) } : undefined;
  if (ice.mode === 'fixed-host') return { kind: 'no-ice', remote: fixedRemote };
  if (ice.mode === 'fixed-relay') {
    return {
      kind: 'relayed', transport: transportName(ice.turn?.transport), remote: fixedRemote,
      local: ice.turn?.relayed ? { type: 'relay', address: ice.turn.relayed } : undefined,
    };
  }
  const candidates = { local: ice.localCandidates.length, remote: ice.remoteCandidates.length };
  const pair = ice.selectedPair;
  if (ice.mode === 'pending' || !pair) {
    return { kind: ice.state === 'failed' ? 'failed' : 'connecting', state: ice.state, candidates };
  }
  const kind: MediaPathKind = pair.local.type === 'relay' ? 'relayed' : pair.remote.type === 'relay' ? 'relayed-remote'
    : reflexive(pair.local) || reflexive(pair.remote) ? 'direct-nat' : 'direct';
  return {
    kind, transport: kind === 'relayed' ? transportName(ice.turn?.transport) ?? 'UDP' : undefined,
    state: ice.state, local: end(pair.local), remote: end(pair.remote), candidates,
  };
}
