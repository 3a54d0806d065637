/**
 * Hostile peers, toll fraud by REFER (issue 8 item 3): our CLI (user 1001, registered with
 * Kamailio) is in a call with baresip 1010, which REFERs it with `transfer`:
 *
 * - to sip:+19005550100@evil.example under the default policy (domain): a transfer-request event
 *   says declined, the REFER gets 603, no INVITE for that number ever leaves (baresip then hangs
 *   up by itself: its transfer failed);
 * - to 1009 in our own domain: followed — we call 1009 and talk to it;
 * - with --transfer-policy ask: the host decides on stdin (reject-transfer → 603, then
 *   accept-transfer → followed).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startBaresip, startKamailio, testScope, type Baresip, type TestScope } from '../interop/harness/index.js';
import { startSoftphone, type Softphone, type SoftphoneEvent } from '../support/softphone-process.js';
import { tracedMessages } from '../interop/support/call-control.js';
import { sleep } from './hostile-sip-peer.js';

async function bed(scope: TestScope, extra: string[] = []) {
  const kamailio = scope.use(await startKamailio({ dir: scope.dir }));
  const domain = `127.0.0.1:${kamailio.udpPort}`;
  const registrar = { host: kamailio.host, port: kamailio.udpPort, transport: 'udp' as const };
  const [b, c] = await Promise.all(['1010', '1009'].map(async (user) => scope.use(await startBaresip({
    dir: scope.dir, user, password: `pw${user}`, registrar, autoAnswer: true,
  }))));
  const phone = scope.use(startSoftphone(['listen', '--id', `sip:1001@${domain}`, '--password', 'pw1001',
    '--registrar', `sip:${domain}`, ...extra], { trace: true }));
  await phone.waitEvent((e) => e.event === 'registration' && e.state === 'registered', 'registered');
  return { domain, b: b!, c: c!, phone, callB: () => callB(phone, b!, domain) };
}

/** Call 1010 from stdin; resolves with our call's id once both sides are connected. */
async function callB(phone: Softphone, b: Baresip, domain: string): Promise<string> {
  const mark = phone.events.length;
  const established = b.waitForEvent('CALL_ESTABLISHED', 15_000, { from: b.events().length });
  phone.command(`call sip:1010@${domain}`);
  const call = await after(phone, mark, (e) => e.event === 'call' && e.state === 'confirmed' && String(e.remote).startsWith('sip:1010@'), 'in a call with 1010', 15_000);
  await established;
  await sleep(500);
  return String(call.id);
}

const after = (p: Softphone, from: number, match: (e: SoftphoneEvent) => boolean, what: string, ms = 10_000) =>
  p.waitEvent((e) => p.events.indexOf(e) >= from && match(e), what, ms);
const request = (e: SoftphoneEvent) => e.event === 'transfer-request';
const refersIn = (p: Softphone) => tracedMessages(p.stderr()).filter((m) => m.dir === 'in' && m.firstLine.startsWith('REFER '));
const referAnswers = (p: Softphone) => tracedMessages(p.stderr())
  .filter((m) => m.dir === 'out' && m.firstLine.startsWith('SIP/2.0 ') && /^CSeq:\s*\d+ REFER/im.test(m.text)).map((m) => m.firstLine);

async function transferBy(b: Baresip, target: string): Promise<void> {
  const r = await b.command('transfer', target);
  assert.equal(r.ok, true, `baresip transfer ${target}: ${JSON.stringify(r)}`);
}

describe('hostile peers: REFER', () => {
  it('domain (default): a REFER to sip:+19005550100@evil.example is declined (603) and nothing is dialled; an in-domain REFER is followed', async (t) => {
    const scope = testScope(t);
    const { domain, b, c, phone, callB } = await bed(scope);
    const id = await callB();
    let mark = phone.events.length;
    await transferBy(b, 'sip:+19005550100@evil.example');
    const declined = await after(phone, mark, request, 'transfer-request');
    assert.equal(declined.action, 'decline');
    assert.equal(declined.policy, 'domain');
    assert.equal(declined.target, 'sip:+19005550100@evil.example');
    await sleep(2000);
    assert.equal(refersIn(phone).length, 1);
    assert.deepEqual(referAnswers(phone), ['SIP/2.0 603 Decline'], 'RFC 3515: the REFER is declined with 603');
    const dialled = tracedMessages(phone.stderr()).filter((m) => m.dir === 'out' && m.firstLine.startsWith('INVITE ') && /19005550100|evil\.example/.test(m.firstLine));
    assert.deepEqual(dialled.map((m) => m.firstLine), [], 'no INVITE for the premium number');
    const ended = await phone.waitEvent((e) => e.event === 'call' && e.id === id && e.state === 'ended', 'call ended');
    assert.equal(ended.cause, 'remote-hangup', 'baresip hung up after its failed transfer; we did not follow it');

    // The same peer transferring us within our domain is followed.
    await callB();
    mark = phone.events.length;
    await transferBy(b, `sip:1009@${domain}`);
    const followed = await after(phone, mark, request, 'second transfer-request');
    assert.equal(followed.action, 'follow');
    await after(phone, mark, (e) => e.event === 'call' && e.state === 'confirmed' && String(e.remote).startsWith('sip:1009@'), 'talking to 1009', 15_000);
    await c.waitForEvent('CALL_ESTABLISHED', 5000);
    assert.deepEqual(referAnswers(phone), ['SIP/2.0 603 Decline', 'SIP/2.0 202 Accepted']);
    assert.ok(tracedMessages(phone.stderr()).some((m) => m.dir === 'out' && m.firstLine.startsWith('INVITE sip:1009@')), 'dialled 1009');
    phone.command('hangup');
  });

  it('ask: reject-transfer on stdin answers 603; accept-transfer follows', async (t) => {
    const scope = testScope(t);
    const { domain, b, c, phone, callB } = await bed(scope, ['--transfer-policy', 'ask']);
    const id = await callB();
    let mark = phone.events.length;
    await transferBy(b, `sip:1009@${domain}`);
    const asked = await after(phone, mark, request, 'transfer-request');
    assert.equal(asked.action, 'ask');
    assert.equal(asked.id, id);
    await sleep(500);
    assert.deepEqual(referAnswers(phone), [], 'nothing answered before the host decides');
    phone.command(`reject-transfer ${id}`);
    await sleep(1500);
    assert.deepEqual(referAnswers(phone), ['SIP/2.0 603 Decline']);
    assert.ok(!tracedMessages(phone.stderr()).some((m) => m.dir === 'out' && m.firstLine.startsWith('INVITE sip:1009@')), 'not dialled');
    await phone.waitEvent((e) => e.event === 'call' && e.id === id && e.state === 'ended', 'baresip hangs up after its failed transfer');

    await callB();
    mark = phone.events.length;
    await transferBy(b, `sip:1009@${domain}`);
    await after(phone, mark, (e) => request(e) && e.action === 'ask', 'asked again');
    phone.command('accept-transfer');
    await after(phone, mark, (e) => e.event === 'call' && e.state === 'confirmed' && String(e.remote).startsWith('sip:1009@'), 'talking to 1009', 15_000);
    await c.waitForEvent('CALL_ESTABLISHED', 5000);
    phone.command('hangup');
  });
});
