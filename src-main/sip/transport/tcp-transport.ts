/** RFC 3261 §18 over TCP: the node:net driver for StreamTransport. */
import { connect, createServer } from 'node:net';
import type { StreamDriver } from './stream-transport.js';

export const tcpDriver: StreamDriver = {
  protocol: 'tcp',
  connect(destination, localAddress) {
    const socket = connect({ host: destination.address, port: destination.port, ...(localAddress ? { localAddress } : {}) });
    return { socket, ready: 'connect' };
  },
  createServer(onSocket) {
    return createServer(onSocket);
  },
};
