import { it } from 'node:test';
import assert from 'node:assert/strict';
import { redactSecrets } from '../../../src-main/sip/message/redact.js';

it('redacts digest values (RFC 7616 §3.4) and SDES keys (RFC 4568 §9.1), and nothing else', () => {
  const text = [
    'Authorization: Digest username="1001", realm="pbx", nonce="abc123", uri="sip:pbx", response="0123456789abcdef0123456789abcdef", cnonce="x9", nc=00000001, qop=auth, algorithm=SHA-256',
    'Authentication-Info: nextnonce="n2", rspauth=ff00, qop=auth',
    'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4',
    'a=rtpmap:0 PCMU/8000',
  ].join('\r\n');
  const out = redactSecrets(text);
  for (const secret of ['abc123', '0123456789abcdef', 'x9"', 'n2', 'ff00', 'WVNfX19']) assert.ok(!out.includes(secret), secret);
  assert.match(out, /username="1001", realm="pbx", nonce="<redacted>", uri="sip:pbx", response="<redacted>", cnonce="<redacted>", nc=00000001, qop=auth/);
  assert.match(out, /a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:<redacted>\r\n/);
  assert.match(out, /a=rtpmap:0 PCMU\/8000$/);
});
