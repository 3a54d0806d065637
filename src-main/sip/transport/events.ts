/** Errors and diagnostic events of the transport layer. */
import type { TransportProtocol } from './types.js';

export type TransportEventKind =
  | 'socket-error'
  | 'connection-failed'
  | 'connection-closed'
  /** An inbound connection over the limits (docs/security.md), closed at once. */
  | 'connection-refused'
  | 'framing-error'
  | 'keepalive-timeout'
  | 'idle-timeout'
  | 'parse-error'
  | 'dropped'
  | 'handler-error';

export interface TransportEvent {
  kind: TransportEventKind;
  protocol: TransportProtocol;
  remote?: { address: string; port: number };
  connectionId?: string;
  /** A connection we opened (a flow, RFC 5626 §3), not one another host opened to us. */
  outbound?: boolean;
  /** Human-readable detail. */
  message: string;
  /** Node/OpenSSL error code when there is one (ECONNREFUSED, DEPTH_ZERO_SELF_SIGNED_CERT...). */
  code?: string;
}

/** A send failure. `code` carries the system or TLS verification code when known. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    message: string,
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Codes OpenSSL/Node use when a peer certificate fails verification. */
const tlsVerifyCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED', 'CERT_REJECTED', 'CERT_SIGNATURE_FAILURE', 'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_REVOKED', 'INVALID_CA', 'INVALID_PURPOSE', 'HOSTNAME_MISMATCH',
]);

/** Wrap a socket error with where it happened; TLS verification failures say so plainly. */
export function describeSocketError(err: unknown, protocol: TransportProtocol, target: string): TransportError {
  const code = typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
  const detail = err instanceof Error ? err.message : String(err);
  const what = code && tlsVerifyCodes.has(code) ? 'TLS certificate verification failed' : `${protocol.toUpperCase()} error`;
  return new TransportError(`${what} for ${target}: ${detail}${code ? ` (${code})` : ''}`, code, { cause: err });
}
