/** How an unanswered incoming call ends: RFC 3326 Reason in a CANCEL, or a transport that failed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequest, parseUri } from '../../../src-main/sip/message/index.js';
import { ALICE, BOB, FakeNetwork, phone, RawPeer } from './support.js';

function caller(net: FakeNetwork) {
  const bob = new RawPeer(net, BOB);
  const common: Array<[string, string]> = [
    ['Via', `SIP/2.0/UDP ${BOB}:5060;branch=z9hG4bKcr1`], ['Max-Forwards', '70'],
    ['From', `<sip:bob@${BOB}>;tag=b1`], ['To', `<sip:alice@${ALICE}>`], ['Call-ID', 'cr-1'],
  ];
  bob.send(createRequest('INVITE', parseUri(`sip:alice@${ALICE}`), [...common, ['CSeq', '1 INVITE'], ['Contact', `<sip:bob@${BOB}>`],
    ['Content-Type', 'application/sdp']], Buffer.from('v=0\r\ns=bob\r\n')), { address: ALICE, port: 5060 });
  return (reason?: string) => bob.send(createRequest('CANCEL', parseUri(`sip:alice@${ALICE}`),
    [...common, ['CSeq', '1 CANCEL'], ...(reason ? [['Reason', reason] as [string, string]] : [])]), { address: ALICE, port: 5060 });
}

test('RFC 3326: a CANCEL with Reason SIP;cause=200 ends the ringing call as answered elsewhere', async () => {
  const net = new FakeNetwork();
  const alice = phone(net, 'alice', ALICE, { incomingCallPolicy: 'any' });
  const cancel = caller(net);
  await net.run(10);
  alice.incoming[0]!.ring();
  cancel('SIP;cause=200;text="Call completed elsewhere"');
  await net.run(10);
  assert.equal(alice.incoming[0]!.endCause?.cause, 'answered-elsewhere');
});

test('RFC 3261 §9.2: a plain CANCEL ends it as cancelled (a missed call)', async () => {
  const net = new FakeNetwork();
  const alice = phone(net, 'alice', ALICE, { incomingCallPolicy: 'any' });
  const cancel = caller(net);
  await net.run(10);
  cancel('Q.850;cause=16');
  await net.run(10);
  assert.equal(alice.incoming[0]!.endCause?.cause, 'cancelled');
});

test('RFC 3261 §17.2.4: when our responses cannot reach the caller, the ringing call ends (transport-error)', async () => {
  const net = new FakeNetwork();
  const alice = phone(net, 'alice', ALICE, { incomingCallPolicy: 'any' });
  caller(net);
  await net.run(10);
  alice.transport.failing = (m) => m.kind === 'response';
  alice.incoming[0]!.ring();
  await net.run(10);
  assert.equal(alice.incoming[0]!.endCause?.cause, 'transport-error');
});
