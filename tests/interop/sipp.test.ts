/** sipp as UAC and UAS against the real CLI; the incoming-call policy against a scanner-like INVITE. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freeUdpTcpPort, runSipp, testScope } from './harness/index.js';
import { callState, startSoftphone } from '../support/softphone-process.js';

describe('sipp interop', () => {
  it('calls a sipp UAS: INVITE, 180, 200, ACK, then our BYE', async (t) => {
    const scope = testScope(t);
    const port = await freeUdpTcpPort(1);
    const sipp = runSipp({ scenario: 'uas', dir: scope.dir, localPort: port });
    scope.use(sipp);
    const phone = startSoftphone(['call', `sip:service@127.0.0.1:${port}`, '--duration', '0.5']);
    scope.use(phone);
    await phone.waitEvent(callState('ringing'), 'ringing');
    await phone.waitEvent(callState('confirmed'), 'confirmed');
    const ended = await phone.waitEvent(callState('ended'), 'ended');
    assert.equal(ended.cause, 'local-hangup');
    assert.equal(await phone.exited, 0);
    const result = await sipp.done;
    assert.equal(result.code, 0, result.log);
  });

  it('is called by a sipp UAC: we answer, sipp sends BYE, sipp counts a successful call', async (t) => {
    const scope = testScope(t);
    const phone = startSoftphone(['listen', '--id', 'sip:service@127.0.0.1', '--auto-answer']);
    scope.use(phone);
    const ready = await phone.waitEvent((e) => e.event === 'ready', 'ready');
    const sipp = runSipp({ scenario: 'uac', dir: scope.dir, localPort: await freeUdpTcpPort(1), remote: `127.0.0.1:${ready.port}` });
    scope.use(sipp);
    const result = await sipp.done;
    assert.equal(result.code, 0, result.log);
    const ended = await phone.waitEvent(callState('ended', 'incoming'), 'ended');
    assert.equal(ended.cause, 'remote-hangup');
  });

  it('refuses a scanner-style INVITE (wrong user, untrusted source) with 403 and never rings', async (t) => {
    const scope = testScope(t);
    // The account's server is its domain, 127.0.0.1: the scanner is another host, 127.0.0.2.
    const phone = startSoftphone(['listen', '--id', 'sip:1001@127.0.0.1', '--auto-answer']);
    scope.use(phone);
    const ready = await phone.waitEvent((e) => e.event === 'ready', 'ready');
    const sipp = runSipp({
      scenario: 'uac', dir: scope.dir, localPort: await freeUdpTcpPort(1), remote: `127.0.0.1:${ready.port}`, localIp: '127.0.0.2',
      extraArgs: ['-s', '100', '-trace_msg'],
    });
    scope.use(sipp);
    const result = await sipp.done;
    assert.notEqual(result.code, 0, 'sipp must see the call fail');
    const notice = await phone.waitEvent((e) => e.event === 'notice' && /refused INVITE for 100/.test(String(e.message)), 'refusal notice');
    assert.ok(notice);
    assert.equal(phone.events.filter((e) => e.event === 'call').length, 0, 'no call may ring');
  });
});
