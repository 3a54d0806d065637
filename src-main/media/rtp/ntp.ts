/**
 * NTP timestamps as RTCP carries them (RFC 3550 §4): 32-bit seconds since 1900 and a 32-bit
 * fraction; the "compact" form is the middle 32 bits (16.16 fixed point), used by LSR/DLSR (§6.4.1).
 */
/** Seconds from 1900-01-01 (NTP era 0) to 1970-01-01 (Unix epoch). */
export const NTP_UNIX_OFFSET_S = 2_208_988_800;
const TWO_32 = 0x1_0000_0000;
/** Compact NTP units per second (1/65536 s resolution). */
export const COMPACT_NTP_PER_SECOND = 0x1_0000;

export interface NtpTime {
  seconds: number;
  fraction: number;
}

/** Unix wall-clock milliseconds → 64-bit NTP timestamp (seconds wrap at 2^32, era 1 from 2036). */
export function ntpFromUnixMs(unixMs: number): NtpTime {
  const total = unixMs / 1000 + NTP_UNIX_OFFSET_S;
  const seconds = Math.floor(total);
  const fraction = Math.min(TWO_32 - 1, Math.round((total - seconds) * TWO_32));
  return { seconds: seconds % TWO_32, fraction };
}

/** The middle 32 bits of an NTP timestamp (RFC 3550 §6.4.1 LSR). */
export function compactNtp(t: NtpTime): number {
  return (((t.seconds & 0xffff) << 16) | (t.fraction >>> 16)) >>> 0;
}

/** Milliseconds → compact NTP units (DLSR), saturating at 32 bits. */
export function msToCompactNtp(ms: number): number {
  return Math.min(TWO_32 - 1, Math.max(0, Math.round((ms * COMPACT_NTP_PER_SECOND) / 1000)));
}

export function compactNtpToMs(units: number): number {
  return (units * 1000) / COMPACT_NTP_PER_SECOND;
}
