/**
 * TURN client (RFC 8656) for one allocation with long-term credentials (RFC 8489 §9.2).
 *
 *   idle ─allocate()─▶ allocating ─2xx─▶ allocated ─close()─▶ closed
 *                          │                 │ refresh fails / carrier closes
 *                          └──error──▶ failed ◀┘
 *
 * Timers (injected clock): the allocation is refreshed 60 s before its lifetime ends (§7),
 * permissions every 240 s (they last 300 s, §9), channel bindings every 540 s (600 s, §12).
 * Data goes through a channel when one is bound (ChannelData, §12.4), else in Send indications
 * (§11). Known departures: no 300 Try Alternate (ALTERNATE-SERVER), no EVEN-PORT/reservations,
 * IPv4 relays only.
 */
import type { Clock, TimerHandle } from '../../util/clock.js';
import type { Random } from '../../util/random.js';
import {
  decodeErrorCode, decodeText, decodeU32, decodeXorAddress, encodeChannelNumber, encodeRequestedTransport,
  encodeU32, encodeXorAddress, type TransportAddress,
} from '../stun/attributes.js';
import { Attr, Bounds, StunClass, StunMethod } from '../stun/constants.js';
import { longTermKey } from '../stun/credentials.js';
import { attribute, checkIntegrity, encodeStun, parseStun, type StunMessage } from '../stun/message.js';
import { StunClient, type StunEndpoint } from '../stun/transaction.js';
import { encodeChannelData, isChannelData, MAX_CHANNEL, MIN_CHANNEL, parseChannelData } from './channel-data.js';
import type { TurnCarrier } from './carrier.js';

export type TurnState = 'idle' | 'allocating' | 'allocated' | 'failed' | 'closed';

export interface TurnClientOptions {
  carrier: TurnCarrier;
  server: StunEndpoint;
  username: string;
  password: string;
  clock: Clock;
  random: Random;
  /** Requested allocation lifetime [s] (§7.1; the server may shorten it). */
  lifetime?: number;
  software?: string;
}

export type TurnResult<T> = { ok: true; value: T } | { ok: false; reason: string; code?: number };

export interface Allocation {
  relayed: TransportAddress;
  /** Our address as the server saw it (a server-reflexive candidate, RFC 8656 §7.3). */
  mapped: TransportAddress | undefined;
  /** [s] */
  lifetime: number;
}

export interface TurnStats {
  state: TurnState;
  transport: string;
  relayed?: string;
  refreshes: number;
  permissions: number;
  channels: number;
  packetsSent: number;
  packetsReceived: number;
}

/** [s] Refresh the allocation this long before it expires. */
const REFRESH_MARGIN_S = 60;
/** [ms] §9: permissions last 300 s; refresh at 240 s. */
export const PERMISSION_REFRESH_MS = 240_000;
/** [ms] §12: channel bindings last 600 s; refresh at 540 s. */
export const CHANNEL_REFRESH_MS = 540_000;

const key = (a: TransportAddress) => `${a.address}:${a.port}`;

export class TurnClient {
  state: TurnState = 'idle';
  allocation: Allocation | undefined;
  /** Application data from a peer (Data indication or ChannelData). */
  onData: ((peer: TransportAddress, data: Buffer) => void) | undefined;
  /** The allocation was lost (refresh failed, connection closed). */
  onFailed: ((reason: string) => void) | undefined;

  private readonly stun: StunClient;
  private realm: string | undefined;
  private nonce: string | undefined;
  private hmacKey: Buffer | undefined;
  private refreshTimer: TimerHandle | undefined;
  private readonly permissions = new Map<string, TimerHandle>();
  private readonly channels = new Map<string, { number: number; timer: TimerHandle | undefined }>();
  private readonly channelPeers = new Map<number, TransportAddress>();
  private nextChannel = MIN_CHANNEL;
  private closing = false;
  private readonly counts = { refreshes: 0, packetsSent: 0, packetsReceived: 0 };

  constructor(private readonly o: TurnClientOptions) {
    this.stun = new StunClient({
      send: (data) => o.carrier.send(data),
      clock: o.clock,
      random: o.random,
      reliable: o.carrier.transport !== 'udp',
    });
    o.carrier.onFrame = (data) => this.receive(data);
    o.carrier.onClose = (reason) => this.fail(`connection to the TURN server lost: ${reason}`);
  }

  /** §7.1: Allocate a UDP relay; the first 401 teaches realm and nonce (§9.2.3). */
  async allocate(): Promise<TurnResult<Allocation>> {
    if (this.state !== 'idle') return { ok: false, reason: `cannot allocate in state ${this.state}` };
    this.state = 'allocating';
    const lifetime = this.o.lifetime ?? 600;
    const r = await this.authenticated(StunMethod.Allocate, () => [
      { type: Attr.RequestedTransport, value: encodeRequestedTransport(17) },
      { type: Attr.Lifetime, value: encodeU32(lifetime) },
    ]);
    if (this.state !== 'allocating') return { ok: false, reason: 'closed while allocating' };
    if (!r.ok) {
      this.state = 'failed';
      return r;
    }
    const m = r.value;
    const relayedValue = attribute(m, Attr.XorRelayedAddress);
    const relayed = relayedValue && decodeXorAddress(relayedValue, m.transactionId);
    const mappedValue = attribute(m, Attr.XorMappedAddress);
    const granted = decodeU32(attribute(m, Attr.Lifetime) ?? Buffer.alloc(0));
    if (!relayed || granted === undefined) {
      this.state = 'failed';
      return { ok: false, reason: 'Allocate success without XOR-RELAYED-ADDRESS or LIFETIME' };
    }
    this.allocation = {
      relayed,
      mapped: mappedValue ? decodeXorAddress(mappedValue, m.transactionId) : undefined,
      lifetime: granted,
    };
    this.state = 'allocated';
    this.scheduleRefresh(granted);
    return { ok: true, value: this.allocation };
  }

  /** §8: Refresh with the requested lifetime (0 deletes the allocation). */
  async refresh(lifetime = this.o.lifetime ?? 600): Promise<TurnResult<number>> {
    const r = await this.authenticated(StunMethod.Refresh, () => [{ type: Attr.Lifetime, value: encodeU32(lifetime) }]);
    // §8: 437 Allocation Mismatch: the server has no allocation for us any more.
    if (!r.ok && r.code === 437) this.fail('the server no longer knows the allocation (437)');
    if (!r.ok) return r;
    if (lifetime === 0) {
      this.clearTimers();
      this.state = 'closed';
    }
    const granted = decodeU32(attribute(r.value, Attr.Lifetime) ?? Buffer.alloc(0)) ?? lifetime;
    this.counts.refreshes++;
    if (this.allocation) this.allocation.lifetime = granted;
    if (lifetime > 0 && this.state === 'allocated') this.scheduleRefresh(granted);
    return { ok: true, value: granted };
  }

  /** §9: install or refresh permissions for peers' IP addresses (ports do not matter). */
  async createPermission(peers: TransportAddress[]): Promise<TurnResult<void>> {
    const r = await this.authenticated(StunMethod.CreatePermission, (tid) =>
      peers.map((p) => ({ type: Attr.XorPeerAddress, value: encodeXorAddress(p, tid) })));
    if (!r.ok) return r;
    for (const p of peers) {
      this.o.clock.clearTimeout(this.permissions.get(p.address));
      this.permissions.set(p.address, this.o.clock.setTimeout(() => void this.createPermission([p]), PERMISSION_REFRESH_MS));
    }
    return { ok: true, value: undefined };
  }

  /** §12: bind a channel to a peer (also installs its permission); refreshed every 540 s. */
  async bindChannel(peer: TransportAddress): Promise<TurnResult<number>> {
    const existing = this.channels.get(key(peer));
    const number = existing?.number ?? this.nextChannel;
    if (!existing && number > MAX_CHANNEL) return { ok: false, reason: 'no channel numbers left' };
    if (!existing) this.nextChannel++;
    const r = await this.authenticated(StunMethod.ChannelBind, (tid) => [
      { type: Attr.ChannelNumber, value: encodeChannelNumber(number) },
      { type: Attr.XorPeerAddress, value: encodeXorAddress(peer, tid) },
    ]);
    if (!r.ok) return r;
    this.o.clock.clearTimeout(existing?.timer);
    const timer = this.o.clock.setTimeout(() => void this.bindChannel(peer), CHANNEL_REFRESH_MS);
    this.channels.set(key(peer), { number, timer });
    this.channelPeers.set(number, peer);
    this.permissions.set(peer.address, this.permissions.get(peer.address) ?? { id: -1 });
    return { ok: true, value: number };
  }

  /** Relay `data` to `peer`: ChannelData when bound (§12.6), else a Send indication (§11.1). */
  send(peer: TransportAddress, data: Uint8Array): boolean {
    if (this.state !== 'allocated') return false;
    const channel = this.channels.get(key(peer));
    if (channel) {
      this.o.carrier.send(encodeChannelData(channel.number, data, this.o.carrier.transport !== 'udp'));
    } else {
      const tid = this.stun.newTransactionId();
      this.o.carrier.send(encodeStun({
        method: StunMethod.Send, cls: StunClass.Indication, transactionId: tid,
        attributes: [{ type: Attr.XorPeerAddress, value: encodeXorAddress(peer, tid) }, { type: Attr.Data, value: data }],
      }));
    }
    this.counts.packetsSent++;
    return true;
  }

  stats(): TurnStats {
    return {
      state: this.state,
      transport: this.o.carrier.transport,
      relayed: this.allocation && key(this.allocation.relayed),
      refreshes: this.counts.refreshes,
      permissions: this.permissions.size,
      channels: this.channels.size,
      packetsSent: this.counts.packetsSent,
      packetsReceived: this.counts.packetsReceived,
    };
  }

  /** §8: delete the allocation (Refresh with LIFETIME 0), then close the carrier. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.clearTimers();
    if (this.state === 'allocated') {
      // Best effort, bounded: a lost reply must not hold the caller for 39.5 s.
      await Promise.race([this.refresh(0), new Promise<void>((r) => this.o.clock.setTimeout(r, 2000))]);
    }
    this.state = 'closed';
    this.stun.close();
    this.o.carrier.close();
  }

  private clearTimers(): void {
    this.o.clock.clearTimeout(this.refreshTimer);
    for (const t of this.permissions.values()) this.o.clock.clearTimeout(t);
    for (const c of this.channels.values()) this.o.clock.clearTimeout(c.timer);
  }

  private fail(reason: string): void {
    if (this.state === 'closed' || this.state === 'failed') return;
    this.state = 'failed';
    this.clearTimers();
    this.stun.close();
    this.onFailed?.(reason);
  }

  private scheduleRefresh(lifetime: number): void {
    this.o.clock.clearTimeout(this.refreshTimer);
    const seconds = lifetime > 2 * REFRESH_MARGIN_S ? lifetime - REFRESH_MARGIN_S : lifetime / 2;
    this.refreshTimer = this.o.clock.setTimeout(() => {
      void this.refresh().then((r) => { if (!r.ok) this.fail(`allocation refresh failed: ${r.reason}`); });
    }, seconds * 1000);
  }

  private receive(data: Buffer): void {
    if (isChannelData(data)) {
      const cd = parseChannelData(data);
      const peer = cd && this.channelPeers.get(cd.channel);
      if (cd && peer) {
        this.counts.packetsReceived++;
        this.onData?.(peer, cd.payload);
      }
      return;
    }
    const r = parseStun(data);
    if (!r.ok) return;
    const m = r.message;
    if (m.cls === StunClass.Indication && m.method === StunMethod.Data) {
      // §11.4: a Data indication carries XOR-PEER-ADDRESS and DATA.
      const peerValue = attribute(m, Attr.XorPeerAddress);
      const payload = attribute(m, Attr.Data);
      const peer = peerValue && decodeXorAddress(peerValue, m.transactionId);
      if (peer && payload && this.permissions.has(peer.address)) {
        this.counts.packetsReceived++;
        this.onData?.(peer, payload);
      }
      return;
    }
    this.stun.handleResponse(m);
  }

  /**
   * A request with long-term credentials (RFC 8489 §9.2.4): USERNAME, REALM, NONCE and
   * MESSAGE-INTEGRITY once a 401 taught realm and nonce; one retry on 401 or 438 (stale nonce).
   * Success responses must carry valid integrity (§9.2.5).
   */
  private async authenticated(
    method: number,
    attributes: (transactionId: Buffer) => { type: number; value: Buffer }[],
  ): Promise<TurnResult<StunMessage>> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const tid = this.stun.newTransactionId();
      const attrs = attributes(tid);
      const auth = this.hmacKey && this.realm !== undefined && this.nonce !== undefined;
      if (auth) {
        attrs.push(
          { type: Attr.Username, value: Buffer.from(this.o.username, 'utf8') },
          { type: Attr.Realm, value: Buffer.from(this.realm!, 'utf8') },
          { type: Attr.Nonce, value: Buffer.from(this.nonce!, 'utf8') },
        );
      }
      if (this.o.software) attrs.push({ type: Attr.Software, value: Buffer.from(this.o.software, 'utf8') });
      const outcome = await this.stun.requestWithId(tid, { method, attributes: attrs }, this.o.server,
        auth ? { integrity: this.hmacKey!, fingerprint: true } : { fingerprint: true });
      if (!outcome.ok) return { ok: false, reason: outcome.reason };
      const m = outcome.response;
      if (m.cls === StunClass.SuccessResponse) {
        if (!auth || !checkIntegrity(m, this.hmacKey!)) return { ok: false, reason: 'response failed the integrity check' };
        return { ok: true, value: m };
      }
      const error = decodeErrorCode(attribute(m, Attr.ErrorCode) ?? Buffer.alloc(0));
      const code = error?.code ?? 0;
      if ((code === 401 && !auth) || code === 438 || (code === 401 && attempt === 0)) {
        const realm = decodeText(attribute(m, Attr.Realm) ?? Buffer.alloc(0), Bounds.textBytes, Bounds.textChars);
        const nonce = decodeText(attribute(m, Attr.Nonce) ?? Buffer.alloc(0), Bounds.textBytes, Bounds.textChars);
        if (!nonce || (realm === undefined && this.realm === undefined)) return { ok: false, reason: `${code} without REALM/NONCE`, code };
        if (realm !== undefined && realm !== this.realm) {
          this.realm = realm;
          this.hmacKey = longTermKey(this.o.username, realm, this.o.password);
        }
        this.nonce = nonce;
        continue;
      }
      return { ok: false, reason: `${code} ${error?.reason ?? 'malformed ERROR-CODE'}`, code };
    }
    return { ok: false, reason: 'authentication failed' };
  }
}
