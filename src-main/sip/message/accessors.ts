/** Typed access to the headers every layer needs. Throw SipParseError when a value is malformed. */
import type { CSeq, NameAddr, SipMessage, Via } from './types.js';

export function getVias(_m: SipMessage): Via[] { throw new Error('not implemented'); }
export function getTopVia(_m: SipMessage): Via { throw new Error('not implemented'); }
export function getFrom(_m: SipMessage): NameAddr { throw new Error('not implemented'); }
export function getTo(_m: SipMessage): NameAddr { throw new Error('not implemented'); }
export function getCallId(_m: SipMessage): string { throw new Error('not implemented'); }
export function getCSeq(_m: SipMessage): CSeq { throw new Error('not implemented'); }
/** Contact values; "*" (REGISTER removal) is returned as an empty array with star=true. */
export function getContacts(_m: SipMessage): { star: boolean; contacts: NameAddr[] } { throw new Error('not implemented'); }
export function getRoutes(_m: SipMessage): NameAddr[] { throw new Error('not implemented'); }
export function getRecordRoutes(_m: SipMessage): NameAddr[] { throw new Error('not implemented'); }
