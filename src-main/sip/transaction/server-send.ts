import type { SipResponse } from '../message/index.js';
import type { Source, Transport } from '../transport/types.js';

/**
 * RFC 3261 §18.2.2: a response goes back where the request came from — on the same connection
 * for stream transports, else to the source address (the transport applies received/rport).
 */
export function sendResponse(transport: Transport, source: Source, response: SipResponse): Promise<unknown> {
  const destination = { protocol: source.protocol, address: source.address, port: source.port };
  return source.connectionId !== undefined
    ? transport.send(response, destination, { connectionId: source.connectionId })
    : transport.send(response, destination);
}
