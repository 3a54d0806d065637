/**
 * One TCP or TLS connection: framing (§18.3), RFC 5626 §4.4.1 CRLF keep-alive on connections we
 * opened, and an optional idle timeout. Timers run on the injected clock.
 */
import type { Socket } from 'node:net';
import type { Clock, TimerHandle } from '../../util/clock.js';
import type { TransportEvent } from './events.js';
import { normalizeAddress } from './address.js';
import { StreamFramer, type StreamFramerLimits, defaultFramerLimits } from './stream-framer.js';

const PING = Buffer.from('\r\n\r\n');
const PONG = Buffer.from('\r\n');

export interface StreamConnectionOptions {
  id: string;
  protocol: 'tcp' | 'tls';
  /** True when we opened it: we send the keep-alive pings (RFC 5626 §4.4.1). */
  outbound: boolean;
  clock: Clock;
  /** Ping interval; 0 disables keep-alive. */
  keepAliveIntervalMs: number;
  /** Close the flow when no pong arrives within this time after a ping (RFC 5626: 10 s). */
  pongTimeoutMs: number;
  /**
   * Require pongs from the first ping. Default false: a missing pong only fails the flow once the
   * peer has answered one, since servers without RFC 5626 ignore pings (§7.5) and never pong.
   */
  strictPong?: boolean;
  /** Close after this long without traffic either way; 0 disables. */
  idleTimeoutMs: number;
  /** Close unless one complete message arrives within this, ms (0/undefined = no limit). */
  firstMessageMs?: number;
  limits?: StreamFramerLimits;
}

export interface StreamConnectionHooks {
  message(connection: StreamConnection, data: Buffer): void;
  /** Called once when the connection is gone, with why when it was not a clean close. */
  closed(connection: StreamConnection, event?: TransportEvent): void;
}

export class StreamConnection {
  readonly id: string;
  readonly protocol: 'tcp' | 'tls';
  readonly outbound: boolean;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localPort: number;
  readonly localAddress: string;
  private readonly framer: StreamFramer;
  private lastActivity: number;
  private pingTimer: TimerHandle | undefined;
  private pongTimer: TimerHandle | undefined;
  private idleTimer: TimerHandle | undefined;
  private firstMessageTimer: TimerHandle | undefined;
  private closeReason: TransportEvent | undefined;
  private peerPonged = false;
  private done = false;
  /** We closed it (transport stop, network change): nothing to report. */
  private closing = false;

  constructor(
    private readonly socket: Socket,
    private readonly opts: StreamConnectionOptions,
    private readonly hooks: StreamConnectionHooks,
  ) {
    this.id = opts.id;
    this.protocol = opts.protocol;
    this.outbound = opts.outbound;
    this.remoteAddress = normalizeAddress(socket.remoteAddress ?? '');
    this.remotePort = socket.remotePort ?? 0;
    this.localAddress = normalizeAddress(socket.localAddress ?? '');
    this.localPort = socket.localPort ?? 0;
    this.lastActivity = opts.clock.now();
    this.framer = new StreamFramer({
      message: (data) => {
        if (this.firstMessageTimer) {
          opts.clock.clearTimeout(this.firstMessageTimer);
          this.firstMessageTimer = undefined;
        }
        hooks.message(this, data);
      },
      ping: () => {
        if (!socket.destroyed) socket.write(PONG);
      },
      pong: () => {
        this.peerPonged = true;
        opts.clock.clearTimeout(this.pongTimer);
        this.pongTimer = undefined;
      },
      error: (reason) => this.fail('framing-error', reason),
    }, opts.limits ?? defaultFramerLimits);

    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.lastActivity = opts.clock.now();
      this.framer.push(chunk);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.closeReason ??= this.event('socket-error', err.message, err.code);
    });
    socket.on('close', () => {
      // A clean close (FIN) by the far side: a flow that ended, for whoever registered over it (RFC 5626 §4.4).
      if (!this.closing) this.closeReason ??= this.event('connection-closed', 'closed by the peer');
      this.finish();
    });
    if (opts.outbound && opts.keepAliveIntervalMs > 0) this.schedulePing();
    if (opts.idleTimeoutMs > 0) this.scheduleIdleCheck(opts.idleTimeoutMs);
    if (opts.firstMessageMs) {
      this.firstMessageTimer = opts.clock.setTimeout(
        () => this.fail('idle-timeout', `no complete SIP message within ${opts.firstMessageMs} ms of connecting`),
        opts.firstMessageMs,
      );
    }
  }

  get open(): boolean {
    return !this.done && !this.socket.destroyed && this.socket.writable;
  }

  /** The peer has answered a ping: it speaks RFC 5626 keep-alive. */
  get pongSeen(): boolean {
    return this.peerPonged;
  }

  /** A keep-alive ping is outstanding (RFC 5626 §4.4.1). */
  get awaitingPong(): boolean {
    return this.pongTimer !== undefined;
  }

  write(data: Buffer): Promise<void> {
    if (!this.open) return Promise.reject(new Error(`connection ${this.id} is closed`));
    this.lastActivity = this.opts.clock.now();
    return new Promise((resolve, reject) => {
      this.socket.write(data, (err) => (err ? reject(err) : resolve()));
    });
  }

  close(): void {
    this.closing = true;
    this.socket.destroy();
    this.finish();
  }

  private schedulePing(): void {
    this.pingTimer = this.opts.clock.setTimeout(() => {
      if (!this.open) return;
      // RFC 5626 §4.4.1: CRLFCRLF ping; expect a CRLF pong.
      this.socket.write(PING);
      if (this.opts.strictPong || this.peerPonged) this.pongTimer ??= this.opts.clock.setTimeout(
        () => this.fail('keepalive-timeout', `no pong within ${this.opts.pongTimeoutMs} ms`),
        this.opts.pongTimeoutMs,
      );
      this.schedulePing();
    }, this.opts.keepAliveIntervalMs);
  }

  private scheduleIdleCheck(ms: number): void {
    this.idleTimer = this.opts.clock.setTimeout(() => {
      const idle = this.opts.clock.now() - this.lastActivity;
      if (idle >= this.opts.idleTimeoutMs) this.fail('idle-timeout', `idle for ${idle} ms`);
      else this.scheduleIdleCheck(this.opts.idleTimeoutMs - idle);
    }, ms);
  }

  private fail(kind: TransportEvent['kind'], message: string): void {
    this.closeReason ??= this.event(kind, message);
    this.close();
  }

  private event(kind: TransportEvent['kind'], message: string, code?: string): TransportEvent {
    return {
      kind, protocol: this.protocol, message, connectionId: this.id, outbound: this.outbound,
      remote: { address: this.remoteAddress, port: this.remotePort }, ...(code ? { code } : {}),
    };
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    const { clock } = this.opts;
    clock.clearTimeout(this.pingTimer);
    clock.clearTimeout(this.pongTimer);
    clock.clearTimeout(this.idleTimer);
    clock.clearTimeout(this.firstMessageTimer);
    this.hooks.closed(this, this.closeReason);
  }
}
