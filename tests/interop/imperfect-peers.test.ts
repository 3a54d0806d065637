/**
 * Interop with imperfect phones on the wire (issue 16): sipp plays peers with the defects and
 * races seen on a deployed phone stack; our side is the real `softphone` CLI driven by stdin.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeUdpTcpPort, runSipp, testScope } from './harness/index.js';
import { callState, startSoftphone, type SoftphoneEvent } from '../support/softphone-process.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'sipp');
/** The requests of `method` we sent, from the --sip-trace on stderr (">>> to ..." blocks). */
function sentRequests(trace: string, method: string): string[] {
  return trace.split(/\n(?=>>> |<<< )/).filter((b) => b.startsWith('>>> ')).map((b) => b.slice(b.indexOf('\n') + 1))
    .filter((m) => m.startsWith(`${method} `));
}

const transferEvent = (status: string) => (e: SoftphoneEvent) => e.event === 'transfer' && e.status === status;

describe('imperfect peers (sipp)', () => {
  for (const [scenario, what] of [
    ['transferee-noresource.xml', 'a transferee whose final NOTIFY says "terminated;reason=reason=noresource"'],
    ['transferee-491-once.xml', 'a transferee that answers the first REFER 491 Request Pending, the retry 202'],
  ] as const) {
    it(`blind transfer to ${what}: success reported, the original call hung up`, async (t) => {
      const scope = testScope(t);
      const port = await freeUdpTcpPort(1);
      const sipp = runSipp({ scenario: join(fixtures, scenario), dir: scope.dir, localPort: port, timeoutSec: 30 });
      scope.use(sipp);
      const phone = startSoftphone(['call', `sip:service@127.0.0.1:${port}`, '--id', 'sip:1001@127.0.0.1'], { trace: true });
      scope.use(phone);
      const confirmed = await phone.waitEvent(callState('confirmed'), 'confirmed', 15_000);
      phone.command('transfer sip:carol@127.0.0.1:5099');
      const success = await phone.waitEvent(transferEvent('success'), 'transfer success', 20_000);
      assert.equal(success.id, confirmed.id);
      assert.equal(success.sipfrag, 'SIP/2.0 200 OK');
      assert.equal(phone.events.filter(transferEvent('failed')).length, 0, 'never reported failed');
      const ended = await phone.waitEvent(callState('ended'), 'ended', 10_000);
      assert.equal(ended.cause, 'local-hangup', 'we hung up the original call (BYE)');
      assert.equal(await phone.exited, 0, 'a transferred call is a normal end');
      assert.equal(phone.events.filter(callState('ended')).length, 1, 'one ended event');
      const result = await sipp.done;
      assert.equal(result.code, 0, `sipp: every NOTIFY answered 200, BYE received\n${result.log}`);
      assert.doesNotMatch(phone.stderr(), /SIP\/2\.0 400 /, 'no 400 Bad Request sent');
      const refers = sentRequests(phone.stderr(), 'REFER').map((m) => /^CSeq: (\d+) REFER/m.exec(m)?.[1]);
      assert.equal(refers.length, scenario.includes('491') ? 2 : 1, 'REFERs sent');
      assert.equal(new Set(refers).size, refers.length, 'a retry is a new transaction (new CSeq)');
    });
  }

  it('a REFER while our hold re-INVITE has no final answer: followed at once, the target answers, NOTIFY 200 goes back', async (t) => {
    const scope = testScope(t);
    const [port, targetPort] = [await freeUdpTcpPort(1), await freeUdpTcpPort(1)];
    const target = runSipp({ scenario: 'uas', dir: scope.dir, localPort: targetPort, timeoutSec: 30 });
    scope.use(target);
    const transferor = runSipp({
      scenario: join(fixtures, 'transferor-reinvite-hangs.xml'), dir: scope.dir, localPort: port, timeoutSec: 30,
      extraArgs: ['-key', 'refer_target', `sip:carol@127.0.0.1:${targetPort}`],
    });
    scope.use(transferor);
    const phone = startSoftphone(['call', `sip:service@127.0.0.1:${port}`, '--id', 'sip:1001@127.0.0.1', '--transfer-policy', 'any'], { trace: true });
    scope.use(phone);
    const original = await phone.waitEvent(callState('confirmed'), 'confirmed', 15_000);
    phone.command('hold');
    const request = await phone.waitEvent((e) => e.event === 'transfer-request', 'transfer-request', 15_000);
    assert.equal(request.action, 'follow');
    // The re-INVITE is still without a final response (Timer B would give up after 32 s): the
    // transfer must not wait for it.
    const toTarget = await phone.waitEvent((e) => callState('confirmed')(e) && e.id !== original.id, 'the call to the target answered', 10_000);
    assert.equal(toTarget.remote, `sip:carol@127.0.0.1:${targetPort}`);
    const originalEnded = await phone.waitEvent((e) => callState('ended')(e) && e.id === original.id, 'the original call ended', 10_000);
    assert.equal(originalEnded.cause, 'remote-hangup', `the transferor hung up after the final NOTIFY\n${phone.stderr()}`);
    assert.equal(phone.events.some((e) => e.event === 'call' && e.id === original.id && e.state === 'held'), false, 'the hold never completed');
    const referrer = await transferor.done;
    assert.equal(referrer.code, 0, `transferor: 202, NOTIFYs up to the final one, BYE answered\n${referrer.log}`);
    const finalNotify = sentRequests(phone.stderr(), 'NOTIFY').find((m) => /^Subscription-State: terminated/m.test(m));
    assert.match(finalNotify ?? '', /\n\s*SIP\/2\.0 200 OK\s*$/, 'the final NOTIFY reports the target\'s 200');
    phone.command('hangup');
    assert.equal(await phone.exited, 0);
    const called = await target.done;
    assert.equal(called.code, 0, called.log);
  });
});
