/**
 * Where a call's media binds and what it advertises. Behind a NAT the two differ: RTP binds to an
 * address of this machine (the host's bind address) while SDP c=/o= carry the public address the
 * account's registrar saw us at (RFC 3581 received), so the far end sends to the NAT, which maps
 * it back to the port we send from (symmetric RTP, RFC 4961).
 */
import type { CallMediaOptions, MediaAddresses, ResolvedMediaOptions } from './call-media.js';

/** What the user agent knows of the account's addresses. */
export interface AccountAddresses {
  /** Learnt from the registrar (a NAT's public side), if any: advertised, never bound. */
  publicAddress: string | undefined;
  /** The concrete local address SIP uses for the account. */
  localAddress: string;
}

export function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || address === '';
}

export function resolveMediaAddresses(options: CallMediaOptions, account: AccountAddresses): ResolvedMediaOptions {
  const { bindAddress, advertisedAddress, ...rest } = options;
  const bind = bindAddress ?? (account.localAddress.includes(':') ? '::' : '0.0.0.0');
  const advertised = advertisedAddress ?? account.publicAddress ?? (isWildcard(bind) ? account.localAddress : bind);
  return {
    ...rest, bindAddress: bind, advertisedAddress: advertised, hostAddress: isWildcard(bind) ? account.localAddress : bind,
    ...(advertisedAddress !== undefined ? { advertisedFixed: true } : {}),
  };
}

/**
 * A call's addresses after a network change: bound where it was (the engine keeps its socket), the
 * host address and the advertised one (unless the host fixed it) from what the account has now.
 */
export function renewedAddresses(current: MediaAddresses, account: AccountAddresses): MediaAddresses {
  const wildcard = isWildcard(current.bindAddress);
  return {
    bindAddress: current.bindAddress,
    advertisedAddress: current.advertisedFixed ? current.advertisedAddress : account.publicAddress ?? (wildcard ? account.localAddress : current.bindAddress),
    hostAddress: wildcard ? account.localAddress : current.bindAddress,
    ...(current.advertisedFixed ? { advertisedFixed: true } : {}),
  };
}
