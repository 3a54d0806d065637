/**
 * Contact rewrite behind a NAT, as pjsip's `allow_contact_rewrite`: the registrar's view of our
 * address (received/rport in our Via of its response) replaces the local address in the Contact
 * we register and use in dialogs, so that requests to us come back through the NAT binding.
 * Pure functions; the registerer decides when to apply them.
 */
import { getTopVia } from '../../message/index.js';
import type { NameAddr, SipResponse, SipUri } from '../../message/index.js';
import { formatHost } from '../../message/index.js';
import { normalizeAddress } from '../../transport/address.js';
import type { TransportProtocol } from '../../transport/types.js';

/** Our address and port as a server saw them: the public side of a NAT, if there is one. */
export interface ObservedAddress {
  address: string;
  port: number;
}

/**
 * RFC 3581 §4: a server puts the source port of our request in `rport` and its source address in
 * `received` ("even if it is identical to the sent-by"); without `received` the sent-by host was it.
 */
export function observedAddress(response: SipResponse): ObservedAddress | undefined {
  let via;
  try {
    via = getTopVia(response);
  } catch {
    return undefined;
  }
  const port = Number(via.params.get('rport'));
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return undefined;
  const address = normalizeAddress(via.params.get('received') || via.host);
  return address === '' ? undefined : { address, port };
}

/**
 * Whether `contact` no longer says where the server can reach us. Over UDP the address and port
 * must both match; a stream's source port is ephemeral even without a NAT, so only its address counts.
 */
export function contactNeedsRewrite(contact: SipUri, observed: ObservedAddress, protocol: TransportProtocol): boolean {
  if (normalizeAddress(contact.host) !== observed.address) return true;
  return protocol === 'udp' && (contact.port ?? 5060) !== observed.port;
}

/** The same Contact (user, params) at the observed address and port. */
export function rewriteContact(contact: NameAddr, observed: ObservedAddress): NameAddr {
  return {
    ...contact,
    uri: { ...contact.uri, host: formatHost(observed.address), port: observed.port, params: new Map(contact.uri.params) },
    params: new Map(contact.params),
  };
}

/** Same binding (RFC 3261 §19.1.4 URI comparison, reduced to what a Contact of ours can differ in). */
export function sameContact(a: SipUri, b: SipUri): boolean {
  return normalizeAddress(a.host) === normalizeAddress(b.host) && (a.port ?? 5060) === (b.port ?? 5060) && a.user === b.user;
}
