/**
 * Connection-oriented transport (TCP or TLS): a listening server plus a pool of connections
 * reused by remote address:port (§18.1.1 "SHOULD reuse", RFC 5923-lite aliases for incoming ones).
 * The TCP/TLS specifics (how to connect, how to accept) are injected.
 */
import type { Server, Socket } from 'node:net';
import { isIP } from 'node:net';
import type { Clock, TimerHandle } from '../../util/clock.js';
import { describeSocketError, type TransportEvent } from './events.js';
import { endpointKey, normalizeAddress } from './address.js';
import { EventTally, InboundGate, defaultInboundLimits, type InboundLimits } from './inbound-limits.js';
import { StreamConnection } from './stream-connection.js';
import type { StreamFramerLimits } from './stream-framer.js';
import type { Destination } from './types.js';

export interface StreamDriver {
  protocol: 'tcp' | 'tls';
  /** Start connecting; `ready` is the socket event meaning "usable" (connect / secureConnect). */
  connect(destination: Destination, localAddress: string | undefined): { socket: Socket; ready: 'connect' | 'secureConnect' };
  /** A server that calls onSocket for every accepted (and, for TLS, handshaken) socket. */
  createServer(onSocket: (socket: Socket) => void, onEvent: (e: TransportEvent) => void): Server;
}

export interface StreamTransportOptions {
  bindAddress: string;
  clock: Clock;
  keepAliveIntervalMs: number;
  pongTimeoutMs: number;
  strictPong?: boolean;
  idleTimeoutMs: number;
  connectTimeoutMs: number;
  limits?: StreamFramerLimits;
  /** Caps and timeouts for connections other hosts open to us (defaults: defaultInboundLimits). */
  inbound?: Partial<InboundLimits>;
  onMessage(connection: StreamConnection, data: Buffer): void;
  onEvent(e: TransportEvent): void;
}

export class StreamTransport {
  private readonly byId = new Map<string, StreamConnection>();
  private readonly byEndpoint = new Map<string, StreamConnection>();
  private readonly pending = new Map<string, Promise<StreamConnection>>();
  private server: Server | undefined;
  private nextId = 1;
  private readonly inbound: InboundLimits;
  private readonly gate: InboundGate;
  /** Inbound connections refused, and closed (timed out or by the peer): summaries per kind (a flood must not flood the log). */
  private readonly refusals: EventTally;
  private readonly closures: EventTally;
  listeningPort: number | undefined;

  constructor(
    private readonly driver: StreamDriver,
    private readonly opts: StreamTransportOptions,
  ) {
    this.inbound = { ...defaultInboundLimits, ...opts.inbound };
    this.gate = new InboundGate(this.inbound);
    this.refusals = new EventTally(opts.clock, (e) => opts.onEvent(e));
    this.closures = new EventTally(opts.clock, (e) => opts.onEvent(e));
  }

  get protocol(): 'tcp' | 'tls' {
    return this.driver.protocol;
  }

  get connectionCount(): number {
    return this.byId.size;
  }

  listen(port: number): Promise<void> {
    const server = this.driver.createServer((socket) => this.accept(socket), this.opts.onEvent);
    // Sockets beyond the total cap are closed by node before we see them (also during TLS handshakes).
    server.maxConnections = this.inbound.maxConnections;
    server.on('drop', (data) => this.refusals.add({
      kind: 'connection-refused', protocol: this.protocol, message: `more than ${this.inbound.maxConnections} inbound connections`,
      ...(data?.remoteAddress ? { remote: { address: normalizeAddress(data.remoteAddress), port: data.remotePort ?? 0 } } : {}),
    }));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.opts.bindAddress, () => {
        server.off('error', reject);
        server.on('error', (err: NodeJS.ErrnoException) =>
          this.opts.onEvent({ kind: 'socket-error', protocol: this.protocol, message: err.message, code: err.code }));
        const address = server.address();
        this.listeningPort = typeof address === 'object' && address ? address.port : port;
        resolve();
      });
    });
  }

  connection(id: string): StreamConnection | undefined {
    const c = this.byId.get(id);
    return c?.open ? c : undefined;
  }

  find(address: string, port: number): StreamConnection | undefined {
    const c = this.byEndpoint.get(endpointKey(this.protocol, address, port));
    return c?.open ? c : undefined;
  }

  /** RFC 5923-lite: requests to address:port may reuse this (incoming) connection. */
  addAlias(connection: StreamConnection, address: string, port: number): void {
    const key = endpointKey(this.protocol, address, port);
    if (!this.byEndpoint.get(key)?.open) this.byEndpoint.set(key, connection);
  }

  /** An open connection to the destination, reusing one when possible. */
  getOrConnect(destination: Destination): Promise<StreamConnection> {
    const existing = this.find(destination.address, destination.port);
    if (existing) return Promise.resolve(existing);
    const key = endpointKey(this.protocol, destination.address, destination.port);
    let pending = this.pending.get(key);
    if (!pending) {
      pending = this.connect(destination).finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    return pending;
  }

  /** Inbound connections currently open (diagnostics, tests). */
  get inboundCount(): number {
    return this.gate.open;
  }

  /** Close every connection, ours and inbound, without reporting them (the network changed under them). */
  closeConnections(): void {
    for (const c of [...this.byId.values()]) c.close();
  }

  async close(): Promise<void> {
    this.refusals.stop();
    this.closures.stop();
    for (const c of [...this.byId.values()]) c.close();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private connect(destination: Destination): Promise<StreamConnection> {
    const target = `${destination.serverName ?? destination.address}:${destination.port}`;
    const bind = normalizeAddress(this.opts.bindAddress);
    const sameFamily = isIP(bind) === isIP(normalizeAddress(destination.address));
    const local = sameFamily && bind !== '0.0.0.0' && bind !== '::' ? bind : undefined;
    return new Promise((resolve, reject) => {
      let socket: Socket;
      let ready: 'connect' | 'secureConnect';
      const onError = (err: unknown) => {
        this.opts.clock.clearTimeout(timer);
        socket.destroy();
        const error = describeSocketError(err, this.protocol, target);
        this.opts.onEvent({
          kind: 'connection-failed', protocol: this.protocol, message: error.message, outbound: true,
          remote: { address: destination.address, port: destination.port }, ...(error.code ? { code: error.code } : {}),
        });
        reject(error);
      };
      try {
        ({ socket, ready } = this.driver.connect(destination, local));
      } catch (err) {
        reject(describeSocketError(err, this.protocol, target));
        return;
      }
      const timer: TimerHandle = this.opts.clock.setTimeout(
        () => onError(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' })),
        this.opts.connectTimeoutMs,
      );
      socket.once('error', onError);
      socket.once(ready, () => {
        this.opts.clock.clearTimeout(timer);
        socket.off('error', onError);
        const connection = this.adopt(socket, true);
        this.addAlias(connection, destination.address, destination.port);
        resolve(connection);
      });
    });
  }

  /** A connection another host opened: counted against the caps, timed until its first message. */
  private accept(socket: Socket): void {
    const address = normalizeAddress(socket.remoteAddress ?? '');
    if (!this.gate.admit(address)) {
      socket.destroy();
      this.refusals.add({
        kind: 'connection-refused', protocol: this.protocol, remote: { address, port: socket.remotePort ?? 0 },
        message: `inbound connection limit (${this.inbound.maxPerAddress} per address, ${this.inbound.maxConnections} in all)`,
      });
      return;
    }
    this.adopt(socket, false, address);
  }

  private adopt(socket: Socket, outbound: boolean, countedAddress?: string): StreamConnection {
    const o = this.opts;
    const connection = new StreamConnection(socket, {
      id: `${this.protocol}-${this.nextId++}`, protocol: this.protocol, outbound, clock: o.clock,
      keepAliveIntervalMs: o.keepAliveIntervalMs, pongTimeoutMs: o.pongTimeoutMs,
      // Flows we opened (to our registrar) stay up; connections opened to us idle out.
      idleTimeoutMs: outbound ? o.idleTimeoutMs : this.inbound.idleMs,
      ...(outbound ? {} : { firstMessageMs: this.inbound.firstMessageMs }),
      strictPong: o.strictPong ?? false, ...(o.limits ? { limits: o.limits } : {}),
    }, {
      message: (c, data) => o.onMessage(c, data),
      closed: (c, event) => {
        if (countedAddress !== undefined) this.gate.release(countedAddress);
        this.forget(c, event, countedAddress !== undefined);
      },
    });
    this.byId.set(connection.id, connection);
    if (!outbound) this.addAlias(connection, connection.remoteAddress, connection.remotePort);
    return connection;
  }

  private forget(connection: StreamConnection, event: TransportEvent | undefined, inbound = false): void {
    this.byId.delete(connection.id);
    for (const [key, c] of this.byEndpoint) if (c === connection) this.byEndpoint.delete(key);
    if (!event) return;
    // Connections others open come and go all the time: summarised, never one event each.
    if (inbound && (event.kind === 'idle-timeout' || event.kind === 'connection-closed')) this.closures.add(event);
    else this.opts.onEvent(event);
  }
}
