/** Loopback plumbing for the robustness tests: a UDP peer, TCP clients, a TCP sink, waiting. */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { setImmediate as tick } from 'node:timers/promises';
import type { DnsResolver } from '../../src-main/sip/transport/index.js';
import type { Random } from '../../src-main/util/random.js';
import type { Prng } from './prng.js';

/**
 * Spin the event loop until `done()` holds, at most `maxTurns` turns (socket I/O runs in between).
 * Returns whether it held. Used for pacing; the liveness checks use `within` instead.
 */
export async function turns(done: () => boolean, maxTurns: number): Promise<boolean> {
  for (let i = 0; i < maxTurns; i++) {
    if (done()) return true;
    await tick();
  }
  return done();
}

/** Wait on the kernel until `done()` holds or `ms` of wall time passed (liveness, not timing). */
export async function within(done: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return true;
}

/** The stack's Random from the fuzz PRNG, so a seed replays the stack's tags and branches too. */
export function seededRandom(rnd: Prng): Random {
  return {
    token: (bits = 96) => rnd.token(Math.ceil(bits / 5.1)),
    int: (max) => rnd.int(Math.max(1, max)),
  };
}

/** No DNS in these tests: every name fails to resolve. */
export const noDns: DnsResolver = {
  resolveNaptr: () => Promise.reject(new Error('no DNS in the fuzz test')),
  resolveSrv: () => Promise.reject(new Error('no DNS in the fuzz test')),
  resolve4: () => Promise.reject(new Error('no DNS in the fuzz test')),
  resolve6: () => Promise.reject(new Error('no DNS in the fuzz test')),
};

export class UdpPeer {
  readonly received: Buffer[] = [];
  sendErrors = 0;
  private constructor(readonly socket: UdpSocket, readonly port: number) {}

  static async open(onMessage?: (data: Buffer) => void): Promise<UdpPeer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const peer = new UdpPeer(socket, socket.address().port);
    socket.setRecvBufferSize(8 * 1024 * 1024);
    socket.setSendBufferSize(8 * 1024 * 1024);
    socket.on('error', () => peer.sendErrors++);
    socket.on('message', (data) => {
      if (onMessage) onMessage(data);
      else peer.received.push(data);
    });
    return peer;
  }

  send(data: Buffer, port: number): void {
    this.socket.send(data, port, '127.0.0.1', (err) => {
      if (err) this.sendErrors++;
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

/** A TCP client connection that keeps what it reads and knows when the peer closed. */
export class TcpPeer {
  closed = false;
  data = Buffer.alloc(0);
  private constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.onData?.(chunk);
      // Keep only the tail: enough to find a response, bounded however much arrives.
      this.data = Buffer.concat([this.data, chunk]).subarray(-256 * 1024);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
    });
  }

  onData: ((chunk: Buffer) => void) | undefined;

  static open(port: number): Promise<TcpPeer> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new TcpPeer(socket));
      });
    });
  }

  write(data: Buffer): void {
    if (!this.closed && this.socket.writable) this.socket.write(data);
  }

  text(): string {
    return this.data.toString('latin1');
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** Accepts connections and discards everything: where the stack's new-connection responses land. */
export async function tcpSink(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('data', () => {});
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Process-wide traps for anything that escapes the stack; `stop()` removes them. */
export function trapEscapes(): { escaped: string[]; stop(): void } {
  const escaped: string[] = [];
  const onException = (err: unknown) => escaped.push(`uncaughtException: ${String((err as Error)?.stack ?? err)}`);
  const onRejection = (err: unknown) => escaped.push(`unhandledRejection: ${String((err as Error)?.stack ?? err)}`);
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return {
    escaped,
    stop() {
      process.off('uncaughtException', onException);
      process.off('unhandledRejection', onRejection);
    },
  };
}
