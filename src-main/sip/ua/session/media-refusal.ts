/**
 * An SDP the media side refused, as SIP says it: 488 Not Acceptable Here with a Warning for a bad
 * offer (RFC 3261 §21.4.26, §20.43: warn-code SP warn-agent SP quoted warn-text), and the reason
 * a session ends with (cause unacceptable-media) for a bad answer.
 */
import { createResponse } from '../../message/index.js';
import type { SipRequest, SipResponse } from '../../message/index.js';

/** Why the media refused an SDP: an RFC 3261 §20.43 warn-code (3xx) and a short text. */
export interface MediaRefusal {
  warnCode: number;
  text: string;
}

export function isMediaRefusal(value: unknown): value is MediaRefusal {
  return typeof value === 'object' && value !== null && 'warnCode' in value;
}

/** The Warning header value; the text is ours (never the peer's bytes) but is made safe anyway. */
export function warningValue(refusal: MediaRefusal, agent: string): string {
  const code = Number.isInteger(refusal.warnCode) && refusal.warnCode >= 300 && refusal.warnCode <= 399 ? refusal.warnCode : 399;
  return `${code} ${agent} "${refusal.text.replace(/[^\x20-\x7e]|["\\]/g, '')}"`;
}

/** 488 to `request` with the refusal's Warning (`toTag` for an INVITE that created an early dialog). */
export function notAcceptableHere(request: SipRequest, refusal: MediaRefusal | undefined, agent: string, toTag?: string): SipResponse {
  const response = createResponse(request, 488, undefined, toTag ? { toTag } : undefined);
  if (refusal) response.headers.append('Warning', warningValue(refusal, agent));
  return response;
}
