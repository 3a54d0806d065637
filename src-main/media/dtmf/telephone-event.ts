/**
 * RFC 4733 telephone-event payload (§2.3); the DTMF event codes (§3.2) are in util/dtmf-keys.ts.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     event     |E|R| volume    |          duration             |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * rfc4733.ts gathers this layout with the sender and the receiver.
 */
export const EVENT_PAYLOAD_LENGTH = 4;
export const EVENT_OFFSET = 0;
export const FLAGS_OFFSET = 1;
export const DURATION_OFFSET = 2;
/** E: end of event (§2.3.2). */
export const END_BIT = 0x80;
/** R: reserved, sent 0, ignored on receipt. */
export const RESERVED_BIT = 0x40;
/** Volume: power level in -dBm0, 0..63 (§2.3.4). */
export const VOLUME_MASK = 0x3f;
/** Largest duration a report can carry; longer events are split in segments (§2.5.1.3). */
export const MAX_DURATION = 0xffff;

export interface TelephoneEvent {
  event: number;
  end: boolean;
  /** 0..63, meaning -volume dBm0. */
  volume: number;
  /** Timestamp units since the event (segment) began. */
  duration: number;
}

/** Write one event report into `out` at `offset` (4 bytes). */
export function writeTelephoneEvent(out: Uint8Array, offset: number, e: TelephoneEvent): void {
  out[offset + EVENT_OFFSET] = e.event & 0xff;
  out[offset + FLAGS_OFFSET] = (e.end ? END_BIT : 0) | (e.volume & VOLUME_MASK);
  out[offset + DURATION_OFFSET] = (e.duration >>> 8) & 0xff;
  out[offset + DURATION_OFFSET + 1] = e.duration & 0xff;
}

/** Read the event report at the start of `payload`; false when it is shorter than 4 bytes. */
export function readTelephoneEvent(payload: Uint8Array, into: TelephoneEvent): boolean {
  if (payload.length < EVENT_PAYLOAD_LENGTH) return false;
  const flags = payload[FLAGS_OFFSET]!;
  into.event = payload[EVENT_OFFSET]!;
  into.end = (flags & END_BIT) !== 0;
  into.volume = flags & VOLUME_MASK;
  into.duration = (payload[DURATION_OFFSET]! << 8) | payload[DURATION_OFFSET + 1]!;
  return true;
}
