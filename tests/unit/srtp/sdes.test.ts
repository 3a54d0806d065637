/** RFC 4568 a=crypto: parse, format, generate. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCryptoAttribute, generateCryptoAttribute, parseCryptoAttribute } from '../../../src-main/media/srtp/sdes.js';
import { SrtpContext } from '../../../src-main/media/srtp/srtp-context.js';

// RFC 4568 §4 example offer line.
const RFC4568_4 = 'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4';

test('RFC 4568 §4 example: tag, suite, 30-octet key||salt, lifetime 2^20, MKI 1 of length 4', () => {
  const a = parseCryptoAttribute(RFC4568_4)!;
  assert.equal(a.tag, 1);
  assert.equal(a.suite, 'AES_CM_128_HMAC_SHA1_80');
  assert.equal(a.keys.length, 1);
  assert.equal(a.keys[0]!.keySalt.length, 30);
  assert.equal(Buffer.from(a.keys[0]!.keySalt).toString('base64'), 'PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR');
  assert.equal(a.keys[0]!.lifetime, 1 << 20);
  assert.deepEqual(a.keys[0]!.mki, { value: 1, length: 4 });
  assert.deepEqual(a.sessionParams, []);
  assert.equal(`a=crypto:${formatCryptoAttribute(a)}`, RFC4568_4);
});

test('RFC 4568 §9.1: value form, decimal lifetime, several keys, session parameters', () => {
  const line = '2 AES_CM_128_HMAC_SHA1_32 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1000;inline:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk|2^31|2:1 KDR=1 UNENCRYPTED_SRTCP';
  const a = parseCryptoAttribute(line)!;
  assert.equal(a.tag, 2);
  assert.equal(a.keys.length, 2);
  assert.equal(a.keys[0]!.lifetime, 1000);
  assert.equal(a.keys[0]!.mki, undefined);
  assert.equal(a.keys[1]!.lifetime, 2 ** 31);
  assert.deepEqual(a.keys[1]!.mki, { value: 2, length: 1 });
  assert.deepEqual(a.sessionParams, ['KDR=1', 'UNENCRYPTED_SRTCP']);
  assert.equal(formatCryptoAttribute(a), line);
});

test('RFC 4568: unknown suites parse (so an answer can skip them) without key length checks', () => {
  const a = parseCryptoAttribute('3 AEAD_AES_256_GCM inline:CRYPTO256S')!;
  assert.equal(a.suite, 'AEAD_AES_256_GCM');
});

test('malformed a=crypto lines are rejected', () => {
  const bad = [
    '',
    'a=crypto:1 AES_CM_128_HMAC_SHA1_80',
    'a=crypto:x AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR',
    'a=crypto:1234567890 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR',
    'a=crypto:1 AES_CM_128_HMAC_SHA1_80 uri:https://example.test/key',
    'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhc', // 21 octets, not 30
    'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVB!',
    'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^49',
    'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1:4|2^20', // MKI before lifetime
    'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1:0',
    'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|0',
  ];
  for (const line of bad) assert.equal(parseCryptoAttribute(line), undefined, line);
});

test('generateCryptoAttribute takes key material from the injected source and round-trips into SRTP', () => {
  const requested: number[] = [];
  const randomBytes = (n: number) => {
    requested.push(n);
    return Uint8Array.from({ length: n }, (_, i) => i + 1);
  };
  const a = generateCryptoAttribute(1, 'AES_CM_128_HMAC_SHA1_80', randomBytes);
  assert.deepEqual(requested, [30]);
  const line = formatCryptoAttribute(a);
  assert.equal(line, `1 AES_CM_128_HMAC_SHA1_80 inline:${Buffer.from(Uint8Array.from({ length: 30 }, (_, i) => i + 1)).toString('base64')}`);
  const parsed = parseCryptoAttribute(line)!;
  const tx = new SrtpContext('AES_CM_128_HMAC_SHA1_80', a.keys[0]!.keySalt);
  const rx = new SrtpContext('AES_CM_128_HMAC_SHA1_80', parsed.keys[0]!.keySalt);
  const rtp = Uint8Array.from([0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9, 1, 2, 3]);
  assert.deepEqual(rx.unprotectRtp(tx.protectRtp(rtp)), rtp);
});
