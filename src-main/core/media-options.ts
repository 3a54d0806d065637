/** A new call's media settings: the account's codecs and SRTP policy, unless the host overrides them. */
import type { CodecName } from '../media/codecs/codec.js';
import type { SrtpPolicy } from '../media/sdp/offer-answer.js';
import type { CallMediaOptions } from '../calls/call-media.js';
import type { AccountSettings } from '../contract/settings.js';
import type { NatTraversal } from '../calls/ice-media-path.js';
import { parseServerUri } from '../net/stun/uri.js';

/** Host-wide media settings (the CLI's --codecs, --srtp, --rtp-port). */
export interface MediaOverrides {
  codecs?: CodecName[];
  srtp?: SrtpPolicy;
  rtpPort?: number;
  /** --stun/--turn/--ice: replace the account's NAT settings when given. */
  nat?: NatTraversal;
}

const codecNames: Record<AccountSettings['codecs'][number], CodecName> = { opus: 'opus', g722: 'G722', pcmu: 'PCMU', pcma: 'PCMA' };

/** `bindAddress`: where RTP binds (an address of this machine); what SDP advertises is decided per account by the call layer. */
export function mediaOptionsFor(account: AccountSettings | undefined, overrides: MediaOverrides, bindAddress: string,
  turnPassword?: string, tlsCa?: string): CallMediaOptions {
  const codecs = overrides.codecs ?? account?.codecs.map((c) => codecNames[c]);
  const nat = overrides.nat ?? accountNat(account, turnPassword, tlsCa);
  return {
    bindAddress,
    ...(nat ? { nat } : {}),
    srtp: overrides.srtp ?? account?.srtp ?? 'off',
    ...(codecs ? { codecs } : {}),
    ...(overrides.rtpPort !== undefined ? { rtpPort: overrides.rtpPort } : {}),
  };
}

/**
 * The account's STUN/TURN/ICE settings with the meaning of the CLI flags: ICE on by default once a
 * server is set; a TURN server without a username or stored password is left out (nothing to
 * authenticate with).
 */
export function accountNat(account: AccountSettings | undefined, turnPassword: string | undefined, tlsCa?: string): NatTraversal | undefined {
  const n = account?.nat;
  if (!n) return undefined;
  const stun = n.stun !== undefined ? parseServerUri(n.stun, 'stun') : undefined;
  const turn = n.turn !== undefined ? parseServerUri(n.turn, 'turn') : undefined;
  const usableTurn = typeof turn === 'object' && n.turnUsername && turnPassword ? turn : undefined;
  const usableStun = typeof stun === 'object' ? stun : undefined;
  if (n.stun === undefined && n.turn === undefined && n.ice === undefined) return undefined;
  return {
    ice: (n.ice ?? 'on') === 'on',
    relayOnly: n.icePolicy === 'relay' && usableTurn !== undefined,
    ...(usableStun ? { stun: { host: usableStun.host, port: usableStun.port } } : {}),
    ...(usableTurn ? { turn: { ...usableTurn, username: n.turnUsername!, password: turnPassword!, ...(tlsCa ? { ca: tlsCa } : {}) } } : {}),
  };
}
