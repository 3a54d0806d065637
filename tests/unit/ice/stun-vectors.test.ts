/** RFC 5769 and RFC 8489 Appendix B sample messages, parsed, verified and re-encoded byte for byte. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Attr, StunClass, StunMethod } from '../../../src-main/net/stun/constants.js';
import { attribute, checkIntegrity, encodeStun, parseStun, type StunMessage } from '../../../src-main/net/stun/message.js';
import { decodeText, decodeU32, decodeU64, decodeXorAddress, encodeXorAddress } from '../../../src-main/net/stun/attributes.js';
import { longTermKey, shortTermKey, userhash } from '../../../src-main/net/stun/credentials.js';

function vector(name: string): Buffer {
  const text = readFileSync(new URL(`../../vectors/stun/${name}.hex`, import.meta.url), 'utf8');
  return Buffer.from(text.replace(/#.*$/gm, '').replace(/\s+/g, ''), 'hex');
}

function parsed(name: string): StunMessage {
  const r = parseStun(vector(name));
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return r.message;
}

const icePassword = shortTermKey('VOkJxbRl1RmTxUk/WvJxBt');
const user = '\u30de\u30c8\u30ea\u30c3\u30af\u30b9';

describe('RFC 5769 STUN test vectors', () => {
  it('§2.1 sample request: attributes, short-term integrity and fingerprint', () => {
    const m = parsed('rfc5769-2.1-request');
    assert.equal(m.method, StunMethod.Binding);
    assert.equal(m.cls, StunClass.Request);
    assert.equal(m.transactionId.toString('hex'), 'b7e7a701bc34d686fa87dfae');
    assert.equal(decodeText(attribute(m, Attr.Software)!, 763), 'STUN test client');
    assert.equal(decodeText(attribute(m, Attr.Username)!, 508), 'evtj:h6vY');
    assert.equal(decodeU32(attribute(m, Attr.Priority)!), 0x6e0001ff);
    assert.equal(decodeU64(attribute(m, Attr.IceControlled)!), 0x932ff9b151263b36n);
    assert.ok(m.fingerprint);
    assert.ok(checkIntegrity(m, icePassword));
    assert.equal(checkIntegrity(m, shortTermKey('wrong')), false);
  });

  it('§2.1 re-encoded from its parts is byte-identical (padding aside)', () => {
    const m = parsed('rfc5769-2.1-request');
    const out = encodeStun(
      { method: m.method, cls: m.cls, transactionId: m.transactionId, attributes: m.attributes.map((a) => ({ ...a })) },
      { integrity: icePassword, fingerprint: true },
    );
    const expected = Buffer.from(vector('rfc5769-2.1-request'));
    // The RFC pads USERNAME with spaces; we pad with zeroes, which changes MAC and CRC.
    expected.fill(0, 0x49, 0x4c);
    const r = parseStun(out);
    assert.ok(r.ok && checkIntegrity(r.message, icePassword));
    assert.deepEqual(out.subarray(0, 0x4c), expected.subarray(0, 0x4c));
    assert.equal(out.length, 108);
  });

  it('§2.2 IPv4 response: XOR-MAPPED-ADDRESS 192.0.2.1:32853, encoded back exactly', () => {
    const m = parsed('rfc5769-2.2-ipv4-response');
    assert.equal(m.cls, StunClass.SuccessResponse);
    const mapped = decodeXorAddress(attribute(m, Attr.XorMappedAddress)!, m.transactionId);
    assert.deepEqual(mapped, { family: 4, address: '192.0.2.1', port: 32853 });
    assert.ok(checkIntegrity(m, icePassword));
    const out = encodeStun(
      {
        method: StunMethod.Binding, cls: StunClass.SuccessResponse, transactionId: m.transactionId,
        attributes: [
          { type: Attr.Software, value: Buffer.from('test vector') },
          { type: Attr.XorMappedAddress, value: encodeXorAddress(mapped!, m.transactionId) },
        ],
      },
      { integrity: icePassword, fingerprint: true },
    );
    // The RFC pads SOFTWARE with a space (0x20 at 0x23); ours is zero: compare the rest.
    const expected = Buffer.from(vector('rfc5769-2.2-ipv4-response'));
    assert.deepEqual(out.subarray(0, 0x23), expected.subarray(0, 0x23));
    assert.deepEqual(out.subarray(0x24, 0x30), expected.subarray(0x24, 0x30));
  });

  it('§2.3 IPv6 response: XOR-MAPPED-ADDRESS 2001:db8:1234:5678:11:2233:4455:6677 port 32853', () => {
    const m = parsed('rfc5769-2.3-ipv6-response');
    const mapped = decodeXorAddress(attribute(m, Attr.XorMappedAddress)!, m.transactionId);
    assert.deepEqual(mapped, { family: 6, address: '2001:db8:1234:5678:11:2233:4455:6677', port: 32853 });
    assert.deepEqual(encodeXorAddress(mapped!, m.transactionId), attribute(m, Attr.XorMappedAddress));
    assert.ok(checkIntegrity(m, icePassword));
    assert.ok(m.fingerprint);
  });

  it('§2.4 long-term credentials: MD5(user:realm:password) key verifies the MAC', () => {
    const m = parsed('rfc5769-2.4-long-term');
    assert.equal(decodeText(attribute(m, Attr.Username)!, 508), user);
    assert.equal(decodeText(attribute(m, Attr.Nonce)!, 763), 'f//499k954d6OL34oL9FSTvy64sA');
    assert.equal(decodeText(attribute(m, Attr.Realm)!, 763), 'example.org');
    assert.equal(m.fingerprint, false);
    assert.ok(checkIntegrity(m, longTermKey(user, 'example.org', 'TheMatrIX')));
    assert.equal(checkIntegrity(m, longTermKey(user, 'example.org', 'TheMatrix')), false);
  });

  it('§2.4 encoded from its values is byte-identical (zero padding, HMAC included)', () => {
    const m = parsed('rfc5769-2.4-long-term');
    const out = encodeStun(
      { method: StunMethod.Binding, cls: StunClass.Request, transactionId: m.transactionId, attributes: [
        { type: Attr.Username, value: Buffer.from(user) },
        { type: Attr.Nonce, value: Buffer.from('f//499k954d6OL34oL9FSTvy64sA') },
        { type: Attr.Realm, value: Buffer.from('example.org') },
      ] },
      { integrity: longTermKey(user, 'example.org', 'TheMatrIX') },
    );
    assert.deepEqual(out, vector('rfc5769-2.4-long-term'));
  });
});

describe('RFC 8489 Appendix B.1 (MESSAGE-INTEGRITY-SHA256, USERHASH)', () => {
  it('USERHASH is SHA-256(user:realm) and MESSAGE-INTEGRITY-SHA256 verifies with the SHA-256 key', () => {
    const m = parsed('rfc8489-b.1-sha256');
    assert.deepEqual(attribute(m, Attr.Userhash), userhash(user, 'example.org'));
    assert.ok(m.integritySha256At > 0);
    assert.equal(m.integrityAt, -1);
    assert.deepEqual(attribute(m, Attr.PasswordAlgorithm), Buffer.from([0, 2, 0, 0]));
    // PASSWORD-ALGORITHM 2 = SHA-256: key = SHA-256(user:realm:password).
    assert.ok(checkIntegrity(m, longTermKey(user, 'example.org', 'TheMatrIX', 'sha256')));
    assert.equal(checkIntegrity(m, longTermKey(user, 'example.org', 'TheMatrIX', 'md5')), false);
  });

  it('MESSAGE-INTEGRITY-SHA256 round trip: our own message verifies with its key only', () => {
    const key = longTermKey(user, 'example.org', 'TheMatrIX', 'sha256');
    const out = encodeStun(
      { method: StunMethod.Binding, cls: StunClass.Request, transactionId: Buffer.alloc(12, 7), attributes: [{ type: Attr.Realm, value: Buffer.from('example.org') }] },
      { integritySha256: key, fingerprint: true },
    );
    const r = parseStun(out);
    assert.ok(r.ok);
    assert.ok(checkIntegrity(r.message, key));
    assert.equal(checkIntegrity(r.message, longTermKey(user, 'example.org', 'TheMatrIX', 'md5')), false);
  });
});
