/** Requests outside a dialog (RFC 3261 §8.2, §11, §15.1.2) and the incoming-call policy. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../../../src-main/sip/message/index.js';
import type { SipRequest, SipResponse } from '../../../src-main/sip/message/index.js';
import type { AccountConfig } from '../../../src-main/sip/ua/core/account.js';
import { BOB, FakeNetwork, PBX, phone, RawPeer } from './support.js';

const SCANNER = '10.0.0.66';
let n = 0;

function request(method: string, uri: string, from: string, extra: string[] = [], body = ''): SipRequest {
  n++;
  const text = [
    `${method} ${uri} SIP/2.0`,
    `Via: SIP/2.0/UDP ${from}:5060;branch=z9hG4bKraw${n}`,
    'Max-Forwards: 70',
    `From: <sip:caller@${from}>;tag=raw${n}`,
    `To: <${uri.startsWith('sip') ? uri : `sip:x@${BOB}`}>`,
    `Call-ID: raw-${n}@${from}`,
    `CSeq: 1 ${method}`,
    `Contact: <sip:caller@${from}:5060>`,
    ...extra,
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
  const parsed = parseMessage(Buffer.from(text));
  if (!parsed.ok || parsed.message.kind !== 'request') throw new Error(`bad test request: ${parsed.ok ? 'response' : parsed.reason}`);
  return parsed.message;
}

/** Bob (account bob@PBX, registrar PBX) and a raw peer; send one request and return the final response. */
async function exchange(method: string, uri: string, extra: string[] = [], body = '', from = SCANNER, policy?: AccountConfig['incomingCallPolicy']) {
  const net = new FakeNetwork();
  const bob = phone(net, 'bob', BOB, { registrar: `sip:${PBX}`, register: false, ...(policy ? { incomingCallPolicy: policy } : {}) });
  const peer = new RawPeer(net, from);
  await net.run(0);
  peer.send(request(method, uri, from, extra, body), { address: BOB, port: 5060 });
  await net.run(300);
  const final = peer.responses().find((r) => r.status >= 200);
  return { bob, final: final as SipResponse, peer };
}

const list = (r: SipResponse, name: string) => r.headers.getAll(name).join(', ');

test('RFC 3261 §15.1.2 BYE outside any dialog → 481', async () => {
  const { final } = await exchange('BYE', `sip:bob@${BOB}`);
  assert.equal(final.status, 481);
});

test('§11.2 OPTIONS → 200 with Allow, Accept and Supported', async () => {
  const { final } = await exchange('OPTIONS', `sip:bob@${BOB}`);
  assert.equal(final.status, 200);
  assert.equal(list(final, 'Allow'), 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, REFER, NOTIFY');
  assert.equal(list(final, 'Accept'), 'application/sdp');
  assert.equal(list(final, 'Supported'), 'outbound, path, replaces, timer');
});

for (const method of ['REGISTER', 'MESSAGE']) {
  test(`§8.2.1 ${method} (known, not served) → 405 with Allow`, async () => {
    const { final } = await exchange(method, `sip:bob@${BOB}`);
    assert.equal(final.status, 405);
    assert.match(list(final, 'Allow'), /INVITE/);
  });
}

test('§8.2.1 unknown method FOO → 501', async () => {
  const { final } = await exchange('FOO', `sip:bob@${BOB}`);
  assert.equal(final.status, 501);
});

test('§8.2.2.3 Require: foo → 420 with Unsupported: foo', async () => {
  const { final } = await exchange('OPTIONS', `sip:bob@${BOB}`, ['Require: foo']);
  assert.equal(final.status, 420);
  assert.equal(final.headers.get('Unsupported'), 'foo');
});

test('§8.2.3 INVITE with a non-SDP body → 415 with Accept', async () => {
  const { final, bob } = await exchange('INVITE', `sip:bob@${BOB}`, ['Content-Type: text/plain'], 'hello', PBX);
  assert.equal(final.status, 415);
  assert.equal(list(final, 'Accept'), 'application/sdp');
  assert.equal(bob.incoming.length, 0);
});

test('§8.2.2.1 a Request-URI scheme we do not serve → 416', async () => {
  const { final } = await exchange('OPTIONS', 'tel:+15551234');
  assert.equal(final.status, 416);
});

const sdp = 'v=0\r\ns=-\r\n';

test('incoming policy: an INVITE from the registrar\'s address rings, whatever its user', async () => {
  const { bob, peer } = await exchange('INVITE', `sip:anyone@${BOB}`, ['Content-Type: application/sdp'], sdp, PBX);
  assert.equal(bob.incoming.length, 1);
  assert.equal(peer.responses(403).length, 0);
});

test('incoming policy: our user in the Request-URI proves nothing (scanners guess it): 403, nothing rings', async () => {
  const { bob, final, peer } = await exchange('INVITE', `sip:bob@${BOB}`, ['Content-Type: application/sdp'], sdp);
  assert.equal(final.status, 403);
  assert.equal(bob.incoming.length, 0);
  assert.equal(peer.responses().length, 1, '§8.2.7 answered once, statelessly: no retransmitted 403');
  assert.equal(bob.ua.transactions.size.servers, 0, 'no transaction was created for it');
});

test('incoming policy: "trusted-or-addressed" (explicit) still rings for our user from anywhere', async () => {
  const { bob } = await exchange('INVITE', `sip:bob@${BOB}`, ['Content-Type: application/sdp'], sdp, SCANNER, 'trusted-or-addressed');
  assert.equal(bob.incoming.length, 1);
});

test('incoming policy: "any" rings for anything (direct-IP calling, chosen explicitly)', async () => {
  const { bob } = await exchange('INVITE', `sip:100@${BOB}`, ['Content-Type: application/sdp'], sdp, SCANNER, 'any');
  assert.equal(bob.incoming.length, 1);
});

test('incoming policy: a scanner (other user, other address) gets a stateless 403 and nothing rings', async () => {
  const { bob, final } = await exchange('INVITE', `sip:100@${BOB}`, ['Content-Type: application/sdp'], sdp);
  assert.equal(final.status, 403);
  assert.equal(bob.incoming.length, 0);
  assert.equal(bob.ua.transactions.size.servers, 0);
  assert.match(bob.notices.join('\n'), /refused INVITE for 100 from 10\.0\.0\.66:5060: not from the registrar or proxy/);
});

test('incoming policy: an account without registrar or proxy trusts only its domain\'s address; a notice says how to take direct calls', async () => {
  const net = new FakeNetwork();
  const alone = phone(net, 'alone', BOB, { aor: `sip:alone@${BOB}` });
  const peer = new RawPeer(net, SCANNER);
  await net.run(0);
  peer.send(request('INVITE', `sip:alone@${BOB}`, SCANNER, ['Content-Type: application/sdp'], sdp), { address: BOB, port: 5060 });
  await net.run(300);
  assert.equal(alone.incoming.length, 0);
  assert.match(alone.notices.join('\n'), /direct calls need incoming policy "any"/);
});

test('§9.2 a CANCEL that matches no INVITE transaction → 481', async () => {
  const { final } = await exchange('CANCEL', `sip:bob@${BOB}`);
  assert.equal(final.status, 481);
});

test('RFC 3515 §2.4.2 REFER outside a dialog → 405', async () => {
  const { final } = await exchange('REFER', `sip:bob@${BOB}`, [`Refer-To: <sip:carol@${PBX}>`]);
  assert.equal(final.status, 405);
});

test('RFC 6665 §4.1.3 NOTIFY outside a dialog: unsolicited message-summary → 200, other packages → 481', async () => {
  const mwi = await exchange('NOTIFY', `sip:bob@${BOB}`, ['Event: message-summary', 'Subscription-State: active',
    'Content-Type: application/simple-message-summary'], 'Messages-Waiting: yes\r\n');
  assert.equal(mwi.final.status, 200);
  const other = await exchange('NOTIFY', `sip:bob@${BOB}`, ['Event: refer', 'Subscription-State: active']);
  assert.equal(other.final.status, 481);
});
