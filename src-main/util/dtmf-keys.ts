/**
 * DTMF keys and their event codes (RFC 4733 §3.2, Table 3), shared by the RTP telephone-event
 * payload (media/dtmf) and the SIP INFO dtmf-relay body (sip/ua/session/dtmf-relay.ts).
 */

/** DTMF keys in event-code order: code = index. */
export const DTMF_EVENTS = '0123456789*#ABCD';

export type DtmfDigit =
  | '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#' | 'A' | 'B' | 'C' | 'D';

/** Event code of a DTMF key (case-insensitive A–D), or -1. */
export function dtmfEventCode(digit: string): number {
  return digit.length === 1 ? DTMF_EVENTS.indexOf(digit.toUpperCase()) : -1;
}

/** DTMF key of an event code 0–15, or undefined (other events, e.g. 16 = flash). */
export function dtmfDigit(event: number): DtmfDigit | undefined {
  return event >= 0 && event < 16 ? (DTMF_EVENTS[event] as DtmfDigit) : undefined;
}
