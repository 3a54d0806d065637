/**
 * Retransmission (RFC 3261 §17 timers A/E/G) proven end to end: 20% of the UDP datagrams in each
 * direction between us and Kamailio are dropped, and registration and a call still succeed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startBaresip, startImpairRelay, startKamailio, testScope } from './harness/index.js';
import { seededRandom } from '../support/seeded-random.js';
import { callState, startSoftphone } from '../support/softphone-process.js';

/** The very first datagram (our first REGISTER) is always lost, so a retransmission must happen. */
function dropFirstThen(random: () => number): () => number {
  let first = true;
  return () => (first ? ((first = false), 0) : random());
}

describe('20% UDP packet loss between us and Kamailio', () => {
  it('registers and completes a call to baresip', async (t) => {
    const scope = testScope(t);
    const kamailio = scope.use(await startKamailio({ dir: scope.dir }));
    const baresip = scope.use(await startBaresip({
      dir: scope.dir, user: '1010', password: 'pw1010', autoAnswer: true,
      registrar: { host: kamailio.host, port: kamailio.udpPort, transport: 'udp' },
    }));
    const relay = scope.use(await startImpairRelay({
      target: { host: kamailio.host, port: kamailio.udpPort }, lossPercent: 20, jitterMs: 0, random: dropFirstThen(seededRandom(20261125)),
    }));
    const domain = `127.0.0.1:${kamailio.udpPort}`;
    const phone = scope.use(startSoftphone([
      'call', `sip:1010@${domain}`, '--id', `sip:1001@${domain}`, '--password', 'pw1001',
      '--registrar', `sip:127.0.0.1:${relay.port}`, '--outbound-proxy', `sip:127.0.0.1:${relay.port}`, '--duration', '1',
    ], { trace: true }));
    const reg = await phone.waitEvent((e) => e.event === 'registration' && e.state !== 'registering', 'registration', 60_000);
    assert.equal(reg.state, 'registered', JSON.stringify(reg));
    await phone.waitEvent(callState('confirmed'), 'confirmed', 60_000);
    await baresip.waitForEvent('CALL_ESTABLISHED', 10_000);
    const ended = await phone.waitEvent(callState('ended'), 'ended', 60_000);
    assert.equal(ended.cause, 'local-hangup');
    assert.equal(await phone.exited, 0);
    const stats = relay.stats();
    assert.ok(stats.toTarget.lost > 0 || stats.toClient.lost > 0, `the relay must have dropped something: ${JSON.stringify(stats)}`);
    // Retransmissions leave the same request (same Via branch) more than once.
    const requests = phone.stderr().split(/^>>> /m).filter((block) => /^to udp [^\n]+\n[A-Z]+ sip/.test(block));
    const branches = requests.map((block) => /^Via: [^\n]*branch=([^;\s]+)/m.exec(block)?.[1]);
    const resent = branches.filter((b, i) => branches.indexOf(b) !== i);
    assert.ok(stats.toTarget.lost > 0 && resent.length > 0,
      `expected dropped requests to be retransmitted: ${JSON.stringify(stats)}, resent ${resent.length}`);
  });
});
