import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SipParseError, formatUri, parseUri, uriEquals } from '../../../src-main/sip/message/index.js';

describe('parseUri / formatUri (RFC 3261 §19.1)', () => {
  test('all parts', () => {
    const u = parseUri('sips:alice:secret@Atlanta.COM:5061;transport=tcp;lr?subject=project%20x&priority=urgent');
    assert.equal(u.scheme, 'sips');
    assert.equal(u.user, 'alice');
    assert.equal(u.password, 'secret');
    assert.equal(u.host, 'atlanta.com');
    assert.equal(u.port, 5061);
    assert.deepEqual([...u.params], [['transport', 'tcp'], ['lr', null]]);
    assert.deepEqual([...u.headers], [['subject', 'project x'], ['priority', 'urgent']]);
    assert.equal(formatUri(u), 'sips:alice:secret@atlanta.com:5061;transport=tcp;lr?subject=project%20x&priority=urgent');
  });
  test('IPv6 reference and tel URI', () => {
    assert.equal(parseUri('sip:[2001:DB8::1]:5070').host, '[2001:db8::1]');
    const t = parseUri('tel:+1-201-555-0123;phone-context=example.com');
    assert.equal(t.user, '+1-201-555-0123');
    assert.equal(t.params.get('phone-context'), 'example.com');
    assert.equal(formatUri(t), 'tel:+1-201-555-0123;phone-context=example.com');
  });
  test('escapes are decoded and re-encoded (§19.1.2)', () => {
    const u = parseUri('sip:I%20have%20%C3%A9@h');
    assert.equal(u.user, 'I have é');
    assert.equal(formatUri(u), 'sip:I%20have%20%C3%A9@h');
  });
  const bad: Array<[string, RegExp, number]> = [
    ['http://example.com', /unsupported URI scheme "http"/, 416],
    ['sip:a b@h', /invalid character " " in URI user/, 400],
    ['sip:%zz@h', /bad escape in URI user/, 400],
    ['sip:h:99999', /invalid port/, 400],
    ['sip:[::1', /unterminated IPv6/, 400],
    ['sip:[1::2::3]', /invalid IPv6 reference/, 400],
    ['sip:@h', /empty user part/, 400],
    ['sip:h;', /empty URI parameter/, 400],
    ['sip:-bad-.com', /invalid host/, 400],
    ['sip:h?x', /malformed URI header/, 400],
  ];
  for (const [text, reason, status] of bad) {
    test(`rejects ${text}`, () => {
      assert.throws(() => parseUri(text), (e: unknown) => e instanceof SipParseError && reason.test(e.message) && e.status === status);
    });
  }
});

describe('uriEquals (RFC 3261 §19.1.4)', () => {
  const eq = (a: string, b: string) => uriEquals(parseUri(a), parseUri(b));
  test('equal examples from §19.1.4', () => {
    assert.ok(eq('sip:%61lice@atlanta.com;transport=TCP', 'sip:alice@AtLanTa.CoM;Transport=tcp'));
    assert.ok(eq('sip:carol@chicago.com', 'sip:carol@chicago.com;newparam=5'));
    assert.ok(eq('sip:carol@chicago.com;security=on', 'sip:carol@chicago.com;newparam=5'));
    assert.ok(eq('sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com', 'sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com'));
  });
  test('unequal examples from §19.1.4', () => {
    assert.ok(!eq('SIP:ALICE@AtLanTa.CoM;Transport=udp', 'sip:alice@AtLanTa.CoM;Transport=UDP'));
    assert.ok(!eq('sip:bob@biloxi.com', 'sip:bob@biloxi.com:5060'));
    assert.ok(!eq('sip:bob@biloxi.com', 'sip:bob@biloxi.com;transport=udp'));
    assert.ok(!eq('sip:carol@chicago.com;security=on', 'sip:carol@chicago.com;security=off'));
    assert.ok(!eq('sip:carol@chicago.com', 'sip:carol@chicago.com?Subject=next%20meeting'));
  });
});
