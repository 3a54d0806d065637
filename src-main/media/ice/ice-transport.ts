/**
 * ICE over real sockets for one component of an audio stream (RFC 8445 §5.1.1: 1 = RTP, or both
 * with rtcp-mux; 2 = RTCP without it, one transport each, sharing credentials): binds the host UDP socket,
 * gathers a server-reflexive candidate from a STUN server and a relayed one from a TURN server,
 * runs the IceAgent, and offers the media layer `send(bytes)` / `onPacket` on whichever pair ICE
 * selected. STUN is told from media by its first byte and cookie (RFC 7983).
 * This is the seam the media stream's socket adapter plugs into (issue 14 item 5).
 */
import { createSocket, type Socket } from 'node:dgram';
import type { Clock } from '../../util/clock.js';
import type { Random } from '../../util/random.js';
import { discoverMapping } from '../../net/stun/binding.js';
import { looksLikeStun, parseStun } from '../../net/stun/message.js';
import { StunClient } from '../../net/stun/transaction.js';
import { openCarrier, type TurnTransport } from '../../net/turn/carrier.js';
import { TurnClient, type TurnStats } from '../../net/turn/turn-client.js';
import { IceAgent, type Endpoint, type IceBase, type IceStats, type RemoteIce } from './ice-agent.js';
import type { Candidate } from './candidate.js';

export interface TurnServerConfig {
  host: string;
  port: number;
  transport: TurnTransport;
  username: string;
  password: string;
  /** TLS: extra CA certificates (PEM). */
  ca?: string;
  servername?: string;
}

export interface IceTransportOptions {
  bindAddress: string;
  port?: number;
  stun?: { host: string; port: number };
  turn?: TurnServerConfig;
  controlling: boolean;
  clock: Clock;
  random: Random;
  nomination?: 'regular' | 'aggressive';
  /** Offer only the relayed candidate (a "relay" policy, and how tests force TURN). */
  relayOnly?: boolean;
  /** RFC 8445 §5.1.1 component (default 1); a component-2 transport takes `shareWith`'s credentials and tie-breaker. */
  component?: number;
  shareWith?: IceAgent;
}

export interface IceTransportStats extends IceStats {
  turn?: TurnStats & { refusedPeers?: string[] };
}

/** Most packets held for a peer whose TURN permission is still being installed. */
const MAX_QUEUED = 32;

export class IceTransport {
  /** Media (anything not STUN) from the selected or a checked peer. */
  onPacket: ((data: Buffer, from: Endpoint) => void) | undefined;
  readonly agent: IceAgent;
  private turn: TurnClient | undefined;
  private hostBase: IceBase | undefined;
  private relayBase: IceBase | undefined;
  /** Peer addresses the TURN server refused a permission for (RFC 8656 §10.2: 403). */
  private refusedPeers: Set<string> | undefined;
  /** Installs TURN permissions for these peers ahead of the first packet (set with the relay). */
  private permit: ((peers: Endpoint[]) => void) | undefined;

  private constructor(private readonly socket: Socket, o: IceTransportOptions) {
    const share = o.shareWith;
    this.agent = new IceAgent({
      controlling: o.controlling, clock: o.clock, random: o.random, nomination: o.nomination, component: o.component ?? 1,
      ...(share ? { credentials: { ufrag: share.localUfrag, pwd: share.localPwd }, tieBreaker: share.tieBreaker } : {}),
    });
  }

  static async open(o: IceTransportOptions): Promise<IceTransport> {
    const t = await IceTransport.bind(o);
    await t.gather(o);
    return t;
  }

  /**
   * Both components of a stream (RFC 8445 §5.1.1): RTP, and with `rtcp` the RTCP component (for a
   * peer that may not take rtcp-mux, RFC 5761 §5.1.3) on its own socket, sharing credentials and
   * tie-breaker, gathered at the same time. A component 2 that cannot gather what it needs
   * (relay-only without an allocation) is left out: RTCP then rides on component 1.
   */
  static async openStream(o: IceTransportOptions, rtcp: boolean): Promise<{ rtp: IceTransport; rtcp: IceTransport | undefined }> {
    const rtp = await IceTransport.bind(o);
    const second = rtcp ? await IceTransport.bind({ ...o, port: undefined, component: 2, shareWith: rtp.agent }).catch(() => undefined) : undefined;
    try {
      await Promise.all([rtp.gather(o), second?.gather({ ...o, component: 2 })]);
    } catch (e) {
      await Promise.all([rtp.close(), second?.close()]);
      throw e;
    }
    if (second && o.relayOnly && !second.localParameters().candidates.some((c) => c.type === 'relay')) {
      await second.close();
      return { rtp, rtcp: undefined };
    }
    return { rtp, rtcp: second };
  }

  private static async bind(o: IceTransportOptions): Promise<IceTransport> {
    const socket = createSocket(o.bindAddress.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(o.port ?? 0, o.bindAddress, () => { socket.off('error', reject); resolve(); });
    });
    socket.on('error', () => { /* ICMP errors: ICE checks and consent decide */ });
    return new IceTransport(socket, o);
  }

  private async gather(o: IceTransportOptions): Promise<void> {
    const local = this.socket.address();
    const gatherer = new StunClient({ send: (d, to) => this.socket.send(d, to.port, to.address), clock: o.clock, random: o.random, rc: 3 });
    const hostBase: IceBase = { send: (d, to) => this.socket.send(d, to.port, to.address) };
    this.hostBase = hostBase;
    const hostId = this.agent.addBase(hostBase);
    this.socket.on('message', (data, rinfo) => {
      const from = { address: rinfo.address, port: rinfo.port };
      if (looksLikeStun(data)) {
        const r = parseStun(data);
        if (r.ok && gatherer.handleResponse(r.message)) return;
        if (this.agent.handlePacket(data, from, hostId)) return;
      }
      this.onPacket?.(data, from);
    });
    if (!o.relayOnly) this.agent.addLocalCandidate({ type: 'host', address: local.address, port: local.port }, hostId);
    const pending: Promise<void>[] = [];
    if (o.stun && !o.relayOnly) {
      pending.push(discoverMapping(gatherer, { address: o.stun.host, port: o.stun.port }).then((r) => {
        if (r.ok) this.agent.addLocalCandidate({ type: 'srflx', address: r.mapped.address, port: r.mapped.port, relatedAddress: local.address, relatedPort: local.port }, hostId, `${o.stun!.host}:${o.stun!.port}`);
      }));
    }
    if (o.turn) pending.push(this.allocateRelay(o, o.turn));
    await Promise.all(pending);
  }

  /** RFC 8445 §5.1.1.2: a relayed candidate from a TURN allocation; its base is the allocation. */
  private async allocateRelay(o: IceTransportOptions, c: TurnServerConfig): Promise<void> {
    let carrier;
    try {
      carrier = await openCarrier({ transport: c.transport, server: { host: c.host, port: c.port }, ca: c.ca, servername: c.servername });
    } catch {
      return;
    }
    const turn = new TurnClient({ carrier, server: { address: c.host, port: c.port }, username: c.username, password: c.password, clock: o.clock, random: o.random });
    const allocated = await turn.allocate();
    if (!allocated.ok) {
      await turn.close();
      return;
    }
    this.turn = turn;
    const permitted = new Set<string>();
    /** Addresses the server refused to relay to (403, e.g. private space): never asked again, nothing sent. */
    const refused = new Set<string>();
    const waiting = new Map<string, { data: Buffer; to: Endpoint }[]>();
    const peer = (to: Endpoint) => ({ family: (to.address.includes(':') ? 6 : 4) as 4 | 6, address: to.address, port: to.port });
    // RFC 8656 §9: the relay forwards only for peers with a permission. One CreatePermission per
    // address: a server refuses the whole request for one address it will not relay to (§10.2),
    // which would leave the others without one too.
    const request = (address: string) => {
      if (permitted.has(address) || refused.has(address) || waiting.has(address)) return;
      waiting.set(address, []);
      void turn.createPermission([peer({ address, port: 0 })]).then((r) => {
        const held = waiting.get(address) ?? [];
        waiting.delete(address);
        if (!r.ok) {
          if (r.code === 403) refused.add(address);
          return;
        }
        permitted.add(address);
        for (const h of held) turn.send(peer(h.to), h.data);
      });
    };
    const relayBase: IceBase = {
      send: (data, to) => {
        if (permitted.has(to.address)) { turn.send(peer(to), data); return; }
        if (refused.has(to.address)) return;
        request(to.address);
        // Only checks wait for the permission: held media would arrive as a late burst the
        // peer's jitter buffer throws away (a gap), so it is dropped like any early packet.
        const queue = waiting.get(to.address);
        if (queue && looksLikeStun(data) && queue.length < MAX_QUEUED) queue.push({ data, to });
      },
    };
    this.relayBase = relayBase;
    this.refusedPeers = refused;
    // RFC 8445 §5.1.1.2: permissions for the peer's candidates as soon as they are known, so
    // checks and media do not wait behind CreatePermission (nor arrive in a burst).
    this.permit = (peers) => {
      for (const address of new Set(peers.map((p) => p.address))) request(address);
    };
    const relayId = this.agent.addBase(relayBase);
    turn.onData = (from, data) => {
      const e = { address: from.address, port: from.port };
      if (!this.agent.handlePacket(data, e, relayId)) this.onPacket?.(data, e);
    };
    const { relayed, mapped } = allocated.value;
    this.agent.addLocalCandidate({ type: 'relay', address: relayed.address, port: relayed.port, relatedAddress: mapped?.address, relatedPort: mapped?.port }, relayId, `${c.host}:${c.port}`);
  }

  /** What goes into our SDP (RFC 8839). */
  localParameters(): { ufrag: string; pwd: string; candidates: Candidate[] } {
    return { ufrag: this.agent.localUfrag, pwd: this.agent.localPwd, candidates: this.agent.localCandidates };
  }

  /** The peer's SDP ICE parameters; starts the checks. */
  connect(remote: RemoteIce): void {
    this.permit?.(remote.candidates);
    this.agent.setRemote(remote);
    this.agent.start();
  }

  send(data: Buffer): boolean {
    return this.agent.send(data);
  }

  /**
   * Without ICE (a peer that does not do it): send from the host socket, or through the TURN
   * allocation as a fixed relay. False when that base does not exist (no allocation).
   */
  sendTo(data: Buffer, to: Endpoint, via: 'host' | 'relay'): boolean {
    if (via === 'relay') this.permit?.([to]);
    const base = via === 'relay' ? this.relayBase : this.hostBase;
    base?.send(data, to);
    return base !== undefined;
  }

  stats(): IceTransportStats {
    const refused = this.refusedPeers?.size ? { refusedPeers: [...this.refusedPeers] } : {};
    return { ...this.agent.stats(), turn: this.turn && { ...this.turn.stats(), ...refused } };
  }

  async close(): Promise<void> {
    this.agent.close();
    await this.turn?.close();
    try { this.socket.close(); } catch { /* closed */ }
  }
}
