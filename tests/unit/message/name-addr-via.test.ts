import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  SipParseError, formatNameAddr, formatVia, parseCSeq, parseNameAddr, parseVia, splitHeaderList,
} from '../../../src-main/sip/message/index.js';

const throwsWith = (fn: () => unknown, reason: RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof SipParseError && reason.test(e.message));

describe('parseNameAddr (RFC 3261 §20.10)', () => {
  test('name-addr with quoted display name and header params', () => {
    const v = parseNameAddr('"A \\"B\\" C" <sip:a@h;lr> ; tag = x ;+sip.instance="<urn:uuid:1>"');
    assert.equal(v.displayName, 'A "B" C');
    assert.equal(v.uri.params.has('lr'), true);
    assert.deepEqual([...v.params], [['tag', 'x'], ['+sip.instance', '"<urn:uuid:1>"']]);
  });
  test('addr-spec form: params after the URI are header params', () => {
    const v = parseNameAddr('sip:a@h;transport=tcp;tag=1');
    assert.equal(v.uri.params.size, 0);
    assert.deepEqual([...v.params], [['transport', 'tcp'], ['tag', '1']]);
    assert.equal(formatNameAddr(v), '<sip:a@h>;transport=tcp;tag=1');
  });
  test('format always writes <uri> and quotes the display name', () => {
    assert.equal(formatNameAddr(parseNameAddr('Bob <sip:b@h;lr>;tag=9')), '"Bob" <sip:b@h;lr>;tag=9');
    const weird = parseNameAddr('"x\\\\y\\"z" <sip:a@h>');
    assert.deepEqual(parseNameAddr(formatNameAddr(weird)), weird);
  });
  test('errors name the faulty element', () => {
    throwsWith(() => parseNameAddr('"open <sip:a@h>', 'To'), /unterminated quoted string in To/);
    throwsWith(() => parseNameAddr('a, b <sip:a@h>', 'From'), /invalid display name in From/);
    throwsWith(() => parseNameAddr('< sip:a@h>', 'To'), /inside <> in To/);
    throwsWith(() => parseNameAddr('sip:a@h?x=y', 'Contact'), /must be enclosed in <> in Contact/);
    throwsWith(() => parseNameAddr('<sip:a@h', 'Route'), /missing ">" in Route/);
    throwsWith(() => parseNameAddr('<sip:a@h>;tag=', 'From'), /empty value for parameter "tag" in From/);
  });
});

describe('parseVia / formatVia (RFC 3261 §20.42)', () => {
  test('LWS around separators and IPv6 sent-by', () => {
    const v = parseVia('SIP / 2.0 / udp [2001:db8::1] : 5070 ; branch = z9hG4bK1 ; rport ; received=[2001:db8::2]');
    assert.equal(v.protocol, 'SIP/2.0');
    assert.equal(v.transport, 'UDP');
    assert.equal(v.host, '[2001:db8::1]');
    assert.equal(v.port, 5070);
    assert.deepEqual([...v.params], [['branch', 'z9hG4bK1'], ['rport', null], ['received', '[2001:db8::2]']]);
    assert.equal(formatVia(v), 'SIP/2.0/UDP [2001:db8::1]:5070;branch=z9hG4bK1;rport;received=[2001:db8::2]');
  });
  test('errors', () => {
    throwsWith(() => parseVia('SIP/2.0 host'), /malformed sent-protocol in Via/);
    throwsWith(() => parseVia('SIP/2.0/UDP'), /missing sent-by host in Via/);
    throwsWith(() => parseVia('SIP/2.0/UDP h;;'), /empty parameter in Via/);
    throwsWith(() => parseVia('SIP/2.0/UDP h;branch'), /empty branch in Via/);
    throwsWith(() => parseVia('SIP/2.0/UDP h;rport=99999'), /invalid port in Via rport/);
  });
});

describe('parseCSeq (RFC 3261 §20.16)', () => {
  test('valid', () => assert.deepEqual(parseCSeq('0009   INVITE'), { seq: 9, method: 'INVITE' }));
  test('limits and syntax', () => {
    throwsWith(() => parseCSeq('2147483648 INVITE'), /CSeq number too large/);
    throwsWith(() => parseCSeq('1INVITE'), /malformed CSeq/);
    throwsWith(() => parseCSeq('1 INVITE extra'), /malformed CSeq method/);
    throwsWith(() => parseCSeq('INVITE'), /missing CSeq number/);
  });
});

describe('splitHeaderList (RFC 3261 §7.3.1)', () => {
  test('ignores commas in quotes and angle brackets', () => {
    assert.deepEqual(splitHeaderList('"a,\\"b" <sip:x@h;p=a,b>, <sip:y@h>'), ['"a,\\"b" <sip:x@h;p=a,b>', '<sip:y@h>']);
  });
  test('rejects empty elements', () => throwsWith(() => splitHeaderList('a,,b', 'Allow'), /empty element in Allow list/));
});
