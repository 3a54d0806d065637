/**
 * Hold and resume against baresip through Kamailio (RFC 3264 §8.4, RFC 6337 §5.3), over UDP,
 * over TCP, and with SDES-SRTP required: the re-INVITE directions on the wire (our --sip-trace)
 * and what our recording hears while held and after resume.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testScope } from './harness/index.js';
import {
  callEvent, inviteAnswersReceived, peerTones, reinvitesSent, runs, sdpDirection, sleep, startBed, startOurs,
  toneTimeline, tracedMessages,
} from './support/call-control.js';
import type { Softphone, SoftphoneEvent } from '../support/softphone-process.js';

/** The first event matching, among those after index `from`. */
const after = (p: Softphone, from: number, match: (e: SoftphoneEvent) => boolean, what: string, ms = 10_000) =>
  p.waitEvent((e) => p.events.indexOf(e) >= from && match(e), what, ms);

const variants = [
  { name: 'UDP', transport: 'udp' as const },
  { name: 'TCP', transport: 'tcp' as const },
  { name: 'SRTP', transport: 'udp' as const, srtp: true },
];

describe('hold and resume with baresip', () => {
  for (const v of variants) {
    it(`${v.name}: we hold baresip (sendonly → recvonly), no tone while held, tone back after resume (sendrecv)`, async (t) => {
      const scope = testScope(t);
      const bed = await startBed(scope, { users: ['1010'], ...(v.srtp ? { accountParams: ';mediaenc=srtp-mand' } : {}) });
      const b = bed.peers['1010']!;
      const target = `sip:1010@${bed.domain}`;
      const { p, rec } = startOurs(scope, bed, 'call', { target, transport: v.transport, extra: v.srtp ? ['--srtp', 'required'] : [] });
      const confirmed = await p.waitEvent((e) => e.event === 'call' && e.state === 'confirmed', 'confirmed', 15_000);
      const id = String(confirmed.id);
      await sleep(1500);
      let mark = p.events.length;
      p.command('hold');
      await after(p, mark, callEvent(id, 'held'), 'held');
      await sleep(2000);
      mark = p.events.length;
      p.command('resume');
      await after(p, mark, callEvent(id, 'confirmed'), 'confirmed after resume');
      await sleep(1500);
      p.command('hangup');
      await p.waitEvent(callEvent(id, 'ended'), 'ended');
      assert.equal(await p.exited, 0);
      await b.waitForEvent('CALL_CLOSED', 5000);

      const msgs = tracedMessages(p.stderr());
      const reinvites = reinvitesSent(msgs);
      assert.deepEqual(reinvites.map(sdpDirection), ['sendonly', 'sendrecv'], 're-INVITE directions we offered');
      if (v.transport === 'tcp') assert.ok(msgs.filter((m) => m.dir === 'out').every((m) => /^Via: SIP\/2\.0\/TCP /m.test(m.text) || m.firstLine.startsWith('SIP/2.0')), 'requests over TCP');
      if (v.srtp) assert.ok(reinvites.every((m) => /^m=audio \d+ RTP\/SAVP /m.test(m.text) && /^a=crypto:/m.test(m.text)), 're-INVITEs keep SDES-SRTP');
      const answers = inviteAnswersReceived(msgs).map(sdpDirection);
      assert.deepEqual(answers, ['sendrecv', 'recvonly', 'sendrecv'], "baresip's answers: initial, hold, resume");

      // Our recording: baresip's tone, then ≈2 s of nothing while held, then the tone again.
      const tone = peerTones['1010'];
      const timeline = runs(toneTimeline(rec, [tone]).present[tone]!);
      const heard = timeline.slice(timeline.findIndex(([x]) => x));
      const summary = heard.map(([x, n]) => `${x ? 'tone' : 'quiet'} ${n / 10}s`).join(', ');
      t.diagnostic(`our recording (100 ms windows): ${summary}`);
      const long = heard.filter(([x, n]) => (x ? n >= 8 : n >= 15));
      assert.deepEqual(long.map(([x]) => x), [true, false, true], `tone, held silence ≥ 1.5 s, tone again: ${summary}`);
      const held = long[1]![1] / 10;
      assert.ok(held <= 2.8, `held silence ${held} s, the hold lasted about 2 s`);
    });
  }

  it('baresip holds us: remote-held, our hold then offers inactive (RFC 6337), confirmed after its resume', async (t) => {
    const scope = testScope(t);
    const bed = await startBed(scope, { users: ['1010'] });
    const b = bed.peers['1010']!;
    const { p } = startOurs(scope, bed, 'call', { target: `sip:1010@${bed.domain}` });
    const confirmed = await p.waitEvent((e) => e.event === 'call' && e.state === 'confirmed', 'confirmed', 15_000);
    const id = String(confirmed.id);
    await b.waitForEvent('CALL_ESTABLISHED', 5000);
    await sleep(500);
    let mark = p.events.length;
    assert.equal((await b.command('hold')).ok, true);
    await after(p, mark, callEvent(id, 'remote-held'), 'remote-held');
    mark = p.events.length;
    p.command('hold');
    await after(p, mark, callEvent(id, 'held'), 'held by both');
    mark = p.events.length;
    p.command('resume');
    await after(p, mark, callEvent(id, 'remote-held'), 'remote-held again after our resume');
    mark = p.events.length;
    assert.equal((await b.command('resume')).ok, true);
    await after(p, mark, callEvent(id, 'confirmed'), 'confirmed after baresip resumes');
    p.command('hangup');
    await p.waitEvent(callEvent(id, 'ended'), 'ended');

    const msgs = tracedMessages(p.stderr());
    const theirs = msgs.filter((m) => m.dir === 'in' && m.firstLine.startsWith('INVITE ') && /^To:[^\n]*;tag=/im.test(m.text));
    assert.deepEqual(theirs.map(sdpDirection), ['sendonly', 'sendrecv'], "baresip's hold and resume re-INVITEs");
    assert.deepEqual(reinvitesSent(msgs).map(sdpDirection), ['inactive', 'sendrecv'], 'our hold while held is inactive, our resume sendrecv');
  });
});
