/**
 * Hostile peers, credential phishing (issue 8 item 4): our CLI is registered with Kamailio (realm
 * 127.0.0.1, so it holds credentials) and takes direct calls (--incoming-policy any). A stranger on
 * 127.0.0.3 calls it, and when the phone hangs up it challenges the BYE with a 401 naming our own
 * realm — a request for a digest computed with our password, crackable offline. The phone must
 * not answer: one BYE, never one with Authorization, and a notice that says why. Its registrar's
 * challenges are still answered (it stays registered).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startKamailio, testScope } from '../interop/harness/index.js';
import { startSoftphone } from '../support/softphone-process.js';
import { invite, sleep, Stranger, type Datagram } from './hostile-sip-peer.js';

/** A response to `request` written by hand (Via, From, To with our tag, Call-ID, CSeq copied). */
function respond(request: Datagram, status: string, extra: string[] = [], toTag = 'stranger'): string {
  const to = request.header('To') ?? '';
  return [
    `SIP/2.0 ${status}`, `Via: ${request.header('Via')}`, `From: ${request.header('From')}`,
    `To: ${/;tag=/.test(to) ? to : `${to};tag=${toTag}`}`, `Call-ID: ${request.header('Call-ID')}`, `CSeq: ${request.header('CSeq')}`,
    ...extra, 'Content-Length: 0', '', '',
  ].join('\r\n');
}

describe('hostile peers: digest challenges', () => {
  it('a 401 from a third host (claiming our realm) is not answered; the registrar\'s still are', async (t) => {
    const scope = testScope(t);
    const kamailio = scope.use(await startKamailio({ dir: scope.dir, minExpires: 30 }));
    const domain = `127.0.0.1:${kamailio.udpPort}`;
    const phone = scope.use(startSoftphone(['listen', '--id', `sip:1001@${domain}`, '--password', 'pw1001', '--registrar', `sip:${domain}`,
      '--incoming-policy', 'any', '--auto-answer', '--duration', '1', '--expires', '30'], { trace: true }));
    const ready = await phone.waitEvent((e) => e.event === 'ready', 'ready');
    await phone.waitEvent((e) => e.event === 'registration' && e.state === 'registered', 'registered');
    const port = Number(ready.port);

    const stranger = scope.use(await Stranger.open('127.0.0.3'));
    const call = invite(stranger, port);
    stranger.send(call.text, port);
    const ok = await stranger.waitFor((d) => d.status === 200 && d.header('Call-ID') === call.callId, '200 OK (auto-answer)');
    const contact = /<([^>]+)>/.exec(ok.header('Contact') ?? '')?.[1] ?? `sip:1001@127.0.0.1:${port}`;
    stranger.send([
      `ACK ${contact} SIP/2.0`, `Via: SIP/2.0/UDP 127.0.0.3:${stranger.port};branch=z9hG4bKack1;rport`, 'Max-Forwards: 70',
      `From: ${ok.header('From')}`, `To: ${ok.header('To')}`, `Call-ID: ${call.callId}`, 'CSeq: 1 ACK', 'Content-Length: 0', '', '',
    ].join('\r\n'), port);

    // The phone hangs up after 1 s: the stranger answers its BYE with a 401 for our own realm.
    const bye = await stranger.waitFor((d) => d.method === 'BYE', 'BYE', 5000);
    stranger.send(respond(bye, '401 Unauthorized', ['WWW-Authenticate: Digest realm="127.0.0.1", nonce="phish", qop="auth", algorithm=MD5']), port);
    await sleep(4000);
    const byes = stranger.requests('BYE');
    assert.ok(byes.every((b) => b.header('Authorization') === undefined && b.header('Proxy-Authorization') === undefined), 'no BYE ever carried credentials');
    assert.ok(byes.every((b) => b.header('CSeq') === bye.header('CSeq')), 'no new BYE (only retransmissions of the first, if any)');
    assert.ok(phone.events.some((e) => e.event === 'notice' && /not answering a 401 challenge from 127\.0\.0\.3/.test(String(e.message))),
      'a notice says a challenge was refused');
    const ended = await phone.waitEvent((e) => e.event === 'call' && e.state === 'ended', 'the call ended');
    assert.equal(ended.cause, 'local-hangup');

    // Meanwhile the registrar's own challenges are still answered: a refresh (30 s → at 15 s) succeeds.
    const registrations = () => phone.events.filter((e) => e.event === 'registration' && e.state === 'registered').length;
    const before = registrations();
    await phone.waitEvent(() => registrations() > before, 'registration refreshed with credentials', 40_000);
    const challenged = phone.stderr().split('\n').filter((l) => /^Authorization: Digest/.test(l));
    assert.ok(challenged.length >= 2, 'REGISTERs carried credentials');
  });
});
