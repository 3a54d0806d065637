/**
 * Hostile peers, incoming calls (issue 8 items 1–2): the real `softphone` CLI registered with
 * Kamailio; a stranger on 127.0.0.2 sends INVITEs addressed to our own user and asking to be
 * auto-answered (Call-Info answer-after=0, Answer-Mode: Auto, Alert-Info intercom).
 *
 * - Default policy: one stateless 403 per INVITE (none retransmitted, no transaction), no call
 *   event, no ringing, nothing answered; a real call through Kamailio still rings.
 * - Direct-IP calls allowed explicitly (--incoming-policy any): the stranger's call rings but its
 *   auto-answer request is ignored (no 200 ever, a notice says why).
 * - The same request from the PBX is honoured: answered by itself, `autoAnswered: true`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeUdpTcpPort, runSipp, startBaresip, startKamailio, testScope, type TestScope } from '../interop/harness/index.js';
import { startSoftphone, type Softphone } from '../support/softphone-process.js';
import { tracedMessages } from '../interop/support/call-control.js';
import { autoAnswerHeaders, invite, sleep, Stranger } from './hostile-sip-peer.js';

const SIPP_FIXTURES = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'interop', 'fixtures', 'sipp');

async function registeredPhone(scope: TestScope, extra: string[] = []) {
  const kamailio = scope.use(await startKamailio({ dir: scope.dir }));
  const domain = `127.0.0.1:${kamailio.udpPort}`;
  const phone = scope.use(startSoftphone(['listen', '--id', `sip:1001@${domain}`, '--password', 'pw1001',
    '--registrar', `sip:${domain}`, ...extra], { trace: true }));
  const ready = await phone.waitEvent((e) => e.event === 'ready', 'ready');
  await phone.waitEvent((e) => e.event === 'registration' && e.state === 'registered', 'registered');
  return { kamailio, domain, phone, port: Number(ready.port) };
}

const callEvents = (p: Softphone) => p.events.filter((e) => e.event === 'call');

describe('hostile peers: incoming calls', () => {
  it("a stranger's INVITE (our user, auto-answer asked) gets one stateless 403: no ringing, no answer; a real call still rings", async (t) => {
    const scope = testScope(t);
    const { phone, port, kamailio, domain } = await registeredPhone(scope);
    const stranger = scope.use(await Stranger.open('127.0.0.2'));
    const first = invite(stranger, port, { extra: autoAnswerHeaders });
    stranger.send(first.text, port);
    await stranger.waitFor((d) => d.status === 403 && d.header('Call-ID') === first.callId, '403');
    // A real UAC retransmits its INVITE (Timer A); each copy gets its own stateless 403 — we never
    // retransmit one ourselves, so nothing is amplified towards a spoofed source.
    stranger.send(first.text, port);
    await sleep(6000);
    const answers = stranger.responses(first.callId).map((d) => d.status);
    assert.deepEqual(answers, [403, 403], `one 403 per INVITE received, nothing else: ${answers.join(', ')}`);
    assert.match(String(stranger.responses(first.callId)[0]!.header('To')), /;tag=/, 'the stateless 403 carries a To tag');

    // Other users, other sources: the same.
    const other = scope.use(await Stranger.open('127.0.0.3'));
    const scan = invite(other, port, { user: '100', extra: autoAnswerHeaders });
    other.send(scan.text, port);
    await other.waitFor((d) => d.status === 403, '403 for the scanner');

    assert.equal(callEvents(phone).length, 0, 'no call event: nothing rang');
    const notice = phone.events.find((e) => e.event === 'notice' && /refused INVITE for 1001 from 127\.0\.0\.2/.test(String(e.message)));
    assert.ok(notice, 'a notice names the refused INVITE');
    const sent = tracedMessages(phone.stderr()).filter((m) => m.dir === 'out' && /^SIP\/2\.0 (180|183|200) /.test(m.firstLine));
    assert.deepEqual(sent.map((m) => m.firstLine), [], 'no 180/183/200 ever left the phone');

    // The phone still takes a real call through its PBX (rings, does not answer by itself).
    const peer = scope.use(await startBaresip({
      dir: scope.dir, user: '1010', password: 'pw1010', registrar: { host: kamailio.host, port: kamailio.udpPort, transport: 'udp' },
    }));
    await peer.dial(`sip:1001@${domain}`);
    await phone.waitEvent((e) => e.event === 'call' && e.direction === 'incoming' && e.state === 'ringing', 'a real call rings', 10_000);
    await sleep(1500);
    assert.ok(!phone.events.some((e) => e.event === 'call' && e.state === 'confirmed'), 'nobody asked it to answer by itself');
    phone.command('reject');
    await phone.waitEvent((e) => e.event === 'call' && e.state === 'ended', 'rejected');
  });

  it('with direct calls allowed (--incoming-policy any) the stranger rings, but its auto-answer request is ignored', async (t) => {
    const scope = testScope(t);
    const { phone, port } = await registeredPhone(scope, ['--incoming-policy', 'any']);
    const stranger = scope.use(await Stranger.open('127.0.0.2'));
    const call = invite(stranger, port, { extra: autoAnswerHeaders });
    stranger.send(call.text, port);
    const ringing = await phone.waitEvent((e) => e.event === 'call' && e.state === 'ringing', 'rings (policy any)');
    await stranger.waitFor((d) => d.status === 180, '180 Ringing');
    await sleep(3000);
    assert.ok(!stranger.responses(call.callId).some((d) => d.status === 200), 'never answered: no 200 OK, no open microphone');
    assert.ok(!phone.events.some((e) => e.event === 'call' && e.state === 'confirmed'));
    assert.ok(phone.events.some((e) => e.event === 'notice' && /auto-answer request from 127\.0\.0\.2:\d+ ignored/.test(String(e.message))));
    phone.command(`reject ${String(ringing.id)}`);
    await stranger.waitFor((d) => d.status !== undefined && d.status >= 400 && d.header('Call-ID') === call.callId, 'final response');
  });

  it('the PBX asking (Call-Info answer-after=0 through Kamailio, sipp UAC) is honoured: autoAnswered: true', async (t) => {
    const scope = testScope(t);
    const { phone, kamailio } = await registeredPhone(scope);
    const sipp = scope.use(runSipp({
      scenario: join(SIPP_FIXTURES, 'uac-auto-answer-via-proxy.xml'), dir: scope.dir, localPort: await freeUdpTcpPort(1),
      remote: `127.0.0.1:${kamailio.udpPort}`, timeoutSec: 15, extraArgs: ['-s', '1001'],
    }));
    const answered = await phone.waitEvent((e) => e.event === 'call' && e.state === 'confirmed', 'answered by itself', 10_000);
    assert.equal(answered.autoAnswered, true);
    const result = await sipp.done;
    assert.equal(result.code, 0, result.log);
    const ended = await phone.waitEvent((e) => e.event === 'call' && e.state === 'ended', 'ended');
    assert.equal(ended.cause, 'remote-hangup');
  });
});
