/** The Via rules of RFC 3261 §18 and RFC 3581 (rport), as pure functions on a parsed Via. */
import type { Headers } from '../message/headers.js';
import { SipParseError, type Via } from '../message/types.js';
import { formatHost } from '../message/host.js';
import { parseVia } from '../message/via.js';
import { defaultPort, normalizeAddress } from './address.js';
import type { Destination, Source, TransportProtocol } from './types.js';

/**
 * The caller leaves sent-by for us to fill: empty host, the literal 0.0.0.0, or port 0 (what
 * localAddress() reports for a stream transport before it has a socket).
 */
export function isPlaceholderSentBy(via: Via): boolean {
  return via.host === '' || via.host === '0.0.0.0' || via.port === 0;
}

/** Sent-protocol followed directly by params or the end: the caller left sent-by empty. */
const emptySentBy = /^(\s*[^/\s]+\s*\/\s*[^/\s]+\s*\/\s*[^\s;]+)\s*(?:;|$)/;

/** The top Via of a request we send; an empty sent-by ("SIP/2.0/UDP ;branch=...") reads as 0.0.0.0. */
export function readOwnVia(headers: Headers): Via {
  const text = headers.get('Via');
  if (text === undefined) throw new SipParseError('missing Via header field');
  const m = emptySentBy.exec(text);
  return parseVia(m ? `${m[1]!} 0.0.0.0${text.slice(m[1]!.length)}` : text);
}

export function protocolOfVia(via: Via): TransportProtocol | undefined {
  switch (via.transport.toUpperCase()) {
    case 'UDP': return 'udp';
    case 'TCP': return 'tcp';
    case 'TLS': return 'tls';
    default: return undefined;
  }
}

/**
 * §18.1.1: the transport token names the transport actually used; sent-by is filled from the
 * local socket when the caller left a placeholder. RFC 3581 §3: ask for rport.
 * Returns whether sent-by was a placeholder (so a later transport switch may refill it).
 */
export function prepareRequestVia(
  via: Via,
  protocol: TransportProtocol,
  local: { address: string; port: number },
  refill = false,
): boolean {
  const placeholder = refill || isPlaceholderSentBy(via);
  via.transport = protocol.toUpperCase();
  if (placeholder) {
    via.host = formatHost(local.address);
    via.port = local.port;
  }
  if (!via.params.has('rport')) via.params.set('rport', null);
  return placeholder;
}

/**
 * §18.2.1: add received when sent-by's host differs from the source address; RFC 3581 §4: when
 * the request carries rport, fill it with the source port and always add received.
 */
export function stampReceived(via: Via, source: Source): boolean {
  const wantsRport = via.params.has('rport');
  let changed = false;
  if (wantsRport || normalizeAddress(via.host) !== normalizeAddress(source.address)) {
    via.params.set('received', source.address);
    changed = true;
  }
  if (wantsRport) {
    via.params.set('rport', String(source.port));
    changed = true;
  }
  return changed;
}

/**
 * §18.2.2 (+ RFC 3581 §4): where a response goes when the request's connection is gone:
 * the received address (else sent-by host), for UDP the rport port when present, else the sent-by port.
 * maddr (multicast) is not supported: departure from §18.2.2's second rule.
 */
export function responseTarget(via: Via): Destination | undefined {
  const protocol = protocolOfVia(via);
  if (!protocol) return undefined;
  const received = via.params.get('received');
  const rport = via.params.get('rport');
  const address = normalizeAddress(received || via.host);
  if (address === '') return undefined;
  let port = via.port ?? defaultPort(protocol);
  // rport only helps datagrams; a new TCP/TLS connection goes to sent-by's (listening) port.
  if (rport && protocol === 'udp') {
    const n = Number(rport);
    if (Number.isInteger(n) && n > 0 && n < 65536) port = n;
  }
  return { protocol, address, port };
}

/** A response's top Via tells us how the far side saw us (RFC 3581 §4): NAT mapping, if any. */
export function learnedAddress(via: Via): { address: string; port: number } | undefined {
  const received = via.params.get('received');
  const rport = via.params.get('rport');
  const port = rport ? Number(rport) : NaN;
  if (!received || !Number.isInteger(port) || port <= 0 || port > 65535) return undefined;
  return { address: normalizeAddress(received), port };
}
