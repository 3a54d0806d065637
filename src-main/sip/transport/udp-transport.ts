/** RFC 3261 §18 over UDP: one bound socket used to send and receive (symmetric, RFC 3581 friendly). */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { normalizeAddress } from './address.js';
import type { TransportEvent } from './events.js';

export class UdpTransport {
  private socket: Socket | undefined;
  port = 0;

  constructor(
    private readonly bindAddress: string,
    private readonly onDatagram: (data: Buffer, address: string, port: number) => void,
    private readonly onEvent: (e: TransportEvent) => void,
  ) {}

  get listening(): boolean {
    return this.socket !== undefined;
  }

  start(port: number): Promise<void> {
    const socket = createSocket({ type: isIP(normalizeAddress(this.bindAddress)) === 6 ? 'udp6' : 'udp4' });
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, normalizeAddress(this.bindAddress), () => {
        socket.off('error', reject);
        socket.on('error', (err: NodeJS.ErrnoException) =>
          this.onEvent({ kind: 'socket-error', protocol: 'udp', message: err.message, ...(err.code ? { code: err.code } : {}) }));
        socket.on('message', (data: Buffer, rinfo: RemoteInfo) => this.onDatagram(data, normalizeAddress(rinfo.address), rinfo.port));
        this.socket = socket;
        this.port = socket.address().port;
        resolve();
      });
    });
  }

  send(data: Buffer, address: string, port: number): Promise<void> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new Error('UDP transport is not started'));
    return new Promise((resolve, reject) => {
      socket.send(data, port, address, (err) => (err ? reject(err) : resolve()));
    });
  }

  stop(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) return Promise.resolve();
    return new Promise((resolve) => socket.close(() => resolve()));
  }
}
