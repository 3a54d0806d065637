/**
 * Transfers against real peers through Kamailio (RFC 3515 REFER, RFC 5589 flows, RFC 3891
 * Replaces): blind transfer from us (UDP, TCP, SRTP), attended transfer from us, and being
 * transferred by baresip's `transfer`. Each party sends its own tone, so recordings show who
 * ended up talking to whom.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testScope } from './harness/index.js';
import {
  assertHears, baresipDumps, callEvent, ourTone, peerTones, registered, sleep, startBed, startOurs, tracedMessages,
} from './support/call-control.js';
import type { Softphone, SoftphoneEvent } from '../support/softphone-process.js';

const after = (p: Softphone, from: number, match: (e: SoftphoneEvent) => boolean, what: string, ms = 10_000) =>
  p.waitEvent((e) => p.events.indexOf(e) >= from && match(e), what, ms);
const confirmedTo = (user: string) => (e: SoftphoneEvent) => e.event === 'call' && e.state === 'confirmed' && String(e.remote).startsWith(`sip:${user}@`);

const blindVariants = [
  { name: 'UDP', transport: 'udp' as const },
  { name: 'TCP', transport: 'tcp' as const },
  { name: 'SRTP', transport: 'udp' as const, srtp: true },
];

describe('transfers through Kamailio', () => {
  for (const v of blindVariants) {
    it(`${v.name}: blind transfer from us — baresip B is REFERred to baresip C, B and C talk, our call ends`, async (t) => {
      const scope = testScope(t);
      const bed = await startBed(scope, { users: ['1010', '1009'], ...(v.srtp ? { accountParams: ';mediaenc=srtp-mand' } : {}) });
      const [b, c] = [bed.peers['1010']!, bed.peers['1009']!];
      const { p } = startOurs(scope, bed, 'call', { target: `sip:1010@${bed.domain}`, transport: v.transport, extra: v.srtp ? ['--srtp', 'required'] : [] });
      const id = String((await p.waitEvent(confirmedTo('1010'), 'confirmed with B', 15_000)).id);
      await b.waitForEvent('CALL_ESTABLISHED', 5000);
      p.command(`transfer sip:1009@${bed.domain}`);
      const success = await p.waitEvent((e) => e.event === 'transfer' && e.id === id && e.status === 'success', 'transfer success', 15_000);
      assert.match(String(success.sipfrag), /^SIP\/2\.0 200 /);
      const transfer = p.events.filter((e) => e.event === 'transfer').map((e) => String(e.status));
      assert.equal(transfer[0], 'trying', `transfer events: ${transfer.join(', ')}`);
      assert.equal(transfer.at(-1), 'success');
      const ended = await p.waitEvent(callEvent(id, 'ended'), 'our call ended');
      assert.equal(ended.cause, 'local-hangup');
      assert.equal(await p.exited, 0, 'a transferred call is a normal end');

      const refer = tracedMessages(p.stderr()).find((m) => m.dir === 'out' && m.firstLine.startsWith('REFER '));
      assert.match(refer?.text ?? '', /^Refer-To: <sip:1009@/m);
      // B called C: B has a second established call, C its first, with each other.
      await c.waitForEvent('CALL_ESTABLISHED', 10_000);
      await b.waitForEvent('CALL_ESTABLISHED', 10_000, { match: (e) => /1009@/.test(String(e.peeruri)) });
      await sleep(2500);
      await b.hangup();
      await c.waitForEvent('CALL_CLOSED', 5000);
      await sleep(300);
      assertHears(baresipDumps(c).at(-1)!, peerTones['1010'], 1.5, "C's recording (B's tone)");
      assertHears(baresipDumps(b).at(-1)!, peerTones['1009'], 1.5, "B's recording of its call to C (C's tone)");
    });
  }

  // baresip 1.0.0 cannot be the transferee here: it copies the Refer-To URI, ?Replaces= and all,
  // into its INVITE's To header instead of sending a Replaces header. So B is a second CLI.
  const attendedVariants = [
    { name: 'UDP', ours: {}, extra: [] as string[] },
    { name: 'TCP + SRTP', ours: { transport: 'tcp' as const }, extra: ['--srtp', 'required'] },
  ];
  for (const v of attendedVariants) {
    it(`${v.name}: attended transfer from us: B is REFERred with Replaces to C, C swaps our call for B (INVITE with Replaces at us)`, async (t) => {
      const scope = testScope(t);
      const bed = await startBed(scope, { users: [] });
      const toneB = 1000;
      const toneC = 1300;
      const b = startOurs(scope, bed, 'listen', { user: '1003', tone: toneB, ...v.ours, extra: ['--auto-answer=0', ...v.extra] });
      // C answers by hand: the replacing call must be taken without any command.
      const c = startOurs(scope, bed, 'listen', { user: '1002', tone: toneC, ...v.ours, extra: v.extra });
      await b.p.waitEvent(registered, 'B registered');
      await c.p.waitEvent(registered, 'C registered');
      const { p } = startOurs(scope, bed, 'call', { target: `sip:1003@${bed.domain}`, ...v.ours, extra: v.extra });
      const idB = String((await p.waitEvent(confirmedTo('1003'), 'confirmed with B', 15_000)).id);
      let mark = p.events.length;
      p.command(`call sip:1002@${bed.domain}`);
      await after(p, mark, callEvent(idB, 'held'), 'B held automatically');
      await c.p.waitEvent((e) => e.event === 'call' && e.state === 'ringing', 'C rings');
      c.p.command('answer');
      const idC = String((await after(p, mark, confirmedTo('1002'), 'confirmed with C')).id);
      const cFirst = String((await c.p.waitEvent((e) => e.event === 'call' && e.state === 'confirmed', 'C answered')).id);
      await sleep(1000);
      mark = p.events.length;
      p.command(`atransfer ${idB} ${idC}`);
      await after(p, mark, (e) => e.event === 'transfer' && e.id === idB && e.status === 'success', 'transfer success', 15_000);
      await p.waitEvent(callEvent(idB, 'ended'), 'call with B ended');
      await p.waitEvent(callEvent(idC, 'ended'), 'call with C ended (replaced at C)');
      assert.equal(await p.exited, 0);

      const refer = tracedMessages(p.stderr()).find((m) => m.dir === 'out' && m.firstLine.startsWith('REFER '));
      assert.match(refer?.text ?? '', /^Refer-To: <sip:1002@[^>]*\?Replaces=/m, 'RFC 5589 §7: Refer-To carries Replaces');
      // At C: B's INVITE with Replaces took the place of our call at once (RFC 3891 §3).
      const cNew = await c.p.waitEvent((e) => e.event === 'call' && e.state === 'confirmed' && e.id !== cFirst, 'C talks to B', 10_000);
      assert.match(String(cNew.remote), /^sip:1003@/);
      await c.p.waitEvent(callEvent(cFirst, 'ended'), "C's call with us ended");
      const replacing = tracedMessages(c.p.stderr()).find((m) => m.dir === 'in' && m.firstLine.startsWith('INVITE ') && /^Replaces:/m.test(m.text));
      assert.ok(replacing, 'C received an INVITE with Replaces');
      const bNew = await b.p.waitEvent((e) => e.event === 'call' && e.state === 'confirmed' && String(e.remote).startsWith('sip:1002@'), 'B talks to C');
      await sleep(2500);
      b.p.command('hangup');
      await c.p.waitEvent(callEvent(String(cNew.id), 'ended'), 'B hung up on C');
      await b.p.waitEvent(callEvent(String(bNew.id), 'ended'), "B's call ended");
      for (const x of [b, c]) {
        x.p.command('quit');
        assert.equal(await x.p.exited, 0);
      }
      assertHears(c.rec, toneB, 1.5, "C's recording (B's tone)");
      assertHears(b.rec, toneC, 1.5, "B's recording (C's tone)");
    });
  }

  it("being transferred: baresip's transfer REFERs us to C, we call C, NOTIFY 200 goes back, we talk to C", async (t) => {
    const scope = testScope(t);
    const bed = await startBed(scope, { users: ['1010', '1009'] });
    const [b, c] = [bed.peers['1010']!, bed.peers['1009']!];
    const { p, rec } = startOurs(scope, bed, 'call', { target: `sip:1010@${bed.domain}` });
    const idB = String((await p.waitEvent(confirmedTo('1010'), 'confirmed with B', 15_000)).id);
    await b.waitForEvent('CALL_ESTABLISHED', 5000);
    await sleep(1000);
    assert.equal((await b.command('transfer', `sip:1009@${bed.domain}`)).ok, true);
    const toC = await p.waitEvent(confirmedTo('1009'), 'our new call to C confirmed', 15_000);
    await p.waitEvent(callEvent(idB, 'ended'), 'call with B ended');
    await c.waitForEvent('CALL_ESTABLISHED', 5000);
    await sleep(2500);
    const msgs = tracedMessages(p.stderr());
    assert.ok(msgs.some((m) => m.dir === 'in' && m.firstLine.startsWith('REFER ') && /^Refer-To:\s*<?sip:1009@/m.test(m.text)), 'REFER from B');
    const notifies = msgs.filter((m) => m.dir === 'out' && m.firstLine.startsWith('NOTIFY '));
    assert.ok(notifies.some((m) => /^SIP\/2\.0 200 /m.test(m.text)), `NOTIFY with sipfrag 200 OK (${notifies.length} NOTIFYs)`);
    await c.hangup();
    await p.waitEvent(callEvent(String(toC.id), 'ended'), 'C hung up');
    assert.equal(await p.exited, 0);
    assertHears(rec, peerTones['1009'], 1.5, "our recording (C's tone)");
    assertHears(baresipDumps(c).at(-1)!, ourTone, 1.5, "C's recording (our tone)");
  });
});
