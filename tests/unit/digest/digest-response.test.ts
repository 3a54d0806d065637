import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { parseDigestChallenges } from '../../../src-main/sip/message/digest-challenge.js';
import { computeDigest, formatDigestCredentials } from '../../../src-main/sip/message/digest-response.js';
import { parseAuthHeader } from '../../../src-main/sip/message/digest-params.js';

const H = (alg: string, s: string): string => createHash(alg).update(s).digest('hex');

/** Independent RFC 2617 §3.2.2 computation, for cross-checking. */
function expected(alg: string, o: { user: string; realm: string; pass: string; nonce: string; method: string; uri: string; nc: string; cnonce: string; qop: string }): string {
  const ha1 = H(alg, `${o.user}:${o.realm}:${o.pass}`);
  const ha2 = H(alg, `${o.method}:${o.uri}`);
  return H(alg, `${ha1}:${o.nonce}:${o.nc}:${o.cnonce}:${o.qop}:${ha2}`);
}

// RFC 7616 §3.9.1 example.
const rfc7616 = {
  user: 'Mufasa',
  pass: 'Circle of Life',
  realm: 'http-auth@example.org',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  uri: '/dir/index.html',
  method: 'GET',
  nc: '00000001',
  qop: 'auth',
};
const rfc7616Challenge = (algorithm: string): string =>
  `Digest realm="${rfc7616.realm}", qop="auth, auth-int", algorithm=${algorithm}, ` +
  `nonce="${rfc7616.nonce}", opaque="${rfc7616.opaque}"`;

for (const [algorithm, hash, response] of [
  ['MD5', 'md5', '8ca523f5e9506fed4657c9700eebdbec'],
  ['SHA-256', 'sha256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
] as const) {
  test(`RFC 7616 §3.9.1 example, ${algorithm}`, () => {
    assert.equal(expected(hash, rfc7616), response, 'independent computation agrees with the RFC');
    const [challenge] = parseDigestChallenges(rfc7616Challenge(algorithm));
    assert.ok(challenge);
    const value = computeDigest({
      challenge, username: rfc7616.user, password: rfc7616.pass, method: 'GET', uri: rfc7616.uri,
      cnonce: rfc7616.cnonce, nc: 1,
    });
    assert.equal(value.response, response);
    assert.equal(
      formatDigestCredentials(value),
      `Digest username="Mufasa", realm="http-auth@example.org", nonce="${rfc7616.nonce}", ` +
        `uri="/dir/index.html", response="${response}", algorithm=${algorithm}, cnonce="${rfc7616.cnonce}", ` +
        `opaque="${rfc7616.opaque}", qop=auth, nc=00000001`,
    );
  });
}

test('RFC 2617 §3.5 example', () => {
  const o = {
    user: 'Mufasa', pass: 'Circle Of Life', realm: 'testrealm@host.com', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
    method: 'GET', uri: '/dir/index.html', nc: '00000001', cnonce: '0a4f113b', qop: 'auth',
  };
  assert.equal(expected('md5', o), '6629fae49393a05397450978507c4ef1');
  const [challenge] = parseDigestChallenges(
    'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", ' +
      'opaque="5ccc069c403ebaf9f0171e9517f40e41"',
  );
  assert.ok(challenge);
  const value = computeDigest({ challenge, username: o.user, password: o.pass, method: 'GET', uri: o.uri, cnonce: o.cnonce, nc: 1 });
  assert.equal(value.response, '6629fae49393a05397450978507c4ef1');
  assert.equal(value.opaque, '5ccc069c403ebaf9f0171e9517f40e41');
  assert.equal(value.algorithm, 'MD5');
});

test('RFC 2069 form (no qop): no cnonce or nc, response = H(HA1:nonce:HA2)', () => {
  const [challenge] = parseDigestChallenges('Digest realm="atlanta.example.com", nonce="abc"');
  assert.ok(challenge);
  const v = computeDigest({ challenge, username: 'bob', password: 'zanzibar', method: 'REGISTER', uri: 'sip:atlanta.example.com', cnonce: 'x', nc: 1 });
  const ha1 = H('md5', 'bob:atlanta.example.com:zanzibar');
  const ha2 = H('md5', 'REGISTER:sip:atlanta.example.com');
  assert.equal(v.response, H('md5', `${ha1}:abc:${ha2}`));
  const text = formatDigestCredentials(v);
  assert.doesNotMatch(text, /cnonce|nc=|qop/);
});

test('SHA-256-sess: HA1 = H(H(user:realm:pass):nonce:cnonce); nc in hex', () => {
  const [challenge] = parseDigestChallenges('Digest realm="r", nonce="n", qop="auth", algorithm=SHA-256-sess');
  assert.ok(challenge);
  const v = computeDigest({ challenge, username: 'u', password: 'p', method: 'INVITE', uri: 'sip:b@r', cnonce: 'c', nc: 26 });
  const ha1 = H('sha256', `${H('sha256', 'u:r:p')}:n:c`);
  const ha2 = H('sha256', 'INVITE:sip:b@r');
  assert.equal(v.nc, '0000001a');
  assert.equal(v.response, H('sha256', `${ha1}:n:0000001a:c:auth:${ha2}`));
  assert.equal(v.algorithm, 'SHA-256-sess');
});

test('qop=auth-int (when auth is not offered) hashes the body', () => {
  const [challenge] = parseDigestChallenges('Digest realm="r", nonce="n", qop="auth-int"');
  assert.ok(challenge);
  const body = Buffer.from('v=0\r\n');
  const v = computeDigest({ challenge, username: 'u', password: 'p', method: 'INVITE', uri: 'sip:b@r', body, cnonce: 'c', nc: 1 });
  const ha2 = H('md5', `INVITE:sip:b@r:${createHash('md5').update(body).digest('hex')}`);
  assert.equal(v.qop, 'auth-int');
  assert.equal(v.response, H('md5', `${H('md5', 'u:r:p')}:n:00000001:c:auth-int:${ha2}`));
});

test('RFC 8760 SHA-512-256 and RFC 7616 §3.4.4 userhash', () => {
  const [challenge] = parseDigestChallenges('Digest realm="r", nonce="n", qop=auth, algorithm=sha-512-256, userhash=true');
  assert.ok(challenge);
  assert.equal(challenge.algorithm.name, 'SHA-512-256');
  const v = computeDigest({ challenge, username: 'u', password: 'p', method: 'REGISTER', uri: 'sip:r', cnonce: 'c', nc: 1 });
  assert.equal(v.username, H('sha512-256', 'u:r'));
  assert.equal(v.userhash, true);
  const ha2 = H('sha512-256', 'REGISTER:sip:r');
  assert.equal(v.response, H('sha512-256', `${H('sha512-256', 'u:r:p')}:n:00000001:c:auth:${ha2}`));
  assert.match(formatDigestCredentials(v), /userhash=true$/);
});

test('quoted values are escaped and parse back', () => {
  const [challenge] = parseDigestChallenges('Digest realm="a\\"b", nonce="n"');
  assert.ok(challenge);
  assert.equal(challenge.realm, 'a"b');
  const text = formatDigestCredentials(computeDigest({ challenge, username: 'x\\y', password: 'p', method: 'M', uri: 'sip:a', cnonce: 'c', nc: 1 }));
  const [parsed] = parseAuthHeader(text);
  assert.equal(parsed?.params.get('realm'), 'a"b');
  assert.equal(parsed?.params.get('username'), 'x\\y');
});
