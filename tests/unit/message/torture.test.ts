/**
 * RFC 4475 / RFC 5118 / RFC 3261 §24 vectors as a table (after pjsip's msg_test.c): each row is
 * the expected outcome for a UA, following the RFC's stated expectation for the message.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  getCSeq, getCallId, getContacts, getFrom, getTo, getVias, parseMessage, type SipMessage,
} from '../../../src-main/sip/message/index.js';
import { vector, vectorNames } from './vectors.js';

type Row =
  | { set: string; name: string; ok: true; check?: (m: SipMessage) => void }
  | { set: string; name: string; ok: false; reason: RegExp; status?: number; request?: boolean };

const req = (m: SipMessage) => {
  assert.equal(m.kind, 'request');
  return m as Extract<SipMessage, { kind: 'request' }>;
};

const rows: Row[] = [
  // RFC 4475 §3.1.1 valid messages.
  { set: 'rfc4475', name: 'wsinv', ok: true, check: (m) => {
    assert.equal(req(m).method, 'INVITE');
    assert.equal(getTo(m).params.get('tag'), '1918181833n');
    assert.equal(getFrom(m).displayName, 'J Rosenberg \\"');
    assert.equal(getFrom(m).params.get('tag'), '98asjd8');
    assert.deepEqual(getCSeq(m), { seq: 9, method: 'INVITE' });
    assert.deepEqual(getVias(m).map((v) => [v.transport, v.host, v.params.get('branch')]), [
      ['UDP', '192.0.2.2', '390skdjuw'], ['TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
      ['UDP', '192.168.255.111', 'z9hG4bK30239'],
    ]);
    assert.equal(m.headers.get('Max-Forwards'), '0068');
    assert.equal(m.headers.get('NewFangledHeader'), 'newfangled value continued newfangled value');
    assert.equal(m.headers.get('UnknownHeaderWithUnusualValue'), ';;,,;;,;');
    assert.equal(m.headers.get('Subject'), '');
    const c = getContacts(m).contacts[0]!;
    assert.equal(c.displayName, 'Quoted string ""');
    assert.deepEqual([...c.params], [['newparam', 'newvalue'], ['secondparam', null], ['q', '0.33']]);
    assert.equal(m.body.length, 150);
  } },
  { set: 'rfc4475', name: 'intmeth', ok: true, check: (m) => {
    const r = req(m);
    assert.equal(r.method, "!interesting-Method0123456789_*+`.%indeed'~");
    assert.equal(r.uri.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    assert.equal(r.uri.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    assert.equal(getTo(m).displayName, 'BEL:\x07 NUL:\x00 DEL:\x7f');
    assert.equal(getFrom(m).displayName, "token1~` token2'+_ token3*%!.-");
    assert.equal(getFrom(m).params.get("fromparam''~+*_!.-%"), '"работающий"');
    assert.equal(getFrom(m).params.get('tag'), "_token~1'+`*%!-.");
    assert.equal(getCallId(m), "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{");
    assert.equal(getCSeq(m).method, r.method);
    assert.equal(m.headers.get("extensionHeader-!.%*+_`'~"), '\ufeff大停電');
  } },
  { set: 'rfc4475', name: 'esc01', ok: true, check: (m) => {
    assert.equal(req(m).uri.user, 'sips:user@example.com');
    assert.equal(getTo(m).uri.user, 'user');
    assert.equal(getFrom(m).uri.user, 'I have spaces');
    const c = getContacts(m).contacts[0]!;
    assert.equal(c.uri.user, 'caller');
    assert.deepEqual([...c.uri.params], [['lr', null], ['name', 'value%41']]);
  } },
  { set: 'rfc4475', name: 'escnull', ok: true, check: (m) => {
    assert.equal(getTo(m).uri.user, 'null-\x00-null');
    assert.deepEqual(getContacts(m).contacts.map((c) => c.uri.user), ['\x00', '\x00\x00']);
  } },
  { set: 'rfc4475', name: 'esc02', ok: true, check: (m) => {
    assert.equal(req(m).method, 'RE%47IST%45R');
    assert.equal(getTo(m).displayName, '%Z%45');
    assert.equal(m.headers.getAll('Contact').length, 2); // "C%6Fntact" is another header
    assert.equal(m.headers.get('C%6Fntact'), '<sip:alias2@host2.example.com>');
  } },
  { set: 'rfc4475', name: 'lwsdisp', ok: true, check: (m) => assert.equal(getFrom(m).displayName, 'caller') },
  { set: 'rfc4475', name: 'longreq', ok: true, check: (m) => {
    assert.equal(getVias(m).length, 34);
    assert.equal(getTo(m).uri.port, 6000);
    assert.equal(getFrom(m).params.get('tag')!.length, 152);
  } },
  // §18.3: extra octets after Content-Length in a datagram are discarded.
  { set: 'rfc4475', name: 'dblreq', ok: true, check: (m) => {
    assert.equal(req(m).method, 'REGISTER');
    assert.equal(m.body.length, 0);
  } },
  { set: 'rfc4475', name: 'semiuri', ok: true, check: (m) => {
    assert.equal(req(m).uri.user, 'user;par=u@example.net');
    assert.equal(req(m).uri.host, 'example.com');
    assert.equal(m.headers.getAll('Accept').length, 6);
  } },
  { set: 'rfc4475', name: 'transports', ok: true, check: (m) => {
    assert.deepEqual(getVias(m).map((v) => v.transport), ['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP']);
  } },
  { set: 'rfc4475', name: 'mpart01', ok: true, check: (m) => {
    assert.equal(m.body.length, 553);
    assert.equal(m.body.subarray(-22).toString('latin1'), '--7a9cbec02ceef655--\r\n');
  } },
  { set: 'rfc4475', name: 'unreason', ok: true, check: (m) => {
    assert.equal(m.kind === 'response' && m.reason, '= 2**3 * 5**2 но сто девяносто девять - простое');
  } },
  { set: 'rfc4475', name: 'noreason', ok: true, check: (m) => assert.equal(m.kind === 'response' && m.reason, '') },
  // RFC 4475 §3.1.2 invalid messages.
  { set: 'rfc4475', name: 'badinv01', ok: false, reason: /empty element in Via/ },
  { set: 'rfc4475', name: 'clerr', ok: false, reason: /Content-Length 9999 exceeds/, request: true },
  { set: 'rfc4475', name: 'ncl', ok: false, reason: /negative Content-Length/, request: true },
  { set: 'rfc4475', name: 'scalar02', ok: false, reason: /CSeq number too large/, request: true },
  { set: 'rfc4475', name: 'scalarlg', ok: false, reason: /CSeq number too large/ },
  { set: 'rfc4475', name: 'quotbal', ok: false, reason: /unterminated quoted string in To/, request: true },
  { set: 'rfc4475', name: 'ltgtruri', ok: false, reason: /Request-URI must not be enclosed in <>/ },
  { set: 'rfc4475', name: 'lwsruri', ok: false, reason: /whitespace inside Request-URI/ },
  { set: 'rfc4475', name: 'lwsstart', ok: false, reason: /extra whitespace in Request-Line/ },
  { set: 'rfc4475', name: 'trws', ok: false, reason: /trailing whitespace in Request-Line/ },
  { set: 'rfc4475', name: 'escruri', ok: false, reason: /Request-URI must not contain headers/ },
  // §3.1.2.9: "An element wishing to process this request could treat the Date header field as a
  // header field it doesn't understand" — we never read Date (docs/decisions.md, header audit).
  { set: 'rfc4475', name: 'baddate', ok: true, check: (m) => assert.equal(m.headers.get('Date'), 'Fri, 01 Jan 2010 16:00:00 EST') },
  { set: 'rfc4475', name: 'regbadct', ok: false, reason: /"\?" must be enclosed in <> in Contact/, request: true },
  { set: 'rfc4475', name: 'badaspec', ok: false, reason: /whitespace .*inside <> in To/, request: true },
  { set: 'rfc4475', name: 'baddn', ok: false, reason: /invalid display name in From/, request: true },
  { set: 'rfc4475', name: 'badvers', ok: false, reason: /unsupported SIP version "SIP\/7.0"/, status: 505 },
  { set: 'rfc4475', name: 'mismatch01', ok: false, reason: /CSeq method "INVITE" does not match request method "OPTIONS"/, request: true },
  { set: 'rfc4475', name: 'mismatch02', ok: false, reason: /CSeq method "INVITE" does not match request method "NEWMETHOD"/, request: true },
  { set: 'rfc4475', name: 'bigcode', ok: false, reason: /invalid Status-Code "4294967301"/ },
  // RFC 4475 §3.2 / §3.3: syntactically valid; the transaction/application layers decide.
  { set: 'rfc4475', name: 'badbranch', ok: true, check: (m) => assert.equal(getVias(m)[0]!.params.get('branch'), 'z9hG4bK') },
  { set: 'rfc4475', name: 'insuf', ok: false, reason: /missing From header field/ },
  { set: 'rfc4475', name: 'unkscm', ok: false, reason: /unsupported URI scheme "nobodyKnowsThisScheme" in Request-URI/, status: 416 },
  { set: 'rfc4475', name: 'novelsc', ok: false, reason: /unsupported URI scheme "soap.beep" in Request-URI/, status: 416 },
  // Our model has no place for non-SIP URIs in From/To/Contact: rejected with a 400 naming the field.
  { set: 'rfc4475', name: 'unksm2', ok: false, reason: /unsupported URI scheme "http" in From/, status: 400, request: true },
  { set: 'rfc4475', name: 'bext01', ok: true, check: (m) => {
    assert.deepEqual(m.headers.getAll('Require'), ['nothingSupportsThis', 'nothingSupportsThisEither']);
    assert.deepEqual(m.headers.getAll('Proxy-Require'), ['noProxiesSupportThis', 'norDoAnyProxiesSupportThis']);
  } },
  { set: 'rfc4475', name: 'invut', ok: true, check: (m) => assert.equal(m.body.length, 40) },
  { set: 'rfc4475', name: 'regaut01', ok: true, check: (m) => {
    assert.equal(m.headers.get('Authorization'), 'NoOneKnowsThisScheme opaque-data=here');
  } },
  { set: 'rfc4475', name: 'multi01', ok: false, reason: /multiple CSeq header fields/ },
  { set: 'rfc4475', name: 'mcl01', ok: false, reason: /multiple Content-Length header fields/, request: true },
  { set: 'rfc4475', name: 'bcast', ok: true, check: (m) => assert.equal(getVias(m)[1]!.host, '255.255.255.255') },
  { set: 'rfc4475', name: 'zeromf', ok: true, check: (m) => assert.equal(m.headers.get('Max-Forwards'), '0') },
  { set: 'rfc4475', name: 'cparam01', ok: true, check: (m) => {
    const c = getContacts(m).contacts[0]!;
    assert.equal(c.uri.params.size, 0);
    assert.equal(c.params.has('unknownparam'), true); // addr-spec form: a header parameter
  } },
  { set: 'rfc4475', name: 'cparam02', ok: true, check: (m) => {
    const c = getContacts(m).contacts[0]!;
    assert.equal(c.uri.params.has('unknownparam'), true);
    assert.equal(c.params.size, 0);
  } },
  { set: 'rfc4475', name: 'regescrt', ok: true, check: (m) => {
    assert.equal(getContacts(m).contacts[0]!.uri.headers.get('Route'), '<sip:sip.example.com>');
  } },
  { set: 'rfc4475', name: 'sdp01', ok: true },
  // RFC 2543 syntax: no Max-Forwards, no branch, no Content-Length (body = rest of the datagram).
  { set: 'rfc4475', name: 'inv2543', ok: true, check: (m) => {
    assert.equal(m.headers.has('Max-Forwards'), false);
    assert.equal(getVias(m)[0]!.params.has('branch'), false);
    assert.equal(m.body.toString().startsWith('v=0\r\n'), true);
    assert.equal(getTo(m).params.get('user'), 'phone');
  } },
  // RFC 5118 IPv6 messages.
  { set: 'rfc5118', name: 'ipv6-good', ok: true, check: (m) => {
    assert.equal(req(m).uri.host, '[2001:db8::10]');
    assert.equal(getVias(m)[0]!.host, '[2001:db8::9:1]');
    assert.equal(getContacts(m).contacts[0]!.uri.host, '[2001:db8::1]');
  } },
  { set: 'rfc5118', name: 'ipv6-bad', ok: false, reason: /invalid host "2001" .*in Request-URI/ },
  { set: 'rfc5118', name: 'port-ambiguous', ok: true, check: (m) => {
    assert.equal(req(m).uri.host, '[2001:db8::10:5070]');
    assert.equal(req(m).uri.port, undefined);
  } },
  { set: 'rfc5118', name: 'port-unambiguous', ok: true, check: (m) => {
    assert.equal(req(m).uri.host, '[2001:db8::10]');
    assert.equal(req(m).uri.port, 5070);
  } },
  { set: 'rfc5118', name: 'via-received-param-with-delim', ok: true, check: (m) => {
    assert.equal(getVias(m)[0]!.params.get('received'), '[2001:db8::9:255]');
  } },
  { set: 'rfc5118', name: 'via-received-param-no-delim', ok: true, check: (m) => {
    assert.equal(getVias(m)[0]!.params.get('received'), '2001:db8::9:255');
  } },
  // The RFC's own text declares Content-Length 268 for a 251-byte body: over UDP that is §18.3's
  // "shorter than Content-Length" case, so the datagram is rejected.
  { set: 'rfc5118', name: 'ipv6-in-sdp', ok: false, reason: /Content-Length 268 exceeds the 251 bytes/, request: true },
  { set: 'rfc5118', name: 'mult-ip-in-header', ok: true, check: (m) => {
    assert.deepEqual(getVias(m).map((v) => [v.host, v.port]), [
      ['[2001:db8::9:1]', 6050], ['192.0.2.1', undefined], ['[2001:db8::9:255]', undefined],
    ]);
  } },
  { set: 'rfc5118', name: 'mult-ip-in-sdp', ok: true, check: (m) => assert.equal(m.body.length, 181) },
  { set: 'rfc5118', name: 'ipv4-mapped-ipv6', ok: true, check: (m) => {
    assert.equal(getVias(m)[0]!.host, '[::ffff:192.0.2.10]');
    assert.equal(getVias(m)[0]!.port, 19823);
  } },
  { set: 'rfc5118', name: 'ipv6-bug-abnf-3-colons', ok: false, reason: /invalid IPv6 reference .*in Request-URI/ },
  { set: 'rfc5118', name: 'ipv6-correct-abnf-2-colons', ok: true, check: (m) => {
    assert.equal(req(m).uri.host, '[2001:db8::192.0.2.1]');
  } },
  // RFC 3261 §24 call flow messages.
  { set: 'rfc3261', name: '24.1-F1-register', ok: true, check: (m) => assert.equal(req(m).uri.scheme, 'sips') },
  { set: 'rfc3261', name: '24.1-F4-200-ok', ok: true, check: (m) => {
    assert.equal(getVias(m)[0]!.params.get('received'), '192.0.2.201');
    assert.equal(getContacts(m).contacts[0]!.params.get('expires'), '3600');
  } },
  { set: 'rfc3261', name: '24.2-F1-invite', ok: true, check: (m) => {
    assert.equal(getFrom(m).displayName, 'Alice');
    assert.equal(getContacts(m).contacts[0]!.uri.params.get('transport'), 'tcp');
  } },
  { set: 'rfc3261', name: '24.2-F5-180-ringing', ok: true, check: (m) => {
    assert.equal(m.kind === 'response' && m.status, 180);
    assert.equal(getVias(m).length, 2);
    assert.equal(getTo(m).params.get('tag'), '314159');
  } },
  { set: 'rfc3261', name: '24.2-F6-200-ok', ok: true },
  { set: 'rfc3261', name: '24.2-F9-ack', ok: true },
  { set: 'rfc3261', name: '24.2-F13-bye', ok: true },
];

describe('torture vectors (RFC 4475, RFC 5118, RFC 3261 §24)', () => {
  test('every vector file has a row', () => {
    for (const set of ['rfc4475', 'rfc5118', 'rfc3261']) {
      const named = new Set(rows.filter((r) => r.set === set).map((r) => r.name));
      assert.deepEqual(vectorNames(set).filter((n) => !named.has(n)), [], set);
    }
  });
  for (const row of rows) {
    test(`${row.set} ${row.name}: ${row.ok ? 'parses' : 'is rejected'}`, () => {
      const r = parseMessage(vector(row.set, row.name));
      if (row.ok) {
        assert.equal(r.ok, true, r.ok ? '' : r.reason);
        if (r.ok) row.check?.(r.message);
      } else {
        assert.equal(r.ok, false);
        if (r.ok) return;
        assert.match(r.reason, row.reason);
        assert.equal(r.status, row.status ?? 400);
        assert.equal(r.request !== undefined, row.request ?? false, 'request context for a 400');
        if (r.request) {
          for (const h of ['Via', 'From', 'To', 'Call-ID', 'CSeq']) assert.equal(r.request.headers.has(h), true, h);
        }
      }
    });
  }
});
