import type { SipRequest, SipResponse } from './types.js';

/**
 * RFC 3261 §8.2.6.2: a response copying Via, From, To, Call-ID, CSeq (and Record-Route for
 * dialog-creating responses when asked); adds toTag to To when To has no tag and status > 100.
 */
export function createResponse(
  _request: SipRequest,
  _status: number,
  _reason?: string,
  _opts?: { toTag?: string; copyRecordRoute?: boolean },
): SipResponse {
  throw new Error('not implemented');
}

/** Default reason phrases (RFC 3261 §21 and later RFCs). */
export function reasonPhrase(_status: number): string {
  throw new Error('not implemented');
}
