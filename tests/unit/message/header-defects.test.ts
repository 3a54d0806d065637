/**
 * Header defects, tolerated or rejected (issue 16; the audit is in docs/decisions.md): one row per
 * header we parse, beside the RFC 4475 vectors (torture.test.ts). Strict where a defect makes the
 * message unsafe to process (framing, Via, CSeq, Call-ID, tags, routing, a target we would call);
 * tolerant (RFC 3261 §1 robustness) for headers we only read: take the value we need, skip the rest.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMessage, parseNameAddr, type SipMessage, type SipRequest } from '../../../src-main/sip/message/index.js';
import { parseDigestChallenges } from '../../../src-main/sip/message/digest-challenge.js';
import { getEvent, getSubscriptionState } from '../../../src-main/sip/ua/subscription/event-header.js';
import { parseReplaces } from '../../../src-main/sip/ua/session/replaces.js';
import { minSeOf, negotiateAsUas, supportsTimer } from '../../../src-main/sip/ua/session/session-timer.js';
import { answerAfterSeconds } from '../../../src-main/sip/ua/session/auto-answer-hints.js';

const crlf = (s: string) => Buffer.from(s.replace(/\n/g, '\r\n'), 'utf8');

/** A valid NOTIFY; `name: value` replaces that header (or is added), `drop` removes it. */
function notify(name: string, value: string): Buffer {
  const fields: Array<[string, string]> = [
    ['Via', 'SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bKnotify1'],
    ['Max-Forwards', '70'],
    ['From', '<sip:bob@127.0.0.1:5062>;tag=b1'],
    ['To', '<sip:alice@127.0.0.1>;tag=a1'],
    ['Call-ID', 'c1@127.0.0.1'],
    ['CSeq', '2 NOTIFY'],
    ['Contact', '<sip:bob@127.0.0.1:5062>'],
    ['Event', 'refer;id=3'],
    ['Subscription-State', 'active;expires=60'],
    ['Content-Type', 'message/sipfrag;version=2.0'],
  ];
  const i = fields.findIndex(([n]) => n === name);
  if (i >= 0) fields[i] = [name, value];
  else fields.push([name, value]);
  const body = 'SIP/2.0 200 OK\n';
  const lengthField = name === 'Content-Length' ? value : String(Buffer.byteLength(body.replace(/\n/g, '\r\n')));
  return crlf(`NOTIFY sip:alice@127.0.0.1 SIP/2.0\n${fields.map(([n, v]) => `${n}: ${v}\n`).join('')}Content-Length: ${lengthField}\n\n${body}`);
}

type Outcome =
  /** parseMessage refuses the message (a request gets 400 from the transport layer). */
  | { rejected: RegExp }
  /** The message parses; the reader we use for the header throws (the UA answers 400 or ignores it, as noted). */
  | { refusedBy: (m: SipMessage) => unknown; reason: RegExp }
  /** The message parses and the reader takes what it needs. */
  | { tolerated: (m: SipMessage) => void };

interface Row {
  header: string;
  defect: string;
  value: string;
  outcome: Outcome;
}

const rows: Row[] = [
  // Strict: the message would be unsafe to process.
  { header: 'Content-Length', defect: 'not a number (framing)', value: '12x', outcome: { rejected: /Content-Length/ } },
  { header: 'Via', defect: 'no sent-by', value: 'SIP/2.0/UDP ;branch=z9hG4bK1', outcome: { rejected: /Via/ } },
  { header: 'CSeq', defect: 'number with letters', value: '2x NOTIFY', outcome: { rejected: /CSeq/ } },
  { header: 'Call-ID', defect: 'space inside', value: 'c1 @127.0.0.1', outcome: { rejected: /Call-ID/ } },
  { header: 'From', defect: 'unclosed <', value: '<sip:bob@127.0.0.1:5062;tag=b1', outcome: { rejected: /From/ } },
  { header: 'To', defect: 'tag without value', value: '<sip:alice@127.0.0.1>;tag=', outcome: { rejected: /To/ } },
  { header: 'Max-Forwards', defect: 'over 255 (loop protection)', value: '300', outcome: { rejected: /Max-Forwards/ } },
  { header: 'Contact', defect: 'unclosed <', value: '<sip:bob@127.0.0.1:5062', outcome: { rejected: /Contact/ } },
  { header: 'Route', defect: 'unclosed <', value: '<sip:proxy.example.com;lr', outcome: { rejected: /Route/ } },
  { header: 'Record-Route', defect: 'unclosed <', value: '<sip:proxy.example.com;lr', outcome: { rejected: /Record-Route/ } },
  { header: 'Expires', defect: 'over 2^32-1 (RFC 4475 §3.1.2.4)', value: '10000000000', outcome: { rejected: /Expires/ } },
  // Read by the UA, strict: they pick a dialog, a subscription or a target we would call.
  { header: 'Event', defect: 'id without value', value: 'refer;id=', outcome: { refusedBy: (m) => getEvent(m as SipRequest), reason: /Event/ } },
  { header: 'Refer-To', defect: 'unclosed <', value: '<sip:carol@example.com', outcome: { refusedBy: (m) => parseNameAddr(m.headers.get('Refer-To')!, 'Refer-To'), reason: /Refer-To/ } },
  { header: 'Replaces', defect: 'no from-tag', value: 'c9@host;to-tag=a1', outcome: { refusedBy: (m) => parseReplaces(m.headers.get('Replaces')!), reason: /from-tag/ } },
  { header: 'Subscription-State', defect: 'no substate value', value: ';reason=noresource', outcome: { refusedBy: (m) => getSubscriptionState(m as SipRequest), reason: /Subscription-State/ } },
  // Only read: tolerated.
  { header: 'Subscription-State', defect: 'duplicated parameter name (a deployed phone)', value: 'terminated;reason=reason=noresource', outcome: {
    tolerated: (m) => assert.deepEqual(getSubscriptionState(m as SipRequest), { state: 'terminated', expires: undefined, reason: undefined, retryAfter: undefined }),
  } },
  { header: 'Subscription-State', defect: 'empty parameter and a bad expires', value: 'active;;expires=6x0;expires=60', outcome: {
    tolerated: (m) => assert.deepEqual(getSubscriptionState(m as SipRequest), { state: 'active', expires: undefined, reason: undefined, retryAfter: undefined }),
  } },
  { header: 'Date', defect: 'not GMT (RFC 4475 §3.1.2.9)', value: 'Fri, 01 Jan 2010 16:00:00 EST', outcome: {
    tolerated: (m) => assert.equal(m.headers.get('Date'), 'Fri, 01 Jan 2010 16:00:00 EST'),
  } },
  { header: 'Session-Expires', defect: 'trailing ";" and a bad parameter', value: '1800;refresher=uac;;x=a=b', outcome: {
    tolerated: (m) => assert.deepEqual(negotiateAsUas(m as SipRequest, undefined), { kind: 'timer', interval: 1800, refresher: 'uac', requireTimer: true }),
  } },
  { header: 'Session-Expires', defect: 'no interval: no session timer asked for', value: 'soon;refresher=uac', outcome: {
    tolerated: (m) => assert.deepEqual(negotiateAsUas(m as SipRequest, undefined), { kind: 'none' }),
  } },
  { header: 'Min-SE', defect: 'garbage parameter', value: '120;=', outcome: { tolerated: (m) => assert.equal(minSeOf(m), 120) } },
  { header: 'WWW-Authenticate', defect: 'a challenge without nonce beside a good one', value: 'Digest realm="a", Digest realm="b", nonce="n1"', outcome: {
    tolerated: (m) => assert.deepEqual(parseDigestChallenges(m.headers.get('WWW-Authenticate')!).map((c) => [c.realm, c.nonce]), [['b', 'n1']]),
  } },
  { header: 'Call-Info', defect: 'answer-after not a number: no auto-answer (fails closed)', value: '<sip:pbx.example.com>;answer-after=soon', outcome: {
    tolerated: (m) => assert.equal(answerAfterSeconds(m as SipRequest), undefined),
  } },
  { header: 'Alert-Info', defect: 'no <> around the URI: the info parameter is still read (honoured only from the account\'s PBX)', value: 'http://pbx.example.com/ring;info=alert-autoanswer', outcome: {
    tolerated: (m) => assert.equal(answerAfterSeconds(m as SipRequest), 0),
  } },
  { header: 'Answer-Mode', defect: 'empty parameter: the hint is ignored (fails closed, no open microphone)', value: 'Auto;;', outcome: {
    tolerated: (m) => assert.equal(answerAfterSeconds(m as SipRequest), undefined),
  } },
  { header: 'Supported', defect: 'empty list items and odd spacing', value: ' , timer ,,replaces', outcome: {
    tolerated: (m) => assert.equal(supportsTimer(m), true),
  } },
  { header: 'Allow', defect: 'empty list items (trailing comma)', value: 'INVITE, ,ACK,BYE,', outcome: {
    tolerated: (m) => assert.deepEqual(m.headers.getAll('Allow'), ['INVITE', 'ACK', 'BYE']),
  } },
  { header: 'Reason', defect: 'unterminated quoted text: kept whole for its reader', value: 'SIP;cause=200;text="Call completed elsewhere', outcome: {
    tolerated: (m) => assert.deepEqual(m.headers.getAll('Reason'), ['SIP;cause=200;text="Call completed elsewhere']),
  } },
];

test('header defects: one row per header we parse, tolerated or rejected', () => {
  const seen = new Set<string>();
  for (const row of rows) {
    seen.add(row.header);
    const what = `${row.header}: ${row.value} (${row.defect})`;
    const parsed = parseMessage(notify(row.header, row.value));
    if ('rejected' in row.outcome) {
      assert.equal(parsed.ok, false, `${what} must be rejected`);
      if (!parsed.ok) assert.match(parsed.reason, row.outcome.rejected, what);
      continue;
    }
    assert.equal(parsed.ok, true, `${what} must parse: ${parsed.ok ? '' : parsed.reason}`);
    if (!parsed.ok) continue;
    if ('refusedBy' in row.outcome) {
      const { refusedBy, reason } = row.outcome;
      assert.throws(() => refusedBy(parsed.message), (e: Error) => reason.test(e.message), what);
    } else {
      row.outcome.tolerated(parsed.message);
    }
  }
  assert.equal(seen.size, 25, 'every header of the audit (docs/decisions.md) has a row');
});
