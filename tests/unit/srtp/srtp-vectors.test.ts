/** RFC 3711 Appendix B vectors (B.2 AES-CM keystream, B.3 key derivation) and libSRTP's reference packets. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AesCounterMode } from '../../../src-main/media/srtp/aes-cm.js';
import {
  deriveSessionKey, LABEL_RTP_AUTH, LABEL_RTP_ENCRYPTION, LABEL_RTP_SALT,
} from '../../../src-main/media/srtp/key-derivation.js';
import { SrtpContext } from '../../../src-main/media/srtp/srtp-context.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

test('RFC 3711 B.2: AES-CM keystream blocks 0, 1, 2, 0xFEFF, 0xFF00, 0xFF01', () => {
  const key = hex('2B7E151628AED2A6ABF7158809CF4F3C');
  const iv = new Uint8Array(16);
  // Session salt F0F1..FD, SSRC 0, ROC 0, SEQ 0 → IV F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000.
  AesCounterMode.packetIv(iv, hex('F0F1F2F3F4F5F6F7F8F9FAFBFCFD'), 0, 0);
  assert.equal(toHex(iv), 'F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000');
  const ks = new AesCounterMode(key).keystream(iv, 0xff02 * 16);
  const block = (i: number) => toHex(ks.subarray(i * 16, i * 16 + 16));
  assert.equal(block(0x0000), 'E03EAD0935C95E80E166B16DD92B4EB4');
  assert.equal(block(0x0001), 'D23513162B02D0F72A43A2FE4A5F97AB');
  assert.equal(block(0x0002), '41E95B3BB0A2E8DD477901E4FCA894C0');
  assert.equal(block(0xfeff), 'EC8CDF7398607CB0F2D21675EA9EA1E4');
  assert.equal(block(0xff00), '362B7C3C6773516318A077D7FC5073AE');
  assert.equal(block(0xff01), '6A2CC3787889374FBEB4C81B17BA6C44');
});

test('RFC 3711 §4.1.1: SSRC and packet index are XORed into the IV at octets 4–7 and 8–13', () => {
  const iv = new Uint8Array(16);
  AesCounterMode.packetIv(iv, new Uint8Array(14), 0xcafebabe, 0x1234_5678_9abc);
  assert.equal(toHex(iv), '00000000CAFEBABE123456789ABC0000');
});

test('RFC 3711 B.3: key derivation (kdr 0) — cipher key, cipher salt, auth key', () => {
  const masterKey = hex('E1F97A0D3E018BE0D64FA32C06DE4139');
  const masterSalt = hex('0EC675AD498AFEEBB6960B3AABE6');
  assert.equal(toHex(deriveSessionKey(masterKey, masterSalt, LABEL_RTP_ENCRYPTION, 16)), 'C61E7A93744F39EE10734AFE3FF7A087');
  assert.equal(toHex(deriveSessionKey(masterKey, masterSalt, LABEL_RTP_SALT, 14)), '30CBBC08863D8C85D49DB34A9AE1');
  // B.3 lists the 94-octet auth key; HMAC-SHA1 uses its first 20 octets.
  assert.equal(toHex(deriveSessionKey(masterKey, masterSalt, LABEL_RTP_AUTH, 94)),
    'CEBE321F6FF7716B6FD4AB49AF256A156D38BAA48F0A0ACF3C34E2359E6CDBCE' +
    'E049646C43D9327AD175578EF72270986371C10C9A369AC2F94A8C5FBCDDDC25' +
    '6D6E919A48B610EF17C2041E474035766B68642C59BBFC2F34DB60DBDFB2');
});

// libSRTP test/srtp_driver.c srtp_validate(): key = the B.3 master key || salt, SSRC 0xcafebabe.
const LIBSRTP_KEY = hex('E1F97A0D3E018BE0D64FA32C06DE4139 0EC675AD498AFEEBB6960B3AABE6');
const LIBSRTP_RTP = hex('800f1234 decafbad cafebabe abababab abababab abababab abababab');
const LIBSRTP_SRTP_80 = hex('800f1234 decafbad cafebabe 4e55dc4c e79978d8 8ca4d215 949d2402 b78d6acc 99ea179b 8dbb');
const LIBSRTP_RTCP = hex('81c8000b cafebabe abababab abababab abababab abababab');
const LIBSRTP_SRTCP = hex('81c8000b cafebabe 7128035b e487b9bd bef89041 f977a5a8 80000001 993e08cd 54d6c123 0798');

test('libSRTP reference packet: AES_CM_128_HMAC_SHA1_80 protect and unprotect byte-exact', () => {
  const tx = new SrtpContext('AES_CM_128_HMAC_SHA1_80', LIBSRTP_KEY);
  assert.deepEqual(tx.protectRtp(LIBSRTP_RTP), LIBSRTP_SRTP_80);
  const rx = new SrtpContext('AES_CM_128_HMAC_SHA1_80', LIBSRTP_KEY);
  assert.deepEqual(rx.unprotectRtp(LIBSRTP_SRTP_80.slice()), LIBSRTP_RTP);
});

test('libSRTP reference packet: AES_CM_128_HMAC_SHA1_32 carries the first 4 octets of the same tag', () => {
  const tx = new SrtpContext('AES_CM_128_HMAC_SHA1_32', LIBSRTP_KEY);
  const srtp32 = LIBSRTP_SRTP_80.subarray(0, 28 + 4);
  assert.deepEqual(tx.protectRtp(LIBSRTP_RTP), srtp32);
  const rx = new SrtpContext('AES_CM_128_HMAC_SHA1_32', LIBSRTP_KEY);
  assert.deepEqual(rx.unprotectRtp(srtp32.slice()), LIBSRTP_RTP);
});

test('libSRTP reference packet: SRTCP with E bit and index 1, byte-exact both ways', () => {
  const tx = new SrtpContext('AES_CM_128_HMAC_SHA1_80', LIBSRTP_KEY);
  tx.protectRtcp(LIBSRTP_RTCP); // index 0 (RFC 3711 §3.4 starts at zero; libSRTP's vector is its second)
  assert.deepEqual(tx.protectRtcp(LIBSRTP_RTCP), LIBSRTP_SRTCP);
  const rx = new SrtpContext('AES_CM_128_HMAC_SHA1_32', LIBSRTP_KEY); // SRTCP tag is 80 bits in both suites
  assert.deepEqual(rx.unprotectRtcp(LIBSRTP_SRTCP.slice()), LIBSRTP_RTCP);
});
