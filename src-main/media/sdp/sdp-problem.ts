/**
 * Why an SDP was refused, in the terms a SIP Warning header carries (RFC 3261 §20.43): a bad
 * offer is answered 488 with this warning, a bad answer ends the call (cause unacceptable-media)
 * with it as the reason. The text never quotes the peer's SDP back (no reflection of its bytes).
 */
export interface SdpProblem {
  warnCode: WarnCode;
  text: string;
}

/** RFC 3261 §20.43 warn-codes for SDP problems. */
export const WARN = {
  /** 301 Incompatible network address formats (e.g. a host name in c=). */
  address: 301,
  /** 304 Media type not available (no audio stream we can take). */
  mediaType: 304,
  /** 305 Incompatible media format (no common codec, or SRTP policy not met). */
  format: 305,
  /** 307 Session description parameter not understood (malformed or out-of-bounds SDP). */
  parameter: 307,
} as const;

export type WarnCode = (typeof WARN)[keyof typeof WARN];

export const problem = (warnCode: WarnCode, text: string): SdpProblem => ({ warnCode, text });

export function isSdpProblem(value: unknown): value is SdpProblem {
  return typeof value === 'object' && value !== null && 'warnCode' in value && 'text' in value;
}
