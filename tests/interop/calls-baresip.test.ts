/** Calls through Kamailio with baresip as the far phone (RFC 3261 §13–§15, §9). */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makeTestPki } from '../support/pki.js';
import { startBaresip, startKamailio, stopAll, testScope, type Baresip, type Kamailio, type TestScope } from './harness/index.js';
import { callState, startSoftphone, type Softphone } from '../support/softphone-process.js';

describe('calls with baresip through Kamailio', () => {
  let scope: TestScope;
  let kamailio: Kamailio;
  let baresip: Baresip;
  const phones: Softphone[] = [];
  let nextUser = 1001;

  before(async () => {
    scope = testScope();
    kamailio = scope.use(await startKamailio({ dir: scope.dir }));
    baresip = scope.use(await startBaresip({
      dir: scope.dir, user: '1010', password: 'pw1010',
      registrar: { host: kamailio.host, port: kamailio.udpPort, transport: 'udp' },
    }));
  });
  after(async () => {
    await Promise.all(phones.map((p) => p.stop()));
    await scope.cleanup();
    await stopAll();
  });

  const domain = () => `127.0.0.1:${kamailio.udpPort}`;
  const phone = (command: 'listen' | 'call', target?: string, extra: string[] = []) => {
    const user = String(nextUser++);
    const p = startSoftphone([command, ...(target ? [target] : []), '--id', `sip:${user}@${domain()}`,
      '--password', `pw${user}`, '--registrar', `sip:${domain()}`, ...extra], { trace: true });
    phones.push(p);
    return { p, user };
  };
  const baresipTarget = () => `sip:1010@${domain()}`;
  const mark = () => baresip.events().length;

  it('calls baresip, baresip answers, we hang up (BYE from us)', async () => {
    const from = mark();
    const { p } = phone('call', baresipTarget());
    await baresip.waitForEvent('CALL_INCOMING', 10_000, { from });
    await p.waitEvent(callState('ringing'), 'ringing');
    assert.equal((await baresip.command('accept')).ok, true);
    const confirmed = await p.waitEvent(callState('confirmed'), 'confirmed');
    assert.equal(confirmed.codec, 'PCMU', 'baresip offers PCMU only here, so the answer must pick it');
    await baresip.waitForEvent('CALL_ESTABLISHED', 5000, { from });
    p.command('hangup');
    const ended = await p.waitEvent(callState('ended'), 'ended');
    assert.equal(ended.cause, 'local-hangup');
    await baresip.waitForEvent('CALL_CLOSED', 5000, { from });
    assert.equal(await p.exited, 0);
  });

  it('calls baresip, baresip hangs up (BYE from the far end), exit 0', async () => {
    const from = mark();
    const { p } = phone('call', baresipTarget());
    await baresip.waitForEvent('CALL_INCOMING', 10_000, { from });
    await baresip.command('accept');
    await p.waitEvent(callState('confirmed'), 'confirmed');
    await baresip.waitForEvent('CALL_ESTABLISHED', 5000, { from });
    await baresip.command('hangup');
    const ended = await p.waitEvent(callState('ended'), 'ended');
    assert.equal(ended.cause, 'remote-hangup');
    assert.equal(await p.exited, 0);
  });

  it('cancels before answer: CANCEL reaches baresip and the call ends as cancelled', async () => {
    const from = mark();
    const { p } = phone('call', baresipTarget());
    await baresip.waitForEvent('CALL_INCOMING', 10_000, { from });
    await p.waitEvent(callState('ringing'), 'ringing');
    p.command('hangup');
    const ended = await p.waitEvent(callState('ended'), 'ended');
    assert.equal(ended.cause, 'cancelled');
    assert.equal(ended.status, 487);
    await baresip.waitForEvent('CALL_CLOSED', 5000, { from });
    assert.equal(await p.exited, 1, 'an unanswered call is not a success');
  });

  it('reports busy when baresip rejects with 486', async () => {
    const from = mark();
    const { p } = phone('call', baresipTarget());
    await baresip.waitForEvent('CALL_INCOMING', 10_000, { from });
    await baresip.command('hangup');
    const ended = await p.waitEvent(callState('ended'), 'ended');
    assert.equal(ended.cause, 'busy');
    assert.equal(ended.status, 486);
    assert.equal(await p.exited, 1);
  });

  it('reports 404 for an unknown user', async () => {
    const { p } = phone('call', `sip:1099@${domain()}`);
    const ended = await p.waitEvent(callState('ended'), 'ended');
    assert.equal(ended.cause, 'not-found');
    assert.equal(ended.status, 404);
    assert.equal(await p.exited, 1);
  });

  it('is called by baresip: rings, we answer, baresip hangs up', async () => {
    const { p, user } = phone('listen');
    await p.waitEvent((e) => e.event === 'registration' && e.state === 'registered', 'registered');
    const from = mark();
    assert.equal((await baresip.command('dial', `sip:${user}@${domain()}`)).ok, true);
    const ringing = await p.waitEvent(callState('ringing', 'incoming'), 'incoming ringing');
    assert.match(String(ringing.remote), /^sip:1010@/);
    await baresip.waitForEvent('CALL_RINGING', 5000, { from });
    p.command('answer');
    await p.waitEvent(callState('confirmed', 'incoming'), 'confirmed');
    await baresip.waitForEvent('CALL_ESTABLISHED', 5000, { from });
    await baresip.command('hangup');
    const ended = await p.waitEvent(callState('ended', 'incoming'), 'ended');
    assert.equal(ended.cause, 'remote-hangup');
    p.command('quit');
    assert.equal(await p.exited, 0);
  });

  it('is called by baresip, answers automatically, and hangs up itself (BYE from us)', async () => {
    const { p, user } = phone('listen', undefined, ['--auto-answer=100', '--duration', '1']);
    await p.waitEvent((e) => e.event === 'registration' && e.state === 'registered', 'registered');
    const from = mark();
    await baresip.command('dial', `sip:${user}@${domain()}`);
    await baresip.waitForEvent('CALL_ESTABLISHED', 10_000, { from });
    const ended = await p.waitEvent(callState('ended', 'incoming'), 'ended', 10_000);
    assert.equal(ended.cause, 'local-hangup');
    await baresip.waitForEvent('CALL_CLOSED', 5000, { from });
  });

  it('sees the caller give up: baresip cancels before we answer', async () => {
    const { p, user } = phone('listen');
    await p.waitEvent((e) => e.event === 'registration' && e.state === 'registered', 'registered');
    const from = mark();
    await baresip.command('dial', `sip:${user}@${domain()}`);
    await p.waitEvent(callState('ringing', 'incoming'), 'incoming ringing');
    await baresip.waitForEvent('CALL_RINGING', 5000, { from });
    await baresip.command('hangup');
    const ended = await p.waitEvent(callState('ended', 'incoming'), 'ended');
    assert.equal(ended.cause, 'cancelled');
  });

  it('rejects an incoming call: baresip sees it closed', async () => {
    const { p, user } = phone('listen');
    await p.waitEvent((e) => e.event === 'registration' && e.state === 'registered', 'registered');
    const from = mark();
    await baresip.command('dial', `sip:${user}@${domain()}`);
    await p.waitEvent(callState('ringing', 'incoming'), 'incoming ringing');
    p.command('hangup');
    const ended = await p.waitEvent(callState('ended', 'incoming'), 'ended');
    assert.equal(ended.cause, 'declined');
    const closed = await baresip.waitForEvent('CALL_CLOSED', 5000, { from });
    assert.match(String(closed.param), /603/);
  });
});

describe('calls over TCP and TLS through Kamailio', () => {
  for (const transport of ['tcp', 'tls'] as const) {
    it(`calls baresip and is called by baresip with our side on ${transport}`, async (t) => {
      const scope = testScope(t);
      const pki = makeTestPki(join(scope.dir, 'pki'));
      const kamailio = scope.use(await startKamailio({ dir: scope.dir, tls: { certFile: pki.serverCertFile, keyFile: pki.serverKeyFile } }));
      const baresip = scope.use(await startBaresip({
        dir: scope.dir, user: '1010', password: 'pw1010', autoAnswer: true,
        registrar: { host: kamailio.host, port: kamailio.udpPort, transport: 'udp' },
      }));
      const port = transport === 'tls' ? kamailio.tlsPort! : kamailio.tcpPort;
      const domain = `127.0.0.1:${port}`;
      const account = ['--id', `sip:1001@${domain}`, '--password', 'pw1001', '--registrar', `sip:${domain};transport=${transport}`,
        '--transport', transport, '--tls-ca', pki.caFile];
      const caller = scope.use(startSoftphone(['call', `sip:1010@${domain};transport=${transport}`, ...account, '--duration', '0.5'], { trace: true }));
      await caller.waitEvent(callState('confirmed'), 'confirmed over ' + transport);
      assert.equal((await caller.waitEvent(callState('ended'), 'ended')).cause, 'local-hangup');
      assert.equal(await caller.exited, 0);
      assert.match(caller.stderr(), new RegExp(`^>>> to ${transport} 127\\.0\\.0\\.1:${port}\\nINVITE `, 'm'));

      const listener = scope.use(startSoftphone(['listen', ...account, '--auto-answer'], { trace: true }));
      await listener.waitEvent((e) => e.event === 'registration' && e.state === 'registered', 'registered');
      const from = baresip.events().length;
      await baresip.command('dial', `sip:1001@127.0.0.1:${kamailio.udpPort}`);
      await listener.waitEvent(callState('confirmed', 'incoming'), 'incoming confirmed over ' + transport);
      assert.match(listener.stderr(), new RegExp(`^<<< from ${transport} [^\\n]+\\nINVITE `, 'm'));
      await baresip.waitForEvent('CALL_ESTABLISHED', 5000, { from });
      await baresip.command('hangup');
      assert.equal((await listener.waitEvent(callState('ended', 'incoming'), 'ended')).cause, 'remote-hangup');
    });
  }
});
