/** One SIP account: identity, credentials, registrar and policy. Validated by the hosts. */
import type { TransportProtocol } from '../../transport/types.js';

/** Which out-of-dialog INVITEs ring (SIP scanners send random ones; docs/security.md). */
export type IncomingCallPolicy =
  /** Default: from the registrar / outbound proxy (their addresses, the flow we registered on). */
  | 'trusted'
  /** Explicit and weaker: also INVITEs whose Request-URI user is the account's (scanners guess it). */
  | 'trusted-or-addressed'
  /** Anything that reaches us (direct-IP calling). */
  | 'any';

/**
 * Whose REFERs we follow (RFC 3515; docs/security.md): `domain` (default) targets in the
 * account's SIP domain or its registrar's, `ask` lets the host decide each one, `any` follows all.
 */
export type TransferPolicy = 'domain' | 'ask' | 'any';

/** Where an account's registration stands (the Registerer's state; flow recovery waits on it). */
export type RegistrationState = 'unregistered' | 'registering' | 'registered' | 'failed';

/** Auto-answer requests (Call-Info answer-after, Answer-Mode, intercom): from the PBX, or never. */
export type AutoAnswerRequests = 'pbx' | 'never';

export interface AccountConfig {
  /** Stable key for events and storage. */
  key: string;
  /** Address of record, e.g. sip:1001@pbx.example.com */
  aor: string;
  displayName?: string;
  /** Digest user name; defaults to the AOR user. */
  username?: string;
  password?: string;
  /** Registrar URI; defaults to the AOR's domain when `register` is true. */
  registrar?: string;
  /** Every request goes here first (preloaded Route, RFC 3261 §8.1.2). */
  outboundProxy?: string;
  transport: TransportProtocol;
  register: boolean;
  /** Requested registration lifetime, seconds. */
  expires: number;
  /** RFC 5626 instance URN (urn:uuid:...) for +sip.instance; reg-id is sent when `outbound`. */
  instanceId?: string;
  outbound: boolean;
  incomingCallPolicy: IncomingCallPolicy;
  /** Default `domain`. */
  transferPolicy?: TransferPolicy;
  /** Default `pbx`: honoured only for calls that came from the account's registrar or proxy. */
  autoAnswerRequests?: AutoAnswerRequests;
  /**
   * Behind a NAT, register (and use in dialogs) the address the registrar sees instead of the local
   * one, and advertise it in SDP (pjsip's allow_contact_rewrite). Default true.
   */
  contactRewrite?: boolean;
}

export function accountDefaults(partial: Pick<AccountConfig, 'aor'> & Partial<AccountConfig>): AccountConfig {
  return {
    key: partial.key ?? partial.aor,
    transport: 'udp',
    register: partial.registrar !== undefined,
    expires: 600,
    outbound: true,
    incomingCallPolicy: 'trusted',
    ...partial,
  };
}
