/**
 * Userspace UDP relay on loopback that drops datagrams at random (netem is not available here).
 * Clients send to `port`; each client gets its own upstream socket towards the target, so replies
 * from the target go back to the right client. Loss is decided independently per datagram and
 * per direction.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

export interface LossRelayOptions {
  /** Port to listen on (default: any free port). */
  listenPort?: number;
  target: { host: string; port: number };
  /** Share of datagrams to drop in each direction, 0…100. */
  lossPercent: number;
  /** Source of randomness in [0, 1) (default Math.random); a datagram is dropped when random() < loss. */
  random?: () => number;
  /** Upper bound on distinct clients (default 64); datagrams from further clients are dropped. */
  maxClients?: number;
}

export interface DirectionStats { forwarded: number; dropped: number }
export interface LossRelayStats extends DirectionStats {
  /** client → target */
  toTarget: DirectionStats;
  /** target → client */
  toClient: DirectionStats;
}

export interface LossRelay {
  host: '127.0.0.1';
  port: number;
  stats(): LossRelayStats;
  /** Changes the loss share for datagrams from now on. */
  setLoss(percent: number): void;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

function bind(sock: Socket, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(port, HOST, () => { sock.off('error', reject); resolve(); });
  });
}

export async function startLossRelay(opts: LossRelayOptions): Promise<LossRelay> {
  if (opts.target.host !== HOST && opts.target.host !== 'localhost') {
    throw new Error(`loss relay: target must be on loopback, got ${opts.target.host}`);
  }
  let loss = opts.lossPercent / 100;
  const random = opts.random ?? Math.random;
  const maxClients = opts.maxClients ?? 64;
  const toTarget: DirectionStats = { forwarded: 0, dropped: 0 };
  const toClient: DirectionStats = { forwarded: 0, dropped: 0 };
  const upstreams = new Map<string, Promise<Socket>>();
  const front = createSocket('udp4');
  front.on('error', () => { /* keep relaying */ });
  await bind(front, opts.listenPort ?? 0);

  const pass = (dir: DirectionStats): boolean => {
    if (random() < loss) { dir.dropped++; return false; }
    dir.forwarded++;
    return true;
  };

  const upstreamFor = (client: RemoteInfo): Promise<Socket> | undefined => {
    const key = `${client.address}:${client.port}`;
    let up = upstreams.get(key);
    if (up) return up;
    if (upstreams.size >= maxClients) return undefined;
    up = (async () => {
      const s = createSocket('udp4');
      s.on('error', () => { /* target may be gone */ });
      s.on('message', (msg) => { if (pass(toClient)) front.send(msg, client.port, client.address); });
      await bind(s, 0);
      return s;
    })();
    upstreams.set(key, up);
    return up;
  };

  front.on('message', (msg, rinfo) => {
    const up = upstreamFor(rinfo);
    if (!up) { toTarget.dropped++; return; }
    if (!pass(toTarget)) return;
    void up.then((s) => s.send(msg, opts.target.port, opts.target.host));
  });

  return {
    host: HOST,
    port: front.address().port,
    stats: () => ({
      forwarded: toTarget.forwarded + toClient.forwarded,
      dropped: toTarget.dropped + toClient.dropped,
      toTarget: { ...toTarget },
      toClient: { ...toClient },
    }),
    setLoss(percent: number) { loss = percent / 100; },
    async stop() {
      const socks = await Promise.all(upstreams.values());
      await Promise.all([front, ...socks].map((s) => new Promise<void>((r) => {
        try { s.close(() => r()); } catch { r(); }
      })));
      upstreams.clear();
    },
  };
}

/** A small seeded PRNG (mulberry32) in [0, 1) for reproducible loss patterns. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
