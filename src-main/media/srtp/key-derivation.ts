/**
 * SRTP key derivation (RFC 3711 §4.3) with key_derivation_rate 0: r = 0, so
 * x = key_id ⊕ master_salt with key_id = label || 0^48, and the session key is the AES-CM
 * keystream of the master key with IV = x · 2^16 (§4.3.3).
 */
import { AES_BLOCK, AesCounterMode } from './aes-cm.js';

/** §4.3.1/§4.3.2 labels. */
export const LABEL_RTP_ENCRYPTION = 0x00;
export const LABEL_RTP_AUTH = 0x01;
export const LABEL_RTP_SALT = 0x02;
export const LABEL_RTCP_ENCRYPTION = 0x03;
export const LABEL_RTCP_AUTH = 0x04;
export const LABEL_RTCP_SALT = 0x05;
/** The label sits in octet 7 of the 14-octet (112-bit) x: key_id is the low 56 bits. */
const LABEL_OFFSET = 7;

export function deriveSessionKey(masterKey: Uint8Array, masterSalt: Uint8Array, label: number, length: number): Uint8Array {
  const iv = new Uint8Array(AES_BLOCK);
  iv.set(masterSalt.subarray(0, 14));
  iv[LABEL_OFFSET] = iv[LABEL_OFFSET]! ^ label;
  return new AesCounterMode(masterKey).keystream(iv, length);
}
