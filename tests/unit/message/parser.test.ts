import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  defaultLimits, getCSeq, getCallId, getFrom, getTopVia, parseMessage, serializeMessage, type SipMessage,
} from '../../../src-main/sip/message/index.js';
import { generateMessages } from './generate.js';
import { vector, vectorNames } from './vectors.js';

const crlf = (s: string) => Buffer.from(s.replace(/\n/g, '\r\n'), 'utf8');
const base = (extra = '', body = '') => crlf(`OPTIONS sip:bob@example.com SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKabc
From: <sip:alice@example.com>;tag=1
To: <sip:bob@example.com>
Call-ID: a@b
CSeq: 1 OPTIONS
Max-Forwards: 70
${extra}Content-Length: ${Buffer.byteLength(body)}

${body}`);

function mustParse(data: Buffer): SipMessage {
  const r = parseMessage(data);
  assert.equal(r.ok, true, r.ok ? '' : r.reason);
  return (r as Extract<typeof r, { ok: true }>).message;
}

function reject(data: Buffer, limits = defaultLimits): { reason: string; status?: number } {
  const r = parseMessage(data, limits);
  assert.equal(r.ok, false);
  return r as Extract<typeof r, { ok: false }>;
}

/** Fields compared after a round trip (Content-Length is regenerated, so it is left out). */
function shape(m: SipMessage) {
  const start = m.kind === 'request' ? [m.method, m.uri] : [m.status, m.reason];
  const headers = [...m.headers].filter((f) => f.name !== 'Content-Length');
  return { start, headers, body: m.body.toString('hex') };
}

describe('parseMessage: datagram body rules (RFC 3261 §18.3, §20.14)', () => {
  test('Content-Length counts bytes, not characters', () => {
    const m = mustParse(base('Content-Type: text/plain\n', 'héllo ✓'));
    assert.equal(m.body.toString('utf8'), 'héllo ✓');
    assert.equal(m.body.length, 10);
  });
  test('bytes beyond Content-Length are discarded', () => {
    const data = Buffer.concat([base('', 'abc'), Buffer.from('garbage')]);
    assert.equal(mustParse(data).body.toString(), 'abc');
  });
  test('a body shorter than Content-Length is rejected', () => {
    const data = base('', 'abc').subarray(0, -1);
    assert.match(reject(data).reason, /Content-Length 3 exceeds the 2 bytes/);
  });
  test('without Content-Length the body is the rest of the datagram', () => {
    const data = Buffer.from(base('', '').toString().replace('Content-Length: 0\r\n', '') + 'xyz');
    assert.equal(mustParse(data).body.toString(), 'xyz');
  });
  test('CRLFs before the start line are ignored (§7.5)', () => {
    assert.equal(mustParse(Buffer.concat([Buffer.from('\r\n\r\n'), base()])).kind, 'request');
  });
  test('a message without the empty line is rejected', () => {
    const data = Buffer.from(base().toString().slice(0, -2));
    assert.match(reject(data).reason, /missing empty line/);
  });
});

describe('parseMessage: header handling (RFC 3261 §7.3)', () => {
  test('list headers split at top-level commas only', () => {
    const m = mustParse(base('Contact: "a, b" <sip:x@h;p=1>, <sip:y@h?h=v>;q=0.5\nRecord-Route: <sip:p1;lr>,<sip:p2;lr>\n'));
    assert.deepEqual(m.headers.getAll('Contact'), ['"a, b" <sip:x@h;p=1>', '<sip:y@h?h=v>;q=0.5']);
    assert.deepEqual(m.headers.getAll('Record-Route'), ['<sip:p1;lr>', '<sip:p2;lr>']);
  });
  test('WWW-Authenticate, Authorization and Date are never split', () => {
    const challenge = 'Digest realm="a, b", nonce="n", qop="auth,auth-int"';
    const m = mustParse(base(`WWW-Authenticate: ${challenge}\nAuthorization: ${challenge}\nDate: Sat, 13 Nov 2010 23:29:00 GMT\n`));
    assert.deepEqual(m.headers.getAll('WWW-Authenticate'), [challenge]);
    assert.deepEqual(m.headers.getAll('Authorization'), [challenge]);
    assert.equal(m.headers.get('Date'), 'Sat, 13 Nov 2010 23:29:00 GMT');
  });
  test('compact forms are expanded and folding is unfolded', () => {
    const m = mustParse(base('k: 100rel,\n  timer\nX-Folded: a\n\tb\n'));
    assert.deepEqual(m.headers.getAll('Supported'), ['100rel', 'timer']);
    assert.equal(m.headers.get('X-Folded'), 'a b');
  });
  test('a bare CR inside a header is rejected', () => {
    assert.match(reject(base('X-Bad: a\rb\n')).reason, /bare CR/);
  });
  test('a line without a colon is rejected', () => {
    assert.match(reject(base('NoColonHere\n')).reason, /malformed header line "NoColonHere"/);
  });
  test('missing Max-Forwards is tolerated (RFC 4475 §3.3.13), a bad one is not', () => {
    const without = Buffer.from(base().toString().replace('Max-Forwards: 70\r\n', ''));
    assert.equal(mustParse(without).headers.has('Max-Forwards'), false);
    const bad = Buffer.from(base().toString().replace('Max-Forwards: 70', 'Max-Forwards: 256'));
    assert.match(reject(bad).reason, /Max-Forwards too large/);
  });
  test('the request context for a 400 carries the response headers', () => {
    const r = parseMessage(base('Contact: <sip:a@b>;;\n'));
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.match(r.reason, /empty parameter in Contact/);
    assert.equal(r.request?.method, 'OPTIONS');
    assert.deepEqual([...r.request!.headers].map((f) => f.name), ['Via', 'From', 'To', 'Call-ID', 'CSeq']);
  });
});

describe('parseMessage: size limits', () => {
  const big = 'a'.repeat(64 * 1024);
  const kinds: Array<[string, (v: string) => Buffer, RegExp]> = [
    ['Via', (v) => base(`Via: SIP/2.0/UDP h;branch=${v}\n`), /Via header field exceeds 8192 bytes/],
    ['From', (v) => Buffer.from(base().toString().replace('tag=1', `tag=${v}`)), /From header field exceeds/],
    ['To', (v) => Buffer.from(base().toString().replace('<sip:bob@example.com>\r', `<sip:${v}@example.com>\r`)), /To header field exceeds/],
    ['Contact', (v) => base(`Contact: <sip:${v}@h>\n`), /Contact header field exceeds/],
    ['Call-ID', (v) => Buffer.from(base().toString().replace('Call-ID: a@b', `Call-ID: ${v}`)), /Call-ID header field exceeds/],
    ['CSeq', (v) => Buffer.from(base().toString().replace('CSeq: 1', `CSeq: ${v.replace(/a/g, '1')}`)), /CSeq header field exceeds/],
    ['WWW-Authenticate', (v) => base(`WWW-Authenticate: Digest realm="${v}"\n`), /WWW-Authenticate header field exceeds/],
    ['Route', (v) => base(`Route: <sip:${v};lr>\n`), /Route header field exceeds/],
    ['X-', (v) => base(`X-Anything: ${v}\n`), /X-Anything header field exceeds/],
    ['folded', (v) => base(`X-Folded: a\n ${v}\n`), /X-Folded header field exceeds/],
    ['Request-URI', (v) => Buffer.from(base().toString().replace('sip:bob@', `sip:${v}@`)), /start line exceeds 8192 bytes/],
  ];
  for (const [kind, make, reason] of kinds) {
    test(`a 64 KiB ${kind} value is rejected with a size reason`, () => {
      const data = make(big);
      assert.match(reject(data).reason, /message exceeds 65535 bytes/);
      assert.match(reject(data, { ...defaultLimits, maxMessageBytes: 1 << 20 }).reason, reason);
    });
  }
  test('too many header fields', () => {
    const extra = 'X-H: 1\n'.repeat(300);
    assert.match(reject(base(extra)).reason, /more than 256 header fields/);
  });
});

describe('serializeMessage: round trip', () => {
  const valid: Array<[string, Buffer]> = [];
  for (const set of ['rfc4475', 'rfc5118', 'rfc3261']) {
    for (const name of vectorNames(set)) {
      const data = vector(set, name);
      if (parseMessage(data).ok) valid.push([`${set}/${name}`, data]);
    }
  }
  for (const g of generateMessages(200, 7)) valid.push([`generated ${g.callId}`, g.bytes]);

  test('the valid corpus is not empty', () => assert.ok(valid.length > 230));
  test('serialize(parse(x)) re-parses to an equal message, and is a fixed point', () => {
    for (const [name, data] of valid) {
      const m1 = mustParse(data);
      const out = serializeMessage(m1);
      const m2 = mustParse(out);
      assert.deepEqual(shape(m2), shape(m1), name);
      assert.equal(m2.headers.get('Content-Length'), String(m1.body.length), name);
      assert.deepEqual(serializeMessage(m2), out, name);
    }
  });
  test('one field per line, canonical names, Content-Length last from the body bytes', () => {
    const m = mustParse(vector('rfc4475', 'wsinv'));
    const text = serializeMessage(m).toString('utf8');
    const head = text.slice(0, text.indexOf('\r\n\r\n')).split('\r\n');
    assert.equal(head[0], 'INVITE sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0');
    assert.equal(head.filter((l) => l.startsWith('Via: ')).length, 3);
    assert.ok(head.includes('Call-ID: wsinv.ndaksdj@192.0.2.1'));
    assert.equal(head[head.length - 1], 'Content-Length: 150');
  });
  test('accessors read the generated fields', () => {
    for (const g of generateMessages(50, 3)) {
      const m = mustParse(g.bytes);
      assert.equal(getCallId(m), g.callId);
      assert.equal(getCSeq(m).seq, g.cseq);
      assert.equal(getFrom(m).params.get('tag'), g.fromTag);
      assert.equal(getTopVia(m).params.get('branch'), g.branch);
      assert.equal(m.body.toString('utf8'), g.body);
    }
  });
});
