/**
 * A call's media path through ICE (RFC 8445) or a fixed TURN relay (RFC 8656), in front of the
 * engine's stream: the engine keeps its own RTP socket and sends to a loopback port of ours; we
 * send that on the ICE-selected pair (or the fixed path) and hand what arrives back to the
 * engine's socket from the same loopback port (so its latch and SRTP see one steady peer).
 *
 *   engine RTP socket ⇄ loopback hop ⇄ IceTransport (host socket | STUN srflx | TURN relay) ⇄ peer
 *                                  └─ RTCP ⇄ component-2 IceTransport ⇄ peer (no rtcp-mux)
 *
 * RTCP without rtcp-mux (RFC 5761 §5.1.3, RFC 8445 §5.1.1): a second IceTransport (component 2,
 * same credentials) is gathered for every ICE offer and answer until the peer takes rtcp-mux (then
 * it is closed, with its TURN allocation). The engine still muxes RTCP on the hop; the hop tells
 * RTCP from RTP (RFC 5761 §4) and sends it on component 2's pair, and RTCP arriving there goes to
 * the engine through the hop like the rest. A peer without ICE that does not take rtcp-mux gets
 * RTCP from component 2's default candidate (our a=rtcp, RFC 3605) at its a=rtcp port or RTP + 1
 * (RFC 3550 §11), never on its RTP port (RFC 5761 §5.1.3); without component 2 RTCP is dropped.
 *
 * Departure (docs/decisions.md): one extra loopback hop on the host thread until the worker's
 * socket adapter takes IceTransport's send/onPacket seam directly.
 * Modes: 'ice' when both sides do ICE; 'fixed' otherwise: the peer's c=/m= address, latched to
 * the port its media really comes from (only from the c= IP, RFC 4961 symmetric RTP), sent from
 * our host socket or, with ICE off and a TURN server, through the relay.
 */
import { createSocket, type Socket } from 'node:dgram';
import { IceTransport, type IceTransportStats, type TurnServerConfig } from '../media/ice/ice-transport.js';
import { isRtcp } from '../media/rtp/rtp-packet.js';
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
  /** The RTCP component (2) while RTCP is not multiplexed, with the RTCP packets it carried. */
  rtcp?: IceTransportStats & { packetsSent: number; packetsReceived: number };
}

interface Endpoint { address: string; port: number }

export class IceMediaPath {
  private mode: MediaPathStats['mode'] = 'pending';
  private target: Endpoint | undefined;
  /** Fixed modes without rtcp-mux: the peer's RTCP port (a=rtcp or RTP + 1, then where its RTCP comes from). */
  private rtcpTarget: Endpoint | undefined;
  /** The peer's ICE credentials the checks run with (a change is a restart, RFC 8445 §9). */
  private connected: { ufrag: string; pwd: string } | undefined;
  private closed = false;
  /** The peer's rtcp-mux (RFC 5761) once negotiated; until then component 2 is kept. */
  private rtcpMux: boolean | undefined;
  /** RTCP packets carried on component 2. */
  private readonly rtcpCount = { packetsSent: 0, packetsReceived: 0 };
  /** Set when ICE fails or consent is lost (RFC 7675 §5.1): the host ends the call. */
  onFailure: ((reason: string) => void) | undefined;

  private constructor(
    private transport: IceTransport,
    private readonly hop: Socket,
    private readonly engine: Endpoint,
    private readonly nat: NatTraversal,
    /** Component 2 (RTCP) while rtcp-mux is not known to be used. */
    private rtcp: IceTransport | undefined,
  ) {
    hop.on('message', (data, rinfo) => {
      if (rinfo.port !== engine.port) return; // only the engine's own socket talks to the hop
      if (this.mode === 'ice') {
        // RFC 5761 §5.1.3: RTCP not multiplexed goes only on component 2 (dropped until it has a
        // pair, or when the peer gave no RTCP candidates); muxed, it rides with RTP.
        if (this.rtcpMux === false && isRtcp(data)) {
          if (this.rtcp?.send(data)) this.rtcpCount.packetsSent++;
        } else this.transport.send(data);
      } else if (this.rtcpMux === false && isRtcp(data)) this.sendFixedRtcp(data);
      else if (this.target) this.transport.sendTo(data, this.target, this.mode === 'fixed-relay' ? 'relay' : 'host');
    });
    this.attach(transport);
    this.attachRtcp(rtcp);
  }

  /**
   * RTCP received on component 2 goes to the engine like the rest (it muxes on the hop). In a
   * fixed mode only from the peer's c= address, and its source port is where ours goes next
   * (symmetric RTCP, RFC 4961).
   */
  private attachRtcp(rtcp: IceTransport | undefined): void {
    if (!rtcp) return;
    rtcp.onPacket = (data, from) => {
      if (rtcp !== this.rtcp || this.mode === 'pending') return;
      if (this.mode !== 'ice') {
        if (!this.rtcpTarget || from.address !== this.rtcpTarget.address) return;
        this.rtcpTarget.port = from.port;
      }
      this.rtcpCount.packetsReceived++;
      this.hop.send(data, this.engine.port, this.engine.address);
    };
  }

  /** A fixed mode without rtcp-mux: from component 2's default candidate (our a=rtcp) to the peer's RTCP port. */
  private sendFixedRtcp(data: Buffer): void {
    const rtcp = this.rtcp;
    if (!rtcp || !this.rtcpTarget) return;
    const relay = rtcp.localParameters().candidates.some((c) => c.type === 'relay');
    if (rtcp.sendTo(data, this.rtcpTarget, relay ? 'relay' : 'host')) this.rtcpCount.packetsSent++;
  }

  /** The peer takes rtcp-mux, or does no ICE: component 2 and its allocation go. */
  private dropRtcp(): void {
    const rtcp = this.rtcp;
    this.rtcp = undefined;
    void rtcp?.close();
  }

  /** What `transport` receives goes to the engine, and its ICE failure ends the call (while it is ours). */
  private attach(transport: IceTransport): void {
    transport.onPacket = (data, from) => {
      if (transport !== this.transport) return;
      if (this.mode === 'fixed-host' && this.target && from.address === this.target.address) this.target.port = from.port;
      else if (this.mode !== 'ice' && (!this.target || from.address !== this.target.address || from.port !== this.target.port)) return;
      this.hop.send(data, this.engine.port, this.engine.address);
    };
    transport.agent.onStateChange = (state) => {
      if (transport !== this.transport) return;
      if (state === 'failed' && this.mode === 'ice') this.onFailure?.('ICE failed: no candidate pair works, or consent was lost (RFC 7675)');
    };
  }

  /**
   * Opens the ICE socket on `hostAddress` (a concrete local address: it is the host candidate),
   * gathers, and the loopback hop facing the engine's RTP socket at `engine`.
   */
  static async open(hostAddress: string, engine: Endpoint, nat: NatTraversal): Promise<IceMediaPath> {
    const { rtp, rtcp } = await openTransport(hostAddress, nat, true, wantsRtcpComponent(nat));
    const hop = createSocket(engine.address.includes(':') ? 'udp6' : 'udp4');
    try {
      await new Promise<void>((resolve, reject) => {
        hop.once('error', reject);
        hop.bind(0, engine.address, () => { hop.off('error', reject); resolve(); });
      });
    } catch (e) {
      await Promise.all([rtp.close(), rtcp?.close()]);
      throw e;
    }
    hop.on('error', () => { /* the engine's socket is gone: the call is ending */ });
    return new IceMediaPath(rtp, hop, engine, nat, rtcp);
  }

  /**
   * The network changed: the old 5-tuples are dead. RFC 8445 §9 restart on a new path: a new host
   * socket on `hostAddress`, a new STUN mapping and TURN allocation, new ufrag/pwd. The hop keeps
   * its port (the engine's socket, SRTP and SSRC carry on). ICE resumes with the peer's answer to
   * the new offer (setRemote); a fixed path sends from the new base at once.
   */
  async renew(hostAddress: string): Promise<void> {
    if (this.closed) return;
    const { rtp: next, rtcp } = await openTransport(hostAddress, this.nat, this.transport.agent.controlling, wantsRtcpComponent(this.nat) && this.rtcpMux !== true);
    if (this.closed) {
      await Promise.all([next.close(), rtcp?.close()]);
      return;
    }
    const old = this.transport; // read after the wait: a renewal that finished meanwhile is replaced too
    this.dropRtcp();
    this.rtcp = rtcp;
    this.attachRtcp(rtcp);
    this.transport = next;
    this.connected = undefined;
    this.attach(next);
    if (this.mode === 'fixed-host' || this.mode === 'fixed-relay') this.mode = this.defaultIsRelay() ? 'fixed-relay' : 'fixed-host';
    // Not awaited: releasing the old TURN allocation (up to 2 s without a reply) must not hold the new offer.
    void old.close().catch(() => undefined);
  }

  /**
   * RFC 8445 §9: a re-offer whose ufrag or pwd differs from the one the checks run with restarts
   * ICE (the answer must then carry new credentials of ours: call restartIce() before answering).
   */
  isRestart(remote: IceParameters | undefined): boolean {
    return !!remote && this.nat.ice && this.connected !== undefined && (this.connected.ufrag !== remote.ufrag || this.connected.pwd !== remote.pwd);
  }

  /** The peer restarted ICE: new local credentials on the same candidates; checks start again at setRemote. */
  restartIce(): void {
    this.transport.agent.restart();
    this.rtcp?.agent.restart({ ufrag: this.transport.agent.localUfrag, pwd: this.transport.agent.localPwd });
    this.connected = undefined;
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

  /**
   * Our ICE for SDP; undefined with ICE off (a fixed TURN relay is plain c=/m=). Component 2's
   * candidates too while RTCP may not be multiplexed (the SDP layer drops them from an answer
   * that takes rtcp-mux).
   */
  sdpIce(): { ufrag: string; pwd: string; candidates: Candidate[] } | undefined {
    if (!this.nat.ice) return undefined;
    const p = this.transport.localParameters();
    return this.rtcp ? { ...p, candidates: [...p.candidates, ...this.rtcp.localParameters().candidates] } : p;
  }

  /** The default RTCP candidate (RFC 3605 a=rtcp, RFC 8445 §5.1.4) while component 2 exists. */
  defaultRtcp(): Endpoint | undefined {
    if (!this.rtcp) return undefined;
    const c = this.rtcp.localParameters().candidates;
    const pick = c.find((x) => x.type === 'relay') ?? c.find((x) => x.type === 'srflx') ?? c.find((x) => x.type === 'host');
    return pick && { address: pick.address, port: pick.port };
  }

  /**
   * The negotiated remote: ICE when both sides do it (the offerer controls, §6.1.1), else the
   * peer's c=/m= address. A re-offer with the same credentials keeps the running checks; after a
   * restart (ours: renew(), the peer's: restartIce()) the new ones start checks again (§9).
   * Changed credentials without a restart on our side (an answer may not restart) keep the pair.
   */
  setRemote(remote: { ice?: IceParameters; address: string; port: number; rtcpPort?: number; rtcpMux?: boolean }, weOffered: boolean): void {
    if (remote.ice && this.nat.ice) {
      if (this.connected !== undefined) return;
      this.connected = { ufrag: remote.ice.ufrag, pwd: remote.ice.pwd };
      this.mode = 'ice';
      this.transport.agent.controlling = weOffered;
      const ice = { ufrag: remote.ice.ufrag, pwd: remote.ice.pwd, candidates: remote.ice.candidates, lite: remote.ice.lite };
      this.transport.connect(ice);
      // RFC 5761 §5.1.3: no rtcp-mux in the answer (or the offer we answer): RTCP on component 2.
      this.rtcpMux = remote.rtcpMux ?? true;
      if (this.rtcpMux || !remote.ice.candidates.some((c) => c.component === 2)) this.dropRtcp();
      else if (this.rtcp) {
        this.rtcp.agent.controlling = weOffered;
        this.rtcp.connect(ice);
      }
      return;
    }
    // RFC 5761 §5.1.3 without ICE: no rtcp-mux from the peer keeps component 2 for RTCP (RFC 3605).
    this.rtcpMux = remote.rtcpMux ?? true;
    if (this.rtcpMux) this.dropRtcp();
    this.rtcpTarget = this.rtcpMux ? undefined : { address: remote.address, port: remote.rtcpPort ?? remote.port + 1 };
    this.mode = this.defaultIsRelay() ? 'fixed-relay' : 'fixed-host';
    this.target = { address: remote.address, port: remote.port };
  }

  private defaultIsRelay(): boolean {
    return this.defaultLocal().type === 'relay';
  }

  stats(): MediaPathStats {
    return {
      ...this.transport.stats(), mode: this.mode, ...(this.target ? { remote: { ...this.target } } : {}),
      ...(this.rtcp && this.rtcpMux === false ? { rtcp: { ...this.rtcp.stats(), ...this.rtcpCount } } : {}),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    try { this.hop.close(); } catch { /* closed */ }
    const rtcp = this.rtcp;
    this.rtcp = undefined;
    await Promise.all([this.transport.close(), rtcp?.close()]);
  }
}

/**
 * An RTCP component (2) for a peer that may not take rtcp-mux: with ICE, and for a fixed TURN relay
 * without it (its own allocation: a=rtcp names it, RFC 3605).
 */
function wantsRtcpComponent(nat: NatTraversal): boolean {
  return nat.ice || nat.turn !== undefined;
}

/**
 * The IceTransports for `nat` on `hostAddress`: RTP, and with `rtcp` the RTCP component (2);
 * relay-only (or ICE off with TURN) needs an allocation.
 */
async function openTransport(hostAddress: string, nat: NatTraversal, controlling: boolean, rtcp: boolean): Promise<{ rtp: IceTransport; rtcp: IceTransport | undefined }> {
  const relayOnly = nat.relayOnly === true || !nat.ice;
  const stream = await IceTransport.openStream({
    bindAddress: hostAddress, stun: nat.stun, turn: nat.turn, relayOnly,
    controlling, clock: systemClock(), random: cryptoRandom,
  }, rtcp);
  if (relayOnly && !stream.rtp.localParameters().candidates.some((c) => c.type === 'relay')) {
    await Promise.all([stream.rtp.close(), stream.rtcp?.close()]);
    throw new Error(`no TURN allocation from ${nat.turn ? `${nat.turn.host}:${nat.turn.port}` : 'any server (none set)'}`);
  }
  return stream;
}
