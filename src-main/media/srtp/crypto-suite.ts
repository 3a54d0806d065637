/**
 * SRTP crypto-suites we support, by their RFC 4568 §6.2 names: AES Counter Mode with a 128-bit
 * key (RFC 3711 §4.1.1) and HMAC-SHA1 (§4.2) truncated to 80 or 32 bits on SRTP; SRTCP always
 * carries the 80-bit tag (RFC 4568 §6.2.1–6.2.2).
 */
export type SrtpSuiteName = 'AES_CM_128_HMAC_SHA1_80' | 'AES_CM_128_HMAC_SHA1_32';

export interface SrtpSuite {
  name: SrtpSuiteName;
  /** Master and session encryption key length [octets]. */
  keyLength: number;
  /** Master and session salt length [octets]. */
  saltLength: number;
  /** Session authentication key length [octets] (n_a = 160 bits). */
  authKeyLength: number;
  /** SRTP authentication tag length [octets]. */
  rtpTagLength: number;
  /** SRTCP authentication tag length [octets]. */
  rtcpTagLength: number;
}

export const SRTP_SUITES: Readonly<Record<SrtpSuiteName, SrtpSuite>> = {
  AES_CM_128_HMAC_SHA1_80: {
    name: 'AES_CM_128_HMAC_SHA1_80', keyLength: 16, saltLength: 14, authKeyLength: 20, rtpTagLength: 10, rtcpTagLength: 10,
  },
  AES_CM_128_HMAC_SHA1_32: {
    name: 'AES_CM_128_HMAC_SHA1_32', keyLength: 16, saltLength: 14, authKeyLength: 20, rtpTagLength: 4, rtcpTagLength: 10,
  },
};

export function isSrtpSuiteName(name: string): name is SrtpSuiteName {
  return Object.hasOwn(SRTP_SUITES, name);
}
