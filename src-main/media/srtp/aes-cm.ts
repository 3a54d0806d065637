/**
 * AES in Counter Mode as SRTP uses it (RFC 3711 §4.1.1): keystream block i is
 * E(k_e, IV + i) with a 128-bit IV = (k_s · 2^16) ⊕ (SSRC · 2^64) ⊕ (i · 2^16).
 * One long-lived `aes-128-ecb` cipher (ECB keeps no state between blocks) encrypts a preallocated
 * run of counter blocks; the only per-packet allocation is the keystream node:crypto returns.
 */
import { createCipheriv, type Cipheriv } from 'node:crypto';

export const AES_BLOCK = 16;
/** IV layout (§4.1.1): salt in octets 0–13, SSRC ⊕ into 4–7, packet index ⊕ into 8–13, block counter 14–15. */
export const IV_SSRC_OFFSET = 4;
export const IV_INDEX_OFFSET = 8;
export const IV_COUNTER_OFFSET = 14;

export class AesCounterMode {
  readonly #ecb: Cipheriv;
  #counters = new Uint8Array(AES_BLOCK * 96);
  readonly #iv = new Uint8Array(AES_BLOCK);

  constructor(key: Uint8Array) {
    this.#ecb = createCipheriv(`aes-${key.length * 8}-ecb`, key, null);
    this.#ecb.setAutoPadding(false);
  }

  /** Fills `iv` for one packet: salt (14 octets), SSRC and 48-bit index (or 31-bit SRTCP index). */
  static packetIv(iv: Uint8Array, salt: Uint8Array, ssrc: number, index: number): void {
    iv.fill(0);
    iv.set(salt.subarray(0, IV_COUNTER_OFFSET));
    iv[IV_SSRC_OFFSET] = iv[IV_SSRC_OFFSET]! ^ ((ssrc >>> 24) & 0xff);
    iv[IV_SSRC_OFFSET + 1] = iv[IV_SSRC_OFFSET + 1]! ^ ((ssrc >>> 16) & 0xff);
    iv[IV_SSRC_OFFSET + 2] = iv[IV_SSRC_OFFSET + 2]! ^ ((ssrc >>> 8) & 0xff);
    iv[IV_SSRC_OFFSET + 3] = iv[IV_SSRC_OFFSET + 3]! ^ (ssrc & 0xff);
    const high = Math.floor(index / 0x1_0000_0000);
    const low = index >>> 0;
    iv[IV_INDEX_OFFSET] = iv[IV_INDEX_OFFSET]! ^ ((high >>> 8) & 0xff);
    iv[IV_INDEX_OFFSET + 1] = iv[IV_INDEX_OFFSET + 1]! ^ (high & 0xff);
    iv[IV_INDEX_OFFSET + 2] = iv[IV_INDEX_OFFSET + 2]! ^ ((low >>> 24) & 0xff);
    iv[IV_INDEX_OFFSET + 3] = iv[IV_INDEX_OFFSET + 3]! ^ ((low >>> 16) & 0xff);
    iv[IV_INDEX_OFFSET + 4] = iv[IV_INDEX_OFFSET + 4]! ^ ((low >>> 8) & 0xff);
    iv[IV_INDEX_OFFSET + 5] = iv[IV_INDEX_OFFSET + 5]! ^ (low & 0xff);
  }

  /** XORs `data[start, end)` in place with the keystream starting at `iv` (block counter from 0). */
  xorPacket(data: Uint8Array, start: number, end: number, salt: Uint8Array, ssrc: number, index: number): void {
    AesCounterMode.packetIv(this.#iv, salt, ssrc, index);
    this.xor(this.#iv, data, start, end);
  }

  /** XORs `data[start, end)` with the keystream E(IV), E(IV+1), ... (the counter adds mod 2^128). */
  xor(iv: Uint8Array, data: Uint8Array, start: number, end: number): void {
    const length = end - start;
    if (length <= 0) return;
    const blocks = Math.ceil(length / AES_BLOCK);
    if (this.#counters.length < blocks * AES_BLOCK) this.#counters = new Uint8Array(blocks * AES_BLOCK);
    const counters = this.#counters;
    for (let b = 0; b < blocks; b++) {
      const o = b * AES_BLOCK;
      counters.set(iv, o);
      // Add b to the 128-bit big-endian counter.
      let carry = b;
      for (let i = AES_BLOCK - 1; i >= 0 && carry > 0; i--) {
        const sum = counters[o + i]! + (carry & 0xff);
        counters[o + i] = sum & 0xff;
        carry = (carry >>> 8) + (sum >>> 8);
      }
    }
    const keystream = this.#ecb.update(counters.subarray(0, blocks * AES_BLOCK));
    for (let i = 0; i < length; i++) data[start + i] = data[start + i]! ^ keystream[i]!;
  }

  /** The first `length` keystream octets for `iv` (key derivation and test vectors). */
  keystream(iv: Uint8Array, length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.xor(iv, out, 0, length);
    return out;
  }
}
