/** The SIP message model (RFC 3261 §7). Parsed values are plain data; serializing is the reverse. */
import type { Headers } from './headers.js';

/** Ordered parameters; names lower-cased; a flag parameter (";lr") has value null. */
export type Params = Map<string, string | null>;

/** RFC 3261 §19.1 SIP/SIPS URI (and tel: as opaque user). Values are unescaped. */
export interface SipUri {
  scheme: 'sip' | 'sips' | 'tel';
  user?: string;
  password?: string;
  /** Host name lower-cased, IPv4 dotted, or IPv6 reference with brackets ("[::1]"). */
  host: string;
  port?: number;
  params: Params;
  /** URI headers (after "?"), e.g. Replaces in a Refer-To. */
  headers: Params;
}

/** RFC 3261 §20.10 name-addr / addr-spec with header parameters (From, To, Contact, Route...). */
export interface NameAddr {
  displayName?: string;
  uri: SipUri;
  params: Params;
}

/** RFC 3261 §20.42 Via. */
export interface Via {
  /** "SIP/2.0" */
  protocol: string;
  /** Upper-case transport token: UDP, TCP, TLS, SCTP, WS, WSS... */
  transport: string;
  host: string;
  port?: number;
  params: Params;
}

/** RFC 3261 §20.16 CSeq. */
export interface CSeq {
  seq: number;
  method: string;
}

export interface SipRequest {
  kind: 'request';
  method: string;
  uri: SipUri;
  headers: Headers;
  body: Buffer;
}

export interface SipResponse {
  kind: 'response';
  status: number;
  reason: string;
  headers: Headers;
  body: Buffer;
}

export type SipMessage = SipRequest | SipResponse;

/** A parse failure with a precise, human-readable reason (used as the 400 reason phrase). */
export class SipParseError extends Error {
  override readonly name = 'SipParseError';
  /** Response a UAS should send for a request failing this way: 400, or 416 / 505 (§8.2.2.1, §21.5.6). */
  readonly status: number;

  constructor(message: string, status = 400) {
    super(message);
    this.status = status;
  }
}
