/** A new call's media settings: the account's codecs and SRTP policy, unless the host overrides them. */
import type { CodecName } from '../media/codecs/codec.js';
import type { SrtpPolicy } from '../media/sdp/offer-answer.js';
import type { CallMediaOptions } from '../calls/call-media.js';
import type { AccountSettings } from '../contract/settings.js';

/** Host-wide media settings (the CLI's --codecs, --srtp, --rtp-port). */
export interface MediaOverrides {
  codecs?: CodecName[];
  srtp?: SrtpPolicy;
  rtpPort?: number;
}

const codecNames: Record<AccountSettings['codecs'][number], CodecName> = { opus: 'opus', g722: 'G722', pcmu: 'PCMU', pcma: 'PCMA' };

/** `bindAddress`: where RTP binds (an address of this machine); what SDP advertises is decided per account by the call layer. */
export function mediaOptionsFor(account: AccountSettings | undefined, overrides: MediaOverrides, bindAddress: string): CallMediaOptions {
  const codecs = overrides.codecs ?? account?.codecs.map((c) => codecNames[c]);
  return {
    bindAddress,
    srtp: overrides.srtp ?? account?.srtp ?? 'off',
    ...(codecs ? { codecs } : {}),
    ...(overrides.rtpPort !== undefined ? { rtpPort: overrides.rtpPort } : {}),
  };
}
