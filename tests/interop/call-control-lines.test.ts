/**
 * Lines against real peers through Kamailio: call waiting and swap (RFC 3264 §8.4 hold), a local
 * 3-way conference (N−1 mix in our engine), do not disturb (486), forwarding by 302 (RFC 3261
 * §21.3.3), and answering by ourselves when a PBX asks (Call-Info answer-after, sipp UAC).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { freeUdpTcpPort, runSipp, testScope } from './harness/index.js';
import {
  addressedTo, assertHears, baresipDumps, callEvent, ourTone, peerTones, registered, reinvitesSent, sdpDirection, sleep, startBed,
  startOurs, toneTimeline, tracedMessages,
} from './support/call-control.js';
import type { Softphone, SoftphoneEvent } from '../support/softphone-process.js';

const SIPP_FIXTURES = join(import.meta.dirname, 'fixtures', 'sipp');
const after = (p: Softphone, from: number, match: (e: SoftphoneEvent) => boolean, what: string, ms = 10_000) =>
  p.waitEvent((e) => p.events.indexOf(e) >= from && match(e), what, ms);
const fromUser = (user: string, state: string) => (e: SoftphoneEvent) =>
  e.event === 'call' && e.state === state && String(e.remote).startsWith(`sip:${user}@`);
/** US call-waiting tone (tone-plans.ts): 440 Hz for 300 ms, then 9.7 s off. */
const callWaitingHz = 440;

describe('lines through Kamailio', () => {
  // Every line feature also over TCP with SRTP required (ours) and SRTP-only peers.
  const variants = [
    { name: 'UDP', bed: {}, ours: {} as { transport?: 'tcp'; extra?: string[] } },
    { name: 'TCP + SRTP', bed: { accountParams: ';mediaenc=srtp-mand' }, ours: { transport: 'tcp' as const, extra: ['--srtp', 'required'] } },
  ];
  for (const v of variants) {
    it(`${v.name}: call waiting: C calls during B, a 440 Hz beep (not a ring); answer holds B; resume B holds C`, async (t) => {
      const scope = testScope(t);
      const bed = await startBed(scope, { users: ['1010', '1009'], ...v.bed });
      const [b, c] = [bed.peers['1010']!, bed.peers['1009']!];
      const { p, rec } = startOurs(scope, bed, 'listen', v.ours);
      await p.waitEvent(registered, 'registered');
      await b.dial(`sip:1001@${bed.domain}`);
      const idB = String((await p.waitEvent(fromUser('1010', 'ringing'), 'B rings')).id);
      p.command('answer');
      await p.waitEvent(callEvent(idB, 'confirmed'), 'B confirmed');
      await sleep(1500);
      let mark = p.events.length;
      await c.dial(`sip:1001@${bed.domain}`);
      const idC = String((await after(p, mark, fromUser('1009', 'ringing'), 'C rings (waiting)')).id);
      await sleep(1500);
      assert.deepEqual(p.events.slice(mark).filter((e) => e.event === 'call' && e.id === idB), [], 'B stays confirmed while C waits');
      mark = p.events.length;
      p.command(`answer ${idC}`);
      await after(p, mark, callEvent(idB, 'held'), 'B held by answering C');
      await after(p, mark, callEvent(idC, 'confirmed'), 'C confirmed');
      await sleep(1500);
      mark = p.events.length;
      p.command(`resume ${idB}`);
      await after(p, mark, callEvent(idC, 'held'), 'C held by the swap');
      await after(p, mark, callEvent(idB, 'confirmed'), 'B back');
      await sleep(1500);
      p.command('quit');
      assert.equal(await p.exited, 0);

      const sent = reinvitesSent(tracedMessages(p.stderr()));
      const to = (user: string) => sent.filter(addressedTo(user)).map(sdpDirection);
      assert.deepEqual(to('1010'), ['sendonly', 'sendrecv'], 're-INVITEs to B: held when C was answered, resumed by the swap');
      assert.deepEqual(to('1009'), ['sendonly'], 're-INVITEs to C: held by the swap');

      const freqs = [peerTones['1010'], peerTones['1009'], callWaitingHz];
      const { present } = toneTimeline(rec, freqs);
      const beep = present[callWaitingHz]!.filter(Boolean).length;
      assert.ok(beep >= 2 && beep <= 5, `one 300 ms call-waiting beep in our recording: ${beep} windows of 100 ms at 440 Hz`);
      // Who we hear, window by window: B, then C (B held), then B again (C held).
      const who = present[freqs[0]!]!.map((x, i) => (x && !present[freqs[1]!]![i] ? 'B' : !x && present[freqs[1]!]![i] ? 'C' : '-'));
      const order = collapse(who);
      t.diagnostic(`who we hear (≥ 0.8 s runs): ${order.join(' → ')}; beep ${beep * 100} ms`);
      assert.deepEqual(order, ['B', 'C', 'B']);
    });

    it(`${v.name}: 3-way conference: each party hears both others (N−1 mix), no re-INVITE needed with --no-auto-hold`, async (t) => {
      const scope = testScope(t);
      const bed = await startBed(scope, { users: ['1010', '1009'], ...v.bed });
      const [b, c] = [bed.peers['1010']!, bed.peers['1009']!];
      const { p, rec } = startOurs(scope, bed, 'call', { target: `sip:1010@${bed.domain}`, ...v.ours, extra: ['--no-auto-hold', ...(v.ours.extra ?? [])] });
      const idB = String((await p.waitEvent(fromUser('1010', 'confirmed'), 'B confirmed', 15_000)).id);
      p.command(`call sip:1009@${bed.domain}`);
      const idC = String((await p.waitEvent(fromUser('1009', 'confirmed'), 'C confirmed')).id);
      p.command(`conference ${idB} ${idC}`);
      await p.waitEvent(callEvent(idB, 'conference'), 'B in conference');
      await p.waitEvent(callEvent(idC, 'conference'), 'C in conference');
      await sleep(3000);
      p.command('quit');
      assert.equal(await p.exited, 0);
      await b.waitForEvent('CALL_CLOSED', 5000);
      await c.waitForEvent('CALL_CLOSED', 5000);
      await sleep(300);
      assert.deepEqual(reinvitesSent(tracedMessages(p.stderr())), [], 'no re-INVITE (baresip dumps survive)');
      assertHears(rec, peerTones['1010'], 2, 'our recording (B)');
      assertHears(rec, peerTones['1009'], 2, 'our recording (C)');
      const [dumpB, dumpC] = [baresipDumps(b).at(-1)!, baresipDumps(c).at(-1)!];
      assertHears(dumpB, ourTone, 2, "B's recording (us)");
      assertHears(dumpB, peerTones['1009'], 2, "B's recording (C through our mix)");
      assertHears(dumpC, ourTone, 2, "C's recording (us)");
      assertHears(dumpC, peerTones['1010'], 2, "C's recording (B through our mix)");
    });
  }

  it('do not disturb: 486 to baresip, no ringing; calls ring again after dnd off', async (t) => {
    const scope = testScope(t);
    const bed = await startBed(scope, { users: ['1010'] });
    const b = bed.peers['1010']!;
    const { p } = startOurs(scope, bed, 'listen');
    await p.waitEvent(registered, 'registered');
    p.command('dnd on');
    await sleep(200);
    await b.dial(`sip:1001@${bed.domain}`);
    const closed = await b.waitForEvent('CALL_CLOSED', 10_000);
    assert.match(String(closed.param), /486/);
    await p.waitEvent((e) => e.event === 'notice' && /do not disturb/.test(String(e.message)), 'DND notice');
    assert.ok(!p.events.some((e) => e.event === 'call' && e.state === 'ringing'), 'no ringing under DND');
    p.command('dnd off');
    await sleep(200);
    const from = b.events().length;
    await b.dial(`sip:1001@${bed.domain}`);
    await p.waitEvent((e) => e.event === 'call' && e.state === 'ringing', 'rings after dnd off');
    p.command('hangup');
    await b.waitForEvent('CALL_CLOSED', 5000, { from });
    p.command('quit');
    assert.equal(await p.exited, 0);
  });

  for (const mode of ['always', 'no-answer:1'] as const) {
    it(`forwarding (${mode}): we answer 302 to our CLI's caller, which follows it to baresip`, async (t) => {
      const scope = testScope(t);
      const bed = await startBed(scope, { users: ['1009'] });
      const c = bed.peers['1009']!;
      const fwd = startOurs(scope, bed, 'listen', { user: '1002', extra: ['--forward', `${mode}=sip:1009@${bed.domain}`] });
      await fwd.p.waitEvent(registered, 'forwarder registered');
      const { p, rec } = startOurs(scope, bed, 'call', { target: `sip:1002@${bed.domain}` });
      const confirmed = await p.waitEvent((e) => e.event === 'call' && e.state === 'confirmed', 'caller confirmed', 15_000);
      assert.match(String(confirmed.remote), /^sip:1009@|^sip:1002@/);
      await c.waitForEvent('CALL_ESTABLISHED', 5000);
      const redirect = tracedMessages(fwd.p.stderr()).find((m) => m.dir === 'out' && m.firstLine.startsWith('SIP/2.0 302'));
      assert.match(redirect?.text ?? '', /^Contact: <?sip:1009@/m, '302 with the forward target');
      assert.equal(fwd.p.events.some((e) => e.event === 'call' && e.state === 'ringing'), mode !== 'always', 'rings only when forwarding on no answer');
      await sleep(2000);
      p.command('hangup');
      assert.equal(await p.exited, 0);
      assertHears(rec, peerTones['1009'], 1.2, "the caller's recording (C's tone)");
    });
  }

  it('forwarding (busy): while we are in a call, baresip\'s call gets 302 and baresip follows it to the target', async (t) => {
    const scope = testScope(t);
    const bed = await startBed(scope, { users: ['1010', '1009', '1008'] });
    const [b, c, d] = [bed.peers['1010']!, bed.peers['1009']!, bed.peers['1008']!];
    const { p } = startOurs(scope, bed, 'call', { target: `sip:1010@${bed.domain}`, extra: ['--forward', `busy=sip:1008@${bed.domain}`] });
    await p.waitEvent((e) => e.event === 'call' && e.state === 'confirmed', 'in a call with B', 15_000);
    await c.dial(`sip:1001@${bed.domain}`);
    const atD = await d.waitForEvent('CALL_ESTABLISHED', 10_000);
    assert.match(String(atD.peeruri), /1009@/, 'D talks to C');
    await c.waitForEvent('CALL_ESTABLISHED', 5000);
    const redirect = tracedMessages(p.stderr()).find((m) => m.dir === 'out' && m.firstLine.startsWith('SIP/2.0 302'));
    assert.match(redirect?.text ?? '', /^Contact: <?sip:1008@/m);
    assert.ok(!p.events.some((e) => e.event === 'call' && e.state === 'ringing' && e.direction === 'incoming'), 'we did not ring');
    p.command('hangup');
    await b.waitForEvent('CALL_CLOSED', 5000);
    assert.equal(await p.exited, 0);
  });

  it('answers by itself when its PBX asks (Call-Info answer-after=0, sipp UAC through Kamailio), without --auto-answer', async (t) => {
    const scope = testScope(t);
    // Auto-answer requests count only from the account's own server (docs/security.md): the
    // intercom call comes through Kamailio; tests/robustness/hostile-sip-incoming has the stranger.
    const bed = await startBed(scope, { users: [] });
    const { p: phone } = startOurs(scope, bed, 'listen');
    await phone.waitEvent(registered, 'registered');
    const sipp = scope.use(runSipp({
      scenario: join(SIPP_FIXTURES, 'uac-auto-answer-via-proxy.xml'), dir: scope.dir, localPort: await freeUdpTcpPort(1),
      remote: `127.0.0.1:${bed.kamailio.udpPort}`, timeoutSec: 10, extraArgs: ['-s', '1001'],
    }));
    const result = await sipp.done;
    assert.equal(result.code, 0, result.log);
    const answered = await phone.waitEvent((e) => e.event === 'call' && e.state === 'confirmed', 'answered by itself');
    assert.equal(answered.autoAnswered, true);
    const ended = await phone.waitEvent((e) => e.event === 'call' && e.state === 'ended', 'ended');
    assert.equal(ended.cause, 'remote-hangup');
    phone.command('quit');
    assert.equal(await phone.exited, 0);
  });
});

/** The sequence of parties heard for at least 0.8 s in a row. */
function collapse(who: string[]): string[] {
  const out: string[] = [];
  let run = 0;
  for (let i = 0; i < who.length; i++) {
    run = i > 0 && who[i] === who[i - 1] ? run + 1 : 1;
    if (run === 8 && who[i] !== '-' && out.at(-1) !== who[i]) out.push(who[i]!);
  }
  return out;
}
