/**
 * DTMF interop. RFC 4733 telephone-events both ways with baresip through Kamailio (baresip reports
 * what it receives as ctrl_tcp CALL_DTMF_START with the key in `param`, and sends with `sndcode`);
 * the SIP INFO fallback (application/dtmf-relay) to a sipp UAS whose SDP has no telephone-event; and
 * sipp playing the RFC 2833 captures shipped with sip-tester into our auto-answering `listen`, then
 * sending one digit as SIP INFO.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { freeUdpTcpPort, runSipp, startBaresip, startKamailio, testScope, type Baresip } from './harness/index.js';
import { callState, startSoftphone, type SoftphoneEvent } from '../support/softphone-process.js';

const SIPP_FIXTURES = join(import.meta.dirname, 'fixtures', 'sipp');

const receivedByBaresip = (b: Baresip) => b.events().filter((e) => e.type === 'CALL_DTMF_START').map((e) => e.param).join('');
const receivedByUs = (events: SoftphoneEvent[], via: string) =>
  events.filter((e) => e.event === 'dtmf' && e.via === via).map((e) => e.digit).join('');

async function callBaresip(t: { after(fn: () => Promise<void>): void }, extra: string[]) {
  const scope = testScope(t);
  const kamailio = scope.use(await startKamailio({ dir: scope.dir }));
  const baresip = scope.use(await startBaresip({
    dir: scope.dir, user: '1010', password: 'pw1010', autoAnswer: true, codecs: 'PCMU',
    registrar: { host: kamailio.host, port: kamailio.udpPort, transport: 'udp' },
  }));
  const domain = `127.0.0.1:${kamailio.udpPort}`;
  const phone = scope.use(startSoftphone(['call', `sip:1010@${domain}`, '--id', `sip:1001@${domain}`, '--password', 'pw1001',
    '--registrar', `sip:${domain}`, '--codecs', 'pcmu', ...extra]));
  await phone.waitEvent(callState('confirmed'), 'confirmed');
  await baresip.waitForEvent('CALL_ESTABLISHED', 5000);
  return { baresip, phone };
}

describe('DTMF with baresip through Kamailio (RFC 4733)', () => {
  it('sends --dtmf 159# as telephone-events: baresip reports 1, 5, 9, # in order', async (t) => {
    const { baresip, phone } = await callBaresip(t, ['--dtmf', '159#', '--duration', '3']);
    await phone.waitEvent(callState('ended'), 'ended', 10_000);
    assert.equal(await phone.exited, 0);
    assert.equal(receivedByBaresip(baresip), '159#', JSON.stringify(baresip.events().filter((e) => /DTMF/.test(e.type))));
    const ends = baresip.events().filter((e) => e.type === 'CALL_DTMF_END').length;
    assert.equal(ends, 4, 'every digit ends');
  });

  it('receives baresip sndcode digits as our dtmf events (via rfc4733)', async (t) => {
    const { baresip, phone } = await callBaresip(t, ['--duration', '4']);
    for (const digit of ['7', '*', '0', 'D']) {
      const r = await baresip.command('sndcode', digit);
      assert.ok(r.ok, `sndcode ${digit}: ${r.data}`);
      await phone.waitEvent((e) => e.event === 'dtmf' && e.digit === digit, `digit ${digit}`, 3000);
    }
    await phone.waitEvent(callState('ended'), 'ended', 10_000);
    assert.equal(receivedByUs(phone.events, 'rfc4733'), '7*0D');
  });
});

describe('DTMF with sipp', () => {
  it('falls back to SIP INFO (application/dtmf-relay) when the answer has no telephone-event', async (t) => {
    const scope = testScope(t);
    const port = await freeUdpTcpPort(1);
    const sipp = scope.use(runSipp({ scenario: join(SIPP_FIXTURES, 'uas-dtmf-info.xml'), dir: scope.dir, localPort: port }));
    const phone = scope.use(startSoftphone(['call', `sip:service@127.0.0.1:${port}`, '--dtmf', '12#', '--duration', '1.5'], { trace: true }));
    await phone.waitEvent(callState('confirmed'), 'confirmed');
    await phone.waitEvent(callState('ended'), 'ended', 10_000);
    assert.equal(await phone.exited, 0);
    const result = await sipp.done;
    assert.equal(result.code, 0, `sipp (checks INFO bodies 1, 2, #):\n${result.log}`);
    const infos = phone.stderr().split(/(?=\r?\n(?:INFO|BYE|ACK|SIP\/2\.0) )/).filter((m) => /^\r?\nINFO sip:/.test(m));
    assert.equal(infos.length, 3, `INFO requests in the trace:\n${phone.stderr()}`);
    infos.forEach((m, i) => {
      assert.match(m, /\r?\nContent-Type: application\/dtmf-relay\r?\n/i);
      assert.match(m, new RegExp(`\\r?\\n\\r?\\nSignal=${'12#'[i]}\\r\\nDuration=160\\r\\n`));
    });
  });

  it("reports the digits of sip-tester's RFC 2833 captures played by a sipp UAC, then its SIP INFO digit", async (t) => {
    const scope = testScope(t);
    const phone = scope.use(startSoftphone(['listen', '--id', 'sip:service@127.0.0.1', '--auto-answer']));
    const ready = await phone.waitEvent((e) => e.event === 'ready', 'ready');
    const sipp = scope.use(runSipp({
      scenario: join(SIPP_FIXTURES, 'uac-dtmf-2833.xml'), dir: scope.dir, localPort: await freeUdpTcpPort(1),
      remote: `127.0.0.1:${String(ready.port)}`,
    }));
    const result = await sipp.done;
    assert.equal(result.code, 0, result.log);
    await phone.waitEvent(callState('ended', 'incoming'), 'ended');
    assert.equal(receivedByUs(phone.events, 'rfc4733'), '159#');
    assert.equal(receivedByUs(phone.events, 'info'), '*');
  });
});
