/**
 * The path to the TURN server (RFC 8656 §3.1): a UDP socket, or a TCP or TLS connection
 * carrying framed STUN and ChannelData. One carrier per allocation.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { StreamFramer } from './stream-framer.js';

export type TurnTransport = 'udp' | 'tcp' | 'tls';

export interface TurnCarrier {
  readonly transport: TurnTransport;
  /** Local address and port of our end (the host side of the allocation). */
  readonly local: { address: string; port: number };
  send(data: Buffer): void;
  /** One STUN message or ChannelData message per call. */
  onFrame: ((data: Buffer) => void) | undefined;
  /** The connection failed or closed (TCP/TLS); the allocation is gone (RFC 8656 §3.1). */
  onClose: ((reason: string) => void) | undefined;
  close(): void;
}

export interface CarrierOptions {
  transport: TurnTransport;
  server: { host: string; port: number };
  /** Local address to bind or connect from. */
  localAddress?: string;
  /** TLS: CA certificates to trust besides the system's, and the name to verify. */
  ca?: string | Buffer;
  servername?: string;
  /** Connection establishment limit [ms]. */
  connectTimeoutMs?: number;
}

export function openCarrier(o: CarrierOptions): Promise<TurnCarrier> {
  return o.transport === 'udp' ? openUdp(o) : openStream(o);
}

function openUdp(o: CarrierOptions): Promise<TurnCarrier> {
  return new Promise((resolve, reject) => {
    const socket: UdpSocket = createSocket(o.server.host.includes(':') ? 'udp6' : 'udp4');
    socket.once('error', reject);
    socket.bind({ address: o.localAddress, port: 0 }, () => {
      socket.off('error', reject);
      const addr = socket.address();
      const carrier: TurnCarrier = {
        transport: 'udp',
        local: { address: addr.address, port: addr.port },
        send: (data) => socket.send(data, o.server.port, o.server.host),
        onFrame: undefined,
        onClose: undefined,
        close: () => { try { socket.close(); } catch { /* closed */ } },
      };
      socket.on('error', () => { /* ICMP errors: retransmissions cover them */ });
      socket.on('message', (data, rinfo) => {
        // Only the server speaks on this socket; anything else is dropped.
        if (rinfo.port === o.server.port && rinfo.address === o.server.host) carrier.onFrame?.(data);
      });
      resolve(carrier);
    });
  });
}

function openStream(o: CarrierOptions): Promise<TurnCarrier> {
  return new Promise((resolve, reject) => {
    const options = { host: o.server.host, port: o.server.port, localAddress: o.localAddress };
    const socket: Socket = o.transport === 'tls'
      ? tlsConnect({ ...options, ca: o.ca, servername: o.servername ?? o.server.host })
      : tcpConnect(options);
    const timer = setTimeout(() => { socket.destroy(); reject(new Error('TURN connection timed out')); }, o.connectTimeoutMs ?? 10_000);
    timer.unref();
    const framer = new StreamFramer();
    let carrier: TurnCarrier | undefined;
    socket.once('error', (e) => {
      clearTimeout(timer);
      if (carrier) carrier.onClose?.(e.message);
      else reject(e);
    });
    socket.once(o.transport === 'tls' ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      carrier = {
        transport: o.transport,
        local: { address: socket.localAddress ?? '', port: socket.localPort ?? 0 },
        send: (data) => { if (!socket.destroyed) socket.write(data); },
        onFrame: undefined,
        onClose: undefined,
        close: () => socket.destroy(),
      };
      socket.on('data', (chunk: Buffer) => {
        const r = framer.push(chunk);
        if (!r.ok) {
          socket.destroy();
          carrier!.onClose?.(r.reason);
          return;
        }
        for (const f of r.frames) carrier!.onFrame?.(f);
      });
      socket.on('close', () => carrier!.onClose?.('connection closed'));
      resolve(carrier);
    });
  });
}
