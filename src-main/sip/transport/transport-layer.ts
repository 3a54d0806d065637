/**
 * RFC 3261 §18 transport layer over UDP, TCP and TLS: fills our Via (§18.1.1, RFC 3581 §3),
 * moves large UDP requests to TCP, routes responses (§18.2.2) and runs the receive checks.
 */
import { getTopVia } from '../message/accessors.js';
import { defaultLimits, type ParseLimits } from '../message/parser.js';
import { serializeMessage } from '../message/serializer.js';
import type { SipRequest, SipResponse, Via } from '../message/types.js';
import { systemClock, type Clock } from '../../util/clock.js';
import { cryptoRandom, type Random } from '../../util/random.js';
import { advertisedAddress } from './local-address.js';
import { describeSocketError, TransportError, type TransportEvent } from './events.js';
import { emptyStats, handleIncoming, writeTopVia, type IncomingContext, type TransportStats } from './incoming.js';
import type { InboundLimits } from './inbound-limits.js';
import type { StreamConnection } from './stream-connection.js';
import { StreamTransport, type StreamTransportOptions } from './stream-transport.js';
import { tcpDriver } from './tcp-transport.js';
import { tlsDriver, type TlsOptions } from './tls-transport.js';
import type { Destination, IncomingMessage, Source, Transport, TransportProtocol } from './types.js';
import { UdpTransport } from './udp-transport.js';
import { isStunRange, UdpStun, type StunBindingOptions, type StunBindingOutcome, type StunTarget, type UdpStunStats } from './udp-stun.js';
import { prepareRequestVia, readOwnVia, responseTarget } from './via-rules.js';

/** Largest UDP payload over IPv4; a bigger request cannot fall back to UDP at all. */
const MAX_DATAGRAM_BYTES = 65507;

export interface TransportLayerOptions {
  bindAddress: string;
  /** 0 = ephemeral; undefined = don't listen (and, for UDP, no UDP at all). */
  udpPort?: number;
  tcpPort?: number;
  tlsPort?: number;
  tls?: TlsOptions;
  clock?: Clock;
  /** To tags of stateless 400s. */
  random?: Random;
  /** RFC 5626 §4.4.1 CRLF ping interval on connections we opened; 0/undefined = off. */
  keepAliveIntervalMs?: number;
  /** Flow failed when no pong within this (default 10 000, RFC 5626 §4.4.1). */
  pongTimeoutMs?: number;
  /** Require a pong for every ping, even from peers that never answered one (default false). */
  strictPong?: boolean;
  /** Close connections idle this long; 0/undefined = never. */
  idleTimeoutMs?: number;
  /** Default 10 000. */
  connectTimeoutMs?: number;
  /** Caps and timeouts for connections other hosts open to our TCP/TLS listeners. */
  inbound?: Partial<InboundLimits>;
  /** §18.1.1: larger UDP requests go over TCP (default 1300). */
  maxUdpBytes?: number;
  parseLimits?: ParseLimits;
  onError?(e: TransportEvent): void;
}

export class TransportLayer implements Transport {
  private readonly clock: Clock;
  private readonly handlers: ((incoming: IncomingMessage) => void)[] = [];
  private readonly counters = emptyStats();
  private readonly udp: UdpTransport;
  private readonly tcp: StreamTransport;
  private readonly tls: StreamTransport;
  private readonly learned = new Map<TransportProtocol, { address: string; port: number }>();
  private readonly lastLocal = new Map<TransportProtocol, { address: string; port: number }>();
  private readonly incoming: IncomingContext;
  private readonly maxUdpBytes: number;
  private readonly opening = new Map<'tcp' | 'tls', Promise<void>>();
  private readonly stun: UdpStun;

  constructor(private readonly opts: TransportLayerOptions) {
    this.clock = opts.clock ?? systemClock();
    this.maxUdpBytes = opts.maxUdpBytes ?? 1300;
    const report = (e: TransportEvent) => this.report(e);
    this.incoming = {
      stats: this.counters,
      random: opts.random ?? cryptoRandom,
      limits: opts.parseLimits ?? defaultLimits,
      deliver: (m) => this.deliver(m),
      respond: (response, source) => void this.respondStateless(response, source),
      learn: (protocol, address) => this.learned.set(protocol, address),
      alias: (source, via) => this.aliasConnection(source, via),
      report,
    };
    this.udp = new UdpTransport(opts.bindAddress, (data, address, port) => {
      // RFC 7983 §7 / RFC 5626 §4.4.2: STUN's first byte is 0..3; it never reaches the SIP parser.
      if (isStunRange(data)) {
        this.counters.received++;
        this.stun.receive(data, address, port);
      } else handleIncoming(this.incoming, data, { protocol: 'udp', address, port });
    }, report);
    this.stun = new UdpStun((data, address, port) => this.udp.send(data, address, port), this.clock, this.incoming.random);
    const streamOpts: StreamTransportOptions = {
      bindAddress: opts.bindAddress, clock: this.clock,
      // §18.3: never buffer a body the parser would refuse anyway.
      limits: { maxHeaderBytes: 64 * 1024, maxBodyBytes: this.incoming.limits.maxMessageBytes },
      keepAliveIntervalMs: opts.keepAliveIntervalMs ?? 0, pongTimeoutMs: opts.pongTimeoutMs ?? 10_000,
      strictPong: opts.strictPong ?? false,
      idleTimeoutMs: opts.idleTimeoutMs ?? 0, connectTimeoutMs: opts.connectTimeoutMs ?? 10_000,
      ...(opts.inbound ? { inbound: opts.inbound } : {}),
      onMessage: (c, data) => handleIncoming(this.incoming, data, sourceOf(c)),
      onEvent: report,
    };
    this.tcp = new StreamTransport(tcpDriver, streamOpts);
    this.tls = new StreamTransport(tlsDriver(opts.tls), streamOpts);
  }

  async start(): Promise<void> {
    const o = this.opts;
    if (o.udpPort !== undefined) await this.udp.start(o.udpPort);
    if (o.tcpPort !== undefined) await this.tcp.listen(o.tcpPort);
    if (o.tlsPort !== undefined) await this.tls.listen(o.tlsPort);
  }

  /**
   * Open the TCP or TLS listener now (an account started using that transport); a no-op when it
   * listens already. Tries `port`, then the UDP port number, then any free port.
   */
  listen(protocol: 'tcp' | 'tls', port?: number): Promise<void> {
    if (this.stream(protocol).listeningPort !== undefined) return Promise.resolve();
    let pending = this.opening.get(protocol);
    if (!pending) {
      pending = this.openListener(protocol, port).finally(() => this.opening.delete(protocol));
      this.opening.set(protocol, pending);
    }
    return pending;
  }

  private async openListener(protocol: 'tcp' | 'tls', port: number | undefined): Promise<void> {
    const stream = this.stream(protocol);
    const tries = [...new Set([port, this.udp.listening ? this.udp.port : undefined].filter((p): p is number => !!p)), 0];
    for (const [i, p] of tries.entries()) {
      try {
        await stream.listen(p);
        return;
      } catch (err) {
        if (i === tries.length - 1) throw err;
      }
    }
  }

  async stop(): Promise<void> {
    this.stun.close();
    await Promise.all([this.udp.stop(), this.tcp.close(), this.tls.close()]);
  }

  /**
   * The network changed: close every TCP/TLS connection (its local address may be gone; RFC 5626
   * §4.4 flows are formed again by the next request) and forget what peers told us about our address.
   */
  resetFlows(): void {
    this.learned.clear();
    this.lastLocal.clear();
    this.tcp.closeConnections();
    this.tls.closeConnections();
  }

  onMessage(handler: (incoming: IncomingMessage) => void): void {
    this.handlers.push(handler);
  }

  isReliable(protocol: TransportProtocol): boolean {
    return protocol !== 'udp';
  }

  /**
   * Our own address: where we listen. A NAT's public address is not ours; the user agent learns it
   * per account from its registrar (contact rewrite) and keeps it apart from this one.
   */
  localAddress(protocol: TransportProtocol): { address: string; port: number } {
    const listening = this.listeningPort(protocol);
    // A stream without a listener is reached only over its flow: advertise the flow as the far
    // side saw it (RFC 3581 §4) when known, else the local port of our latest connection.
    const learned = this.learned.get(protocol);
    if (learned && protocol !== 'udp' && listening === undefined) return { ...learned };
    const port = listening ?? this.lastLocal.get(protocol)?.port ?? 0;
    return { address: advertisedAddress(this.opts.bindAddress), port };
  }

  /**
   * A STUN Binding request from the SIP UDP socket (RFC 5626 §4.4.2 keep-alive to a registrar, or
   * a STUN server showing the SIP port's public mapping). Resolves once answered or timed out.
   */
  stunBinding(to: StunTarget, options: StunBindingOptions = {}): Promise<StunBindingOutcome> {
    if (!this.udp.listening) return Promise.resolve({ ok: false, answered: false, detail: 'UDP transport is not enabled' });
    return this.stun.binding(to, options);
  }

  stats(): TransportStats & { connections: number; inboundConnections: number; stun: UdpStunStats } {
    return {
      ...this.counters,
      stun: { ...this.stun.stats },
      connections: this.tcp.connectionCount + this.tls.connectionCount,
      inboundConnections: this.tcp.inboundCount + this.tls.inboundCount,
    };
  }

  async send(message: SipRequest | SipResponse, destination: Destination, options: { connectionId?: string } = {}): Promise<Destination> {
    try {
      const sent = message.kind === 'request'
        ? await this.sendRequest(message, destination)
        : await this.sendResponse(message, destination, options.connectionId);
      this.counters.sent++;
      return sent;
    } catch (err) {
      this.counters.sendErrors++;
      throw err instanceof TransportError ? err : describeSocketError(err, destination.protocol, `${destination.address}:${destination.port}`);
    }
  }

  /** §18.1.1. The top Via is updated in place, so retransmissions carry the same one. */
  private async sendRequest(request: SipRequest, destination: Destination): Promise<Destination> {
    let via: Via;
    try {
      via = readOwnVia(request.headers);
    } catch (err) {
      throw new TransportError(`cannot send ${request.method}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (destination.protocol !== 'udp') return this.sendOverStream(request, via, destination, false);
    if (!this.udp.listening) throw new TransportError('UDP transport is not enabled');
    const placeholder = prepareRequestVia(via, 'udp', this.viaLocal('udp'));
    writeTopVia(request.headers, via);
    const data = serializeMessage(request);
    if (data.length > this.maxUdpBytes) {
      // §18.1.1: too big for UDP, use a congestion-controlled transport; fall back only if it fails.
      const viaTcp = { ...destination, protocol: 'tcp' as const };
      try {
        const sent = await this.sendOverStream(request, via, viaTcp, placeholder);
        this.counters.udpToTcp++;
        return sent;
      } catch (err) {
        if (data.length > MAX_DATAGRAM_BYTES) throw err;
        prepareRequestVia(via, 'udp', this.viaLocal('udp'), placeholder);
        writeTopVia(request.headers, via);
        await this.udp.send(serializeMessage(request), destination.address, destination.port);
        return destination;
      }
    }
    await this.udp.send(data, destination.address, destination.port);
    return destination;
  }

  private async sendOverStream(request: SipRequest, via: Via, destination: Destination, refill: boolean): Promise<Destination> {
    const transport = this.stream(destination.protocol);
    const connection = await transport.getOrConnect(destination);
    this.lastLocal.set(destination.protocol, { address: connection.localAddress, port: connection.localPort });
    const local = {
      address: advertisedAddress(this.opts.bindAddress, connection.localAddress),
      port: transport.listeningPort ?? connection.localPort,
    };
    prepareRequestVia(via, destination.protocol, local, refill);
    writeTopVia(request.headers, via);
    await connection.write(serializeMessage(request));
    return destination;
  }

  /** §18.2.2: same connection if still open, else received/rport (UDP) or received + sent-by port. */
  private async sendResponse(response: SipResponse, fallback: Destination, connectionId?: string): Promise<Destination> {
    const data = serializeMessage(response);
    const open = connectionId ? (this.tcp.connection(connectionId) ?? this.tls.connection(connectionId)) : undefined;
    if (open) {
      await open.write(data);
      return { protocol: open.protocol, address: open.remoteAddress, port: open.remotePort };
    }
    let via: Via | undefined;
    try {
      via = getTopVia(response);
    } catch {
      via = undefined;
    }
    const target = (via && responseTarget(via)) ?? fallback;
    if (target.protocol === 'udp') {
      await this.udp.send(data, target.address, target.port);
      return target;
    }
    const transport = this.stream(target.protocol);
    const rport = Number(via?.params.get('rport'));
    const reuse = Number.isInteger(rport) ? transport.find(target.address, rport) : undefined;
    const connection = reuse ?? (await transport.getOrConnect(target));
    await connection.write(data);
    return { protocol: target.protocol, address: connection.remoteAddress, port: connection.remotePort };
  }

  private async respondStateless(response: SipResponse, source: Source): Promise<void> {
    try {
      await this.send(response, source, source.connectionId ? { connectionId: source.connectionId } : {});
    } catch (err) {
      this.report({ kind: 'socket-error', protocol: source.protocol, message: `stateless response failed: ${String(err)}` });
    }
  }

  private aliasConnection(source: Source, via: Via): void {
    const connection = source.connectionId
      ? (this.tcp.connection(source.connectionId) ?? this.tls.connection(source.connectionId))
      : undefined;
    // Only alias a sent-by that is the connection's own address (RFC 5923 §5 requires more).
    if (connection && via.port && via.host === source.address) {
      this.stream(connection.protocol).addAlias(connection, via.host, via.port);
    }
  }

  private stream(protocol: TransportProtocol): StreamTransport {
    if (protocol === 'tcp') return this.tcp;
    if (protocol === 'tls') return this.tls;
    throw new TransportError(`not a stream transport: ${protocol}`);
  }

  private listeningPort(protocol: TransportProtocol): number | undefined {
    if (protocol === 'udp') return this.udp.listening ? this.udp.port : undefined;
    return this.stream(protocol).listeningPort;
  }

  private viaLocal(protocol: TransportProtocol): { address: string; port: number } {
    return { address: advertisedAddress(this.opts.bindAddress), port: this.listeningPort(protocol) ?? 0 };
  }

  /** Every handler sees every message, even when an earlier one throws. */
  private deliver(incoming: IncomingMessage): void {
    for (const handler of this.handlers) {
      try {
        handler(incoming);
      } catch (err) {
        const { protocol, address, port } = incoming.source;
        this.report({ kind: 'handler-error', protocol, remote: { address, port }, message: String(err) });
      }
    }
  }

  private report(e: TransportEvent): void {
    try {
      this.opts.onError?.(e);
    } catch {
      // A faulty diagnostics hook must not break the socket path.
    }
  }
}

function sourceOf(c: StreamConnection): Source {
  return { protocol: c.protocol, address: c.remoteAddress, port: c.remotePort, connectionId: c.id };
}
