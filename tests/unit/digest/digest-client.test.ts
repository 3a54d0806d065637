import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { DigestClient } from '../../../src-main/sip/message/digest.js';
import { parseAuthHeader } from '../../../src-main/sip/message/digest-params.js';
import { createRequest, createResponse, parseUri } from '../../../src-main/sip/message/index.js';
import type { SipRequest, SipResponse } from '../../../src-main/sip/message/index.js';
import { sequenceRandom } from '../../../src-main/util/random.js';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

function register(): SipRequest {
  return createRequest('REGISTER', parseUri('sip:127.0.0.1'), [
    ['Via', 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1'],
    ['From', '<sip:alice@127.0.0.1>;tag=a'],
    ['To', '<sip:alice@127.0.0.1>'],
    ['Call-ID', 'reg-1'],
    ['CSeq', '1 REGISTER'],
  ]);
}

function challenge(req: SipRequest, status: 401 | 407, ...values: string[]): SipResponse {
  const res = createResponse(req, status);
  for (const v of values) res.headers.append(status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate', v);
  return res;
}

const params = (value: string | undefined): Map<string, string> => parseAuthHeader(value ?? '')[0]!.params;

test('RFC 3261 §22.2 401 → Authorization, response computed per RFC 7616 §3.4.1', () => {
  const client = new DigestClient({ random: sequenceRandom(), credentials: [{ username: 'alice', password: 's3cret' }] });
  const req = register();
  assert.equal(client.authorize(req, challenge(req, 401, 'Digest realm="pbx.test", nonce="n1", qop="auth", opaque="op"')), true);
  assert.equal(req.headers.get('Proxy-Authorization'), undefined);
  const p = params(req.headers.get('Authorization'));
  const ha1 = md5('alice:pbx.test:s3cret');
  const ha2 = md5('REGISTER:sip:127.0.0.1');
  assert.equal(p.get('response'), md5(`${ha1}:n1:00000001:t1:auth:${ha2}`));
  assert.equal(p.get('uri'), 'sip:127.0.0.1');
  assert.equal(p.get('nc'), '00000001');
  assert.equal(p.get('cnonce'), 't1');
  assert.equal(p.get('opaque'), 'op');
  assert.equal(p.get('algorithm'), 'MD5');
});

test('nonce count increments per nonce and restarts for a new nonce', () => {
  const client = new DigestClient({ random: sequenceRandom(), credentials: [{ username: 'alice', password: 'pw' }] });
  const nc = (nonce: string): string | undefined => {
    const req = register();
    client.authorize(req, challenge(req, 401, `Digest realm="r", nonce="${nonce}", qop=auth`));
    return params(req.headers.get('Authorization')).get('nc');
  };
  assert.deepEqual([nc('a'), nc('a'), nc('b'), nc('a')], ['00000001', '00000002', '00000001', '00000003']);
});

test('407 → Proxy-Authorization, one per challenged realm', () => {
  const client = new DigestClient({
    random: sequenceRandom(),
    credentials: [{ username: 'alice', password: 'pw' }, { realm: 'edge', username: 'edge-user', password: 'pw2' }],
  });
  const req = register();
  assert.ok(client.authorize(req, challenge(req, 407, 'Digest realm="core", nonce="c"', 'Digest realm="edge", nonce="e"')));
  assert.equal(req.headers.get('Authorization'), undefined);
  const all = req.headers.getAll('Proxy-Authorization').map(params);
  assert.deepEqual(all.map((p) => [p.get('realm'), p.get('username')]), [['core', 'alice'], ['edge', 'edge-user']]);
});

test('several challenges for one realm: SHA-256 chosen over MD5 (RFC 7616 §3.7)', () => {
  const client = new DigestClient({ random: sequenceRandom(), credentials: [{ realm: 'r', username: 'u', password: 'p' }] });
  const req = register();
  client.authorize(req, challenge(req, 401, 'Digest realm="r", nonce="m", algorithm=MD5, qop=auth', 'Digest realm="r", nonce="s", algorithm=SHA-256, qop=auth'));
  const values = req.headers.getAll('Authorization');
  assert.equal(values.length, 1);
  const p = params(values[0]);
  assert.equal(p.get('algorithm'), 'SHA-256');
  const expected = sha256(`${sha256('u:r:p')}:s:00000001:t1:auth:${sha256('REGISTER:sip:127.0.0.1')}`);
  assert.equal(p.get('response'), expected);
});

test('realm selection: realm-specific credentials win; none applicable → false, request untouched', () => {
  const client = new DigestClient({
    random: sequenceRandom(),
    credentials: [{ realm: 'a', username: 'ua', password: 'pa' }, { username: 'any', password: 'px' }],
  });
  let req = register();
  client.authorize(req, challenge(req, 401, 'Digest realm="a", nonce="1"'));
  assert.equal(params(req.headers.get('Authorization')).get('username'), 'ua');
  req = register();
  client.authorize(req, challenge(req, 401, 'Digest realm="zzz", nonce="1"'));
  assert.equal(params(req.headers.get('Authorization')).get('username'), 'any');

  const strict = new DigestClient({ random: sequenceRandom(), credentials: [{ realm: 'a', username: 'ua', password: 'pa' }] });
  req = register();
  assert.equal(strict.authorize(req, challenge(req, 401, 'Digest realm="b", nonce="1"')), false);
  assert.equal(strict.authorize(req, challenge(req, 401, 'Basic realm="a"')), false);
  assert.equal(strict.authorize(req, createResponse(req, 403)), false);
  assert.equal(req.headers.get('Authorization'), undefined);
});

test('rejected credentials: re-challenge without stale=true → false (stop, "wrong password")', () => {
  const client = new DigestClient({ random: sequenceRandom(), credentials: [{ username: 'alice', password: 'wrong' }] });
  const req = register();
  const res = challenge(req, 401, 'Digest realm="r", nonce="n1", qop=auth');
  assert.equal(client.authorize(req, res), true);
  const sent = req.headers.get('Authorization');
  assert.equal(client.authorize(req, res), false, 'same nonce again');
  assert.equal(client.authorize(req, challenge(req, 401, 'Digest realm="r", nonce="n2", qop=auth')), false, 'new nonce, not stale');
  assert.equal(req.headers.get('Authorization'), sent, 'request untouched');
});

test('stale=true: retry with the new nonce, replacing the old credentials', () => {
  const client = new DigestClient({ random: sequenceRandom(), credentials: [{ username: 'alice', password: 'pw' }] });
  const req = register();
  client.authorize(req, challenge(req, 401, 'Digest realm="r", nonce="old", qop=auth'));
  assert.equal(client.authorize(req, challenge(req, 401, 'Digest realm="r", nonce="new", qop=auth, stale=TRUE')), true);
  const values = req.headers.getAll('Authorization');
  assert.equal(values.length, 1);
  assert.equal(params(values[0]).get('nonce'), 'new');
});

test('credentials for another realm on the request are kept', () => {
  const client = new DigestClient({ random: sequenceRandom(), credentials: [{ username: 'alice', password: 'pw' }] });
  const req = register();
  req.headers.append('Proxy-Authorization', 'Digest username="x", realm="other", nonce="o", uri="sip:127.0.0.1", response="00"');
  assert.ok(client.authorize(req, challenge(req, 407, 'Digest realm="r", nonce="n"')));
  assert.deepEqual(req.headers.getAll('Proxy-Authorization').map((v) => params(v).get('realm')), ['other', 'r']);
});

test('the password never shows in toString, JSON, inspect or the header', () => {
  const password = 'Very-Secret-Pw-42';
  const client = new DigestClient({ random: sequenceRandom(), credentials: [{ username: 'alice', password }] });
  const req = register();
  client.authorize(req, challenge(req, 401, 'Digest realm="r", nonce="n", qop=auth'));
  for (const text of [String(client), JSON.stringify(client), inspect(client, { showHidden: true, depth: 9 }), req.headers.get('Authorization') ?? '']) {
    assert.ok(!text.includes(password), text);
  }
});
