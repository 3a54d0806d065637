/**
 * Userspace UDP relay on loopback that impairs the path like netem (not available here): each
 * datagram is dropped with probability `lossPercent`, or held for a uniform random 0…`jitterMs`
 * before it is forwarded — so datagrams also overtake each other. With `jitterMs` 0 it is a plain
 * loss relay (datagrams leave at once, in order). Both directions, each with its own seeded
 * generator (reproducible), or one given `random` for both. Clients send to `port`; each client
 * gets its own upstream socket towards the target, so replies go back to the right client.
 *
 * To put the relay between two RTP peers whose addresses are known (symmetric RTP, RFC 4961):
 * peer A sends to `port`, peer B sends to `await relay.upstreamPort(A)`; each then receives from
 * exactly the address it sends to, so latching holds.
 */
import { createSocket, type Socket } from 'node:dgram';
import { systemClock, type Clock, type TimerHandle } from '../../../src-main/util/clock.js';
import { seededRandom } from '../../support/seeded-random.js';

export interface Impairment {
  /** Share of datagrams dropped, 0…100. */
  lossPercent: number;
  /** Each forwarded datagram is held a uniform random 0…jitterMs [ms]. */
  jitterMs: number;
}

export interface LinkStats {
  received: number;
  /** Dropped by the loss draw. */
  lost: number;
  /** Dropped because `maxQueued` datagrams were already held. */
  overflowed: number;
  forwarded: number;
  /** Forwarded after a datagram that arrived later than it. */
  reordered: number;
  /** Longest hold [ms]. */
  maxDelayMs: number;
}

interface Held<T> { item: T; releaseAtMs: number; index: number; heldMs: number }

/**
 * One direction of the relay, pure: push() decides drop or hold, release() hands out what is due
 * in release order (ties in arrival order). Time comes in as arguments. Draws: one per datagram
 * for loss, one more for the delay of each datagram kept when there is jitter.
 */
export class DelayLine<T> {
  private held: Held<T>[] = [];
  private arrivals = 0;
  private highestForwarded = -1;
  private readonly counters: LinkStats = { received: 0, lost: 0, overflowed: 0, forwarded: 0, reordered: 0, maxDelayMs: 0 };

  constructor(
    public impairment: Impairment,
    private readonly random: () => number,
    readonly maxQueued = 1000,
  ) {}

  /** The release time [ms], or why the datagram was dropped. */
  push(item: T, nowMs: number): number | 'lost' | 'overflow' {
    const c = this.counters;
    c.received++;
    const index = this.arrivals++;
    if (this.random() < this.impairment.lossPercent / 100) {
      c.lost++;
      return 'lost';
    }
    const heldMs = this.impairment.jitterMs > 0 ? this.random() * this.impairment.jitterMs : 0;
    if (this.held.length >= this.maxQueued) {
      c.overflowed++;
      return 'overflow';
    }
    const releaseAtMs = nowMs + heldMs;
    let at = this.held.length;
    while (at > 0 && this.held[at - 1]!.releaseAtMs > releaseAtMs) at--;
    this.held.splice(at, 0, { item, releaseAtMs, index, heldMs });
    return releaseAtMs;
  }

  /** Hands every datagram due at `nowMs` to `deliver`, earliest first. */
  release(nowMs: number, deliver: (item: T) => void): void {
    let n = 0;
    while (n < this.held.length && this.held[n]!.releaseAtMs <= nowMs) n++;
    if (n === 0) return;
    const due = this.held.splice(0, n);
    const c = this.counters;
    for (const h of due) {
      c.forwarded++;
      if (h.index < this.highestForwarded) c.reordered++;
      else this.highestForwarded = h.index;
      if (h.heldMs > c.maxDelayMs) c.maxDelayMs = h.heldMs;
      deliver(h.item);
    }
  }

  /** When the next datagram is due [ms]; Infinity when nothing is held. */
  get nextReleaseMs(): number {
    return this.held[0]?.releaseAtMs ?? Infinity;
  }

  get queued(): number {
    return this.held.length;
  }

  stats(): LinkStats {
    return { ...this.counters };
  }
}

export interface ImpairRelayOptions extends Impairment {
  /** Port to listen on (default: any free port). */
  listenPort?: number;
  target: { host: string; port: number };
  /** Seed of the client→target generator; target→client uses seed + 1 (default 1). */
  seed?: number;
  /** One source in [0, 1) for both directions instead of the seeded pair (a datagram is lost when random() < loss). */
  random?: () => number;
  /** Clock for the holds (default: the system clock). */
  clock?: Clock;
  /** Upper bound on distinct clients (default 64); datagrams from further clients are dropped. */
  maxClients?: number;
  /** Datagrams held at once per direction (default 1000); beyond that they are dropped. */
  maxQueued?: number;
}

export interface ImpairRelayStats {
  /** client → target */
  toTarget: LinkStats;
  /** target → client */
  toClient: LinkStats;
}

export interface ImpairRelay {
  host: '127.0.0.1';
  port: number;
  /** The port the target must send to for datagrams to reach `client` (binds it now if needed). */
  upstreamPort(client: { host: string; port: number }): Promise<number>;
  /** Changes the impairment of datagrams arriving from now on (both directions). */
  setImpairment(impairment: Partial<Impairment>): void;
  stats(): ImpairRelayStats;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

interface Datagram { data: Buffer; via: Socket; port: number; address: string }

function bind(sock: Socket, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(port, HOST, () => { sock.off('error', reject); resolve(); });
  });
}

function onLoopback(host: string): boolean {
  return host === HOST || host === 'localhost';
}

export async function startImpairRelay(opts: ImpairRelayOptions): Promise<ImpairRelay> {
  if (!onLoopback(opts.target.host)) throw new Error(`impair relay: target must be on loopback, got ${opts.target.host}`);
  const clock = opts.clock ?? systemClock();
  const seed = opts.seed ?? 1;
  const impairment: Impairment = { lossPercent: opts.lossPercent, jitterMs: opts.jitterMs };
  const toTarget = new DelayLine<Datagram>(impairment, opts.random ?? seededRandom(seed), opts.maxQueued);
  const toClient = new DelayLine<Datagram>(impairment, opts.random ?? seededRandom(seed + 1), opts.maxQueued);
  const maxClients = opts.maxClients ?? 64;
  const upstreams = new Map<string, Promise<Socket>>();
  let timer: TimerHandle | undefined;
  let timerAtMs = Infinity;
  let stopped = false;
  const front = createSocket('udp4');
  front.on('error', () => { /* keep relaying */ });
  await bind(front, opts.listenPort ?? 0);

  const send = (d: Datagram): void => {
    if (!stopped) d.via.send(d.data, d.port, d.address);
  };
  const wake = (): void => {
    timer = undefined;
    timerAtMs = Infinity;
    const now = clock.now();
    toTarget.release(now, send);
    toClient.release(now, send);
    schedule();
  };
  const schedule = (): void => {
    const next = Math.min(toTarget.nextReleaseMs, toClient.nextReleaseMs);
    if (stopped || next === Infinity || next >= timerAtMs) return;
    clock.clearTimeout(timer);
    timerAtMs = next;
    timer = clock.setTimeout(wake, Math.max(0, next - clock.now()));
  };
  const admit = (line: DelayLine<Datagram>, d: Datagram): void => {
    const now = clock.now();
    const at = line.push(d, now);
    if (typeof at !== 'number') return;
    if (at <= now) line.release(now, send);
    schedule();
  };

  const upstreamFor = (host: string, port: number): Promise<Socket> | undefined => {
    const key = `${host}:${port}`;
    let up = upstreams.get(key);
    if (up) return up;
    if (upstreams.size >= maxClients) return undefined;
    up = (async () => {
      const s = createSocket('udp4');
      s.on('error', () => { /* target may be gone */ });
      s.on('message', (data) => admit(toClient, { data, via: front, port, address: host }));
      await bind(s, 0);
      return s;
    })();
    upstreams.set(key, up);
    return up;
  };

  front.on('message', (data, rinfo) => {
    const up = upstreamFor(rinfo.address, rinfo.port);
    if (!up) return;
    void up.then((via) => admit(toTarget, { data, via, port: opts.target.port, address: opts.target.host }));
  });

  return {
    host: HOST,
    port: front.address().port,
    async upstreamPort(client) {
      if (!onLoopback(client.host)) throw new Error(`impair relay: client must be on loopback, got ${client.host}`);
      const up = upstreamFor(HOST, client.port);
      if (!up) throw new Error('impair relay: too many clients');
      return (await up).address().port;
    },
    setImpairment(change) {
      Object.assign(impairment, change);
    },
    stats: () => ({ toTarget: toTarget.stats(), toClient: toClient.stats() }),
    async stop() {
      stopped = true;
      clock.clearTimeout(timer);
      const socks = await Promise.all(upstreams.values());
      await Promise.all([front, ...socks].map((s) => new Promise<void>((r) => {
        try { s.close(() => r()); } catch { r(); }
      })));
      upstreams.clear();
    },
  };
}
