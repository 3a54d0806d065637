/** Refused INVITEs cost nothing: a stateless 403 within a budget, drops beyond it, folded notices; auto-answer trust. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../../../src-main/sip/message/index.js';
import type { SipRequest } from '../../../src-main/sip/message/index.js';
import { IncomingScreen } from '../../../src-main/sip/ua/core/incoming-screen.js';
import { TestClock } from '../../support/test-clock.js';
import { BOB, FakeNetwork, PBX, phone, RawPeer } from './support.js';

function invite(n: number, from: string, extra: string[] = [], toTag = ''): SipRequest {
  const text = [
    `INVITE sip:bob@${BOB} SIP/2.0`, `Via: SIP/2.0/UDP ${from}:5060;branch=z9hG4bKs${n}`, 'Max-Forwards: 70',
    `From: <sip:x@${from}>;tag=f${n}`, `To: <sip:bob@${BOB}>${toTag}`, `Call-ID: s${n}@${from}`, 'CSeq: 1 INVITE',
    `Contact: <sip:x@${from}>`, ...extra, 'Content-Length: 0', '', '',
  ].join('\r\n');
  const parsed = parseMessage(Buffer.from(text));
  if (!parsed.ok || parsed.message.kind !== 'request') throw new Error('bad test request');
  return parsed.message;
}

const source = { protocol: 'udp' as const, address: '192.0.2.66', port: 5060 };
const refuse = () => ({ accept: false as const, reason: 'INVITE for bob from 192.0.2.66:5060: not from the registrar or proxy' });

test('a flood of refused INVITEs: 50 stateless 403s per second, the rest dropped; one notice plus summaries', () => {
  const clock = new TestClock();
  const notices: string[] = [];
  const screen = new IncomingScreen(clock, (m) => notices.push(m));
  const actions = Array.from({ length: 1000 }, (_, i) => screen.screen(invite(i, '192.0.2.66'), source, refuse).action);
  assert.equal(actions.filter((a) => a === 'reject').length, 50);
  assert.equal(actions.filter((a) => a === 'drop').length, 950);
  assert.equal(notices.length, 1);
  clock.advance(1000);
  assert.equal(screen.screen(invite(1001, '192.0.2.66'), source, refuse).action, 'reject', 'the budget refills');
  clock.advance(10_000);
  assert.equal(notices.length, 2);
  assert.match(notices[1]!, /^1000 more in 10 s, latest: refused INVITE/);
});

test('only out-of-dialog INVITEs are screened', () => {
  const screen = new IncomingScreen(new TestClock(), () => {});
  assert.equal(screen.screen(invite(1, '192.0.2.66', [], ';tag=t'), source, refuse).action, 'accept', 'a re-INVITE belongs to its dialog');
  const options = { ...invite(2, '192.0.2.66'), method: 'OPTIONS' };
  assert.equal(screen.screen(options, source, refuse).action, 'accept');
});

test('auto-answer requests are allowed only for calls from the account\'s server, and not when the account says never', async () => {
  for (const [from, setting, allowed] of [[PBX, undefined, true], ['192.0.2.66', undefined, false], [PBX, 'never', false]] as const) {
    const net = new FakeNetwork();
    const bob = phone(net, 'bob', BOB, { registrar: `sip:${PBX}`, incomingCallPolicy: 'any', ...(setting ? { autoAnswerRequests: setting } : {}) });
    const peer = new RawPeer(net, from);
    await net.run(0);
    peer.send(invite(1, from, ['Call-Info: <sip:pbx>;answer-after=0']), { address: BOB, port: 5060 });
    await net.run(10);
    assert.equal(bob.incoming.length, 1, `${from} rings (policy any)`);
    assert.equal(bob.incoming[0]!.autoAnswerAllowed, allowed, `from ${from}, autoAnswerRequests ${setting ?? 'default'}`);
  }
});
