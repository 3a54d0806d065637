import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDigestChallenges, strongestChallenge } from '../../../src-main/sip/message/digest-challenge.js';
import { parseAuthHeader } from '../../../src-main/sip/message/digest-params.js';

test('parses quoted strings with escapes, tokens, any order, unknown params ignored', () => {
  const [c, ...rest] = parseDigestChallenges(
    'digest  nonce="a\\\\b\\"c" ,stale=TRUE,realm=example.com, foo="bar, baz", qop="auth",algorithm=md5-SESS, opaque=""',
  );
  assert.equal(rest.length, 0);
  assert.ok(c);
  assert.equal(c.nonce, 'a\\b"c');
  assert.equal(c.realm, 'example.com');
  assert.equal(c.stale, true);
  assert.deepEqual(c.qop, ['auth']);
  assert.equal(c.algorithm.name, 'MD5-sess');
  assert.equal(c.algorithm.sess, true);
  assert.equal(c.opaque, '');
});

test('defaults: MD5, no qop, stale false', () => {
  const [c] = parseDigestChallenges('Digest realm="r", nonce="n"');
  assert.equal(c?.algorithm.name, 'MD5');
  assert.deepEqual(c?.qop, []);
  assert.equal(c?.stale, false);
  assert.equal(c?.opaque, undefined);
});

test('several challenges in one value, other schemes skipped', () => {
  const list = parseDigestChallenges(
    'Basic realm="x", Digest realm="r", nonce="1", algorithm=MD5, Newauth realm="q", token68==, ' +
      'Digest realm="r", nonce="2", algorithm=SHA-256',
  );
  assert.deepEqual(list.map((c) => c.nonce), ['1', '2']);
  assert.equal(strongestChallenge(list)?.algorithm.name, 'SHA-256');
  assert.equal(strongestChallenge([...list].reverse())?.nonce, '2');
});

test('unusable challenges are dropped: no nonce, unknown algorithm, only unknown qop', () => {
  assert.deepEqual(parseDigestChallenges('Digest realm="r"'), []);
  assert.deepEqual(parseDigestChallenges('Digest realm="r", nonce="n", algorithm=SHA3-999'), []);
  assert.deepEqual(parseDigestChallenges('Digest realm="r", nonce="n", qop="auth-conf"'), []);
  assert.deepEqual(parseDigestChallenges(''), []);
});

test('garbage never throws or loops', () => {
  for (const s of ['=', '"', ',,,', 'Digest =', 'Digest realm="unterminated', 'Digest a=, b', '\\', 'Digest realm']) {
    assert.ok(Array.isArray(parseAuthHeader(s)), s);
  }
  assert.deepEqual(parseAuthHeader('Digest realm="unterminated')[0]?.params.get('realm'), 'unterminated');
});
