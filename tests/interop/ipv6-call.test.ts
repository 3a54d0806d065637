/**
 * A call over IPv6 loopback (::1) through Kamailio to baresip. RFC 3261 §25.1: an IPv6 host is
 * written as an IPv6reference ("[::1]") in every Via and URI, including the ACK for a 2xx
 * (§13.2.2.4), which the proxy parses and relays to baresip.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startBaresip, startKamailio, stopAll, testScope, type Baresip, type Kamailio, type TestScope } from './harness/index.js';
import { callState, startSoftphone, type Softphone } from '../support/softphone-process.js';

describe('a call over IPv6 loopback', () => {
  let scope: TestScope;
  let kamailio: Kamailio;
  let baresip: Baresip;
  const phones: Softphone[] = [];

  before(async () => {
    scope = testScope();
    kamailio = scope.use(await startKamailio({ dir: scope.dir, address: '::1', tcp: false }));
    baresip = scope.use(await startBaresip({
      dir: scope.dir, user: '1010', password: 'pw1010', address: '::1',
      registrar: { host: '[::1]', port: kamailio.udpPort, transport: 'udp' },
    }));
  });
  after(async () => {
    await Promise.all(phones.map((p) => p.stop()));
    await scope.cleanup();
    await stopAll();
  });

  it('calls baresip through Kamailio on [::1]: the ACK for the 200 reaches baresip, BYE ends the call', async () => {
    const domain = `[::1]:${kamailio.udpPort}`;
    const p = startSoftphone(['call', `sip:1010@${domain}`, '--id', `sip:1001@${domain}`, '--password', 'pw1001',
      '--registrar', `sip:${domain}`, '--bind-address', '::1'], { trace: true });
    phones.push(p);
    await baresip.waitForEvent('CALL_INCOMING', 10_000);
    assert.equal((await baresip.command('accept')).ok, true);
    await p.waitEvent(callState('confirmed'), 'confirmed');
    // baresip (libre's sipsess) reports an answered incoming call established only when the ACK arrives.
    await baresip.waitForEvent('CALL_ESTABLISHED', 10_000);
    const ack = /^ACK sip:[^\r\n]*\r?\nVia: ([^\r\n]*)/m.exec(p.stderr());
    assert.ok(ack, 'the trace shows the ACK we sent');
    assert.match(ack[1]!, /^SIP\/2\.0\/UDP \[::1\]:\d+;/, 'the ACK\'s Via carries the bracketed IPv6 host');
    p.command('hangup');
    const ended = await p.waitEvent(callState('ended'), 'ended');
    assert.equal(ended.cause, 'local-hangup');
    await baresip.waitForEvent('CALL_CLOSED', 10_000);
    assert.equal(await p.exited, 0);
  });
});
