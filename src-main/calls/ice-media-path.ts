/**
 * A call's media path through ICE (RFC 8445) or a fixed TURN relay (RFC 8656), in front of the
 * engine's stream: the engine keeps its own RTP socket and sends to a loopback port of ours; we
 * send that on the ICE-selected pair (or the fixed path) and hand what arrives back to the
 * engine's socket from the same loopback port (so its latch and SRTP see one steady peer).
 *
 *   engine RTP socket ⇄ loopback hop ⇄ IceTransport (host socket | STUN srflx | TURN relay) ⇄ peer
 *
 * Departure (docs/decisions.md): one extra loopback hop on the host thread until the worker's
 * socket adapter takes IceTransport's send/onPacket seam directly.
 * Modes: 'ice' when both sides do ICE; 'fixed' otherwise: the peer's c=/m= address, latched to
 * the port its media really comes from (only from the c= IP, RFC 4961 symmetric RTP), sent from
 * our host socket or, with ICE off and a TURN server, through the relay.
 */
import { createSocket, type Socket } from 'node:dgram';
import { IceTransport, type IceTransportStats, type TurnServerConfig } from '../media/ice/ice-transport.js';
import type { Candidate } from '../media/ice/candidate.js';
import type { IceParameters } from '../media/sdp/ice-attributes.js';
import { systemClock } from '../util/clock.js';
import { cryptoRandom } from '../util/random.js';

/** Per account (settings) or per host (CLI --stun/--turn/--ice). */
export interface NatTraversal {
  ice: boolean;
  stun?: { host: string; port: number };
  turn?: TurnServerConfig;
  /** Offer only the relayed candidate (a relay-only policy; how tests force TURN). */
  relayOnly?: boolean;
}

export interface MediaPathStats extends IceTransportStats {
  mode: 'ice' | 'fixed-host' | 'fixed-relay' | 'pending';
  /** Fixed modes: where media goes. */
  remote?: { address: string; port: number };
}

interface Endpoint { address: string; port: number }

export class IceMediaPath {
  private mode: MediaPathStats['mode'] = 'pending';
  private target: Endpoint | undefined;
  private connectedUfrag: string | undefined;
  /** Set when ICE fails or consent is lost (RFC 7675 §5.1): the host ends the call. */
  onFailure: ((reason: string) => void) | undefined;

  private constructor(
    private readonly transport: IceTransport,
    private readonly hop: Socket,
    private readonly engine: Endpoint,
    private readonly nat: NatTraversal,
  ) {
    hop.on('message', (data, rinfo) => {
      if (rinfo.port !== engine.port) return; // only the engine's own socket talks to the hop
      if (this.mode === 'ice') transport.send(data);
      else if (this.target) transport.sendTo(data, this.target, this.mode === 'fixed-relay' ? 'relay' : 'host');
    });
    transport.onPacket = (data, from) => {
      if (this.mode === 'fixed-host' && this.target && from.address === this.target.address) this.target.port = from.port;
      else if (this.mode !== 'ice' && (!this.target || from.address !== this.target.address || from.port !== this.target.port)) return;
      hop.send(data, engine.port, engine.address);
    };
    transport.agent.onStateChange = (state) => {
      if (state === 'failed' && this.mode === 'ice') this.onFailure?.('ICE failed: no candidate pair works, or consent was lost (RFC 7675)');
    };
  }

  /**
   * Opens the ICE socket on `hostAddress` (a concrete local address: it is the host candidate),
   * gathers, and the loopback hop facing the engine's RTP socket at `engine`.
   */
  static async open(hostAddress: string, engine: Endpoint, nat: NatTraversal): Promise<IceMediaPath> {
    const relayOnly = nat.relayOnly === true || !nat.ice;
    const transport = await IceTransport.open({
      bindAddress: hostAddress, stun: nat.stun, turn: nat.turn, relayOnly,
      controlling: true, clock: systemClock(), random: cryptoRandom,
    });
    if (relayOnly && !transport.localParameters().candidates.some((c) => c.type === 'relay')) {
      await transport.close();
      throw new Error(`no TURN allocation from ${nat.turn ? `${nat.turn.host}:${nat.turn.port}` : 'any server (none set)'}`);
    }
    const hop = createSocket(engine.address.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      hop.once('error', reject);
      hop.bind(0, engine.address, () => { hop.off('error', reject); resolve(); });
    });
    hop.on('error', () => { /* the engine's socket is gone: the call is ending */ });
    return new IceMediaPath(transport, hop, engine, nat);
  }

  /** Where the engine sends (and what it latches on): our loopback hop. */
  get engineFacing(): Endpoint {
    const a = this.hop.address();
    return { address: a.address, port: a.port };
  }

  /**
   * RFC 8445 §5.1.4: the default candidate goes into c=/m= (for peers without ICE): the relay
   * when there is one (it works from behind any NAT or UDP block), else server-reflexive if
   * learnt, else host.
   */
  defaultCandidate(): Endpoint {
    const pick = this.defaultLocal();
    return { address: pick.address, port: pick.port };
  }

  private defaultLocal(): Candidate {
    const c = this.transport.localParameters().candidates;
    return c.find((x) => x.type === 'relay') ?? c.find((x) => x.type === 'srflx') ?? c.find((x) => x.type === 'host') ?? c[0]!;
  }

  /** Our ICE for SDP; undefined with ICE off (a fixed TURN relay is plain c=/m=). */
  sdpIce(): { ufrag: string; pwd: string; candidates: Candidate[] } | undefined {
    return this.nat.ice ? this.transport.localParameters() : undefined;
  }

  /**
   * The negotiated remote: ICE when both sides do it (the offerer controls, §6.1.1), else the
   * peer's c=/m= address. A re-offer with the same ufrag keeps the running checks (§9: a changed
   * ufrag would be a restart, not yet supported: we keep the old pair).
   */
  setRemote(remote: { ice?: IceParameters; address: string; port: number }, weOffered: boolean): void {
    if (remote.ice && this.nat.ice) {
      if (this.connectedUfrag === remote.ice.ufrag) return;
      if (this.connectedUfrag !== undefined) return;
      this.connectedUfrag = remote.ice.ufrag;
      this.mode = 'ice';
      this.transport.agent.controlling = weOffered;
      this.transport.connect({ ufrag: remote.ice.ufrag, pwd: remote.ice.pwd, candidates: remote.ice.candidates, lite: remote.ice.lite });
      return;
    }
    this.mode = this.defaultIsRelay() ? 'fixed-relay' : 'fixed-host';
    this.target = { address: remote.address, port: remote.port };
  }

  private defaultIsRelay(): boolean {
    return this.defaultLocal().type === 'relay';
  }

  stats(): MediaPathStats {
    return { ...this.transport.stats(), mode: this.mode, ...(this.target ? { remote: { ...this.target } } : {}) };
  }

  async close(): Promise<void> {
    try { this.hop.close(); } catch { /* closed */ }
    await this.transport.close();
  }
}
