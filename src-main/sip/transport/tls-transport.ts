/**
 * RFC 3261 §26.2 / RFC 5922 SIP over TLS: the node:tls driver for StreamTransport. Certificates and
 * host names are verified by default; a custom CA is trusted in addition to the system roots.
 */
import { isIP } from 'node:net';
import { connect, createServer, rootCertificates } from 'node:tls';
import type { StreamDriver } from './stream-transport.js';
import { describeSocketError } from './events.js';

export interface TlsOptions {
  /** Custom CA (PEM), trusted in addition to the system roots. */
  ca?: string | Buffer;
  /** Verify the server certificate and host name (default true). */
  rejectUnauthorized?: boolean;
  /** Certificate and key (PEM) for listening. */
  cert?: string | Buffer;
  key?: string | Buffer;
}

export function tlsDriver(opts: TlsOptions = {}): StreamDriver {
  const ca = opts.ca ? [...rootCertificates, opts.ca.toString()] : undefined;
  return {
    protocol: 'tls',
    connect(destination, localAddress) {
      const name = destination.serverName ?? destination.address;
      const socket = connect({
        host: destination.address,
        port: destination.port,
        // SNI only carries host names (RFC 6066 §3); verification uses this name or the IP.
        ...(isIP(name) === 0 ? { servername: name } : {}),
        ...(ca ? { ca } : {}),
        rejectUnauthorized: opts.rejectUnauthorized ?? true,
        ...(localAddress ? { localAddress } : {}),
      });
      return { socket, ready: 'secureConnect' };
    },
    createServer(onSocket, onEvent) {
      if (!opts.cert || !opts.key) throw new Error('TLS listening needs tls.cert and tls.key');
      // A handshake that does not finish in 10 s is dropped (node's default waits 120 s).
      const server = createServer({ cert: opts.cert, key: opts.key, handshakeTimeout: 10_000 }, onSocket);
      server.on('tlsClientError', (err, socket) => {
        const e = describeSocketError(err, 'tls', `${socket.remoteAddress}:${socket.remotePort}`);
        onEvent({ kind: 'connection-failed', protocol: 'tls', message: e.message, ...(e.code ? { code: e.code } : {}) });
      });
      return server;
    },
  };
}
