/**
 * Issue 7 through the real UI: Chromium on the web host's page, our phone registered as 1001 at a
 * real Kamailio, baresip peers that each send their own tone. Dialling by typing, audio both ways
 * (recordings checked as tones), Mute, Keypad DTMF, Hold/Resume (SDP directions on the wire),
 * a page reload in the middle of a call, incoming calls answered and declined, call waiting and Swap.
 */
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  addressedTo, baresipDumps, inviteAnswersReceived, ourTone, peerTones, reinvitesSent, sdpDirection, sleep,
} from '../interop/support/call-control.js';
import { checkTone, describeRuns, describeTone, longRuns, presence, toneRuns } from './support/audio.js';
import { startSession, type Session } from './support/session.js';
import { button, callRegion, dial, nav, waitForStatus } from './support/ui.js';
import { recordingBetween } from './support/web-phone.js';
import { captureSip, sipOnWire } from './support/wire.js';

let s: Session;
before(async () => { s = await startSession({ users: ['1010', '1009'] }); });
after(async () => { await s?.stop(); });
afterEach(async () => { await s.hangUpPeers(); });

describe('calls through the real UI', () => {
  it('dials 1010 by typing and Enter; audio both ways; Mute silences us; Keypad sends DTMF; Hold/Resume on the wire (tshark)', async (t) => {
    const b = s.bed.peers['1010']!;
    const { page } = await s.open();
    const capture = await captureSip(s.scope.dir, s.bed.kamailio.udpPort);
    const fromEvent = b.events().length;
    await dial(page, '1010');
    const call = await waitForStatus(page, '1010', 'Connected');
    const connectedAt = Date.now();
    await b.waitForEvent('CALL_ESTABLISHED', 5000, { from: fromEvent });
    await sleep(2500); // audio to analyse (the first call's audio starts ~1 s late: devices open)

    await button(call, 'Mute').click();
    await button(call, 'Unmute').waitFor();
    const mutedAt = Date.now();
    await sleep(1200);
    await button(call, 'Unmute').click();
    await button(call, 'Mute').waitFor();
    const mutedMs = Date.now() - mutedAt;
    await sleep(1500);

    await button(call, 'Keypad').click();
    const tones = call.getByRole('group', { name: 'Tones' });
    for (const key of ['1', '5', '9', '#']) {
      await button(tones, key).click();
      await b.waitForEvent('CALL_DTMF_START', 3000, { from: fromEvent, match: (e) => e.param === key });
    }
    const digits = b.events().slice(fromEvent).filter((e) => e.type === 'CALL_DTMF_START').map((e) => e.param).join('');
    assert.equal(digits, '159#', 'baresip reports the keypad digits in order');
    await call.getByText('Sent 159#').waitFor();
    await button(call, 'Keypad').click();

    await button(call, 'Hold').click();
    await waitForStatus(page, '1010', 'On hold');
    const heldAt = Date.now();
    await sleep(1500);
    await button(call, 'Resume').click();
    await waitForStatus(page, '1010', 'Connected');
    const heldMs = Date.now() - heldAt;
    await sleep(1200);
    await button(call, 'Hang up').click();
    await waitForStatus(page, '1010', 'Ended');
    const endedAt = Date.now();
    await b.waitForEvent('CALL_CLOSED', 5000, { from: fromEvent });

    // On the wire (tshark on loopback): our hold and resume re-INVITEs and baresip's answers (RFC 3264 §8.4).
    await capture.stop();
    const msgs = sipOnWire(capture.file, s.phone.sipPort);
    assert.deepEqual(reinvitesSent(msgs).map(sdpDirection), ['sendonly', 'sendrecv'], 're-INVITE directions we offered');
    assert.deepEqual(inviteAnswersReceived(msgs).map(sdpDirection), ['sendrecv', 'recvonly', 'sendrecv'], "baresip's answers: call, hold, resume");

    // What we heard: baresip's tone, silence while held, the tone again.
    const ours = await recordingBetween(s.phone.recFile, connectedAt, endedAt);
    const heard = checkTone(ours, peerTones['1010'], 'our recording (baresip 1010)', 4);
    const oursRuns = toneRuns(ours, peerTones['1010']);
    t.diagnostic(`we heard baresip: ${describeTone(heard)}; ${describeRuns(oursRuns)}; hold lasted ${heldMs} ms`);
    const heldRuns = longRuns(oursRuns, 0.8, 1.2);
    assert.deepEqual(heldRuns.map((r) => r.heard), [true, false, true], `tone, held silence, tone: ${describeRuns(oursRuns)}`);
    assert.ok(Math.abs(heldRuns[1]!.seconds * 1000 - heldMs) <= 700, `held silence ${heldRuns[1]!.seconds} s for a hold of ${heldMs} ms`);

    // What baresip heard (its dump stops at the hold re-INVITE): our tone, silence while muted, our tone.
    const dump = baresipDumps(b).at(-1)!;
    const sent = checkTone(dump, ourTone, "baresip's recording (us)", 1.5);
    const theirRuns = toneRuns(dump, ourTone);
    t.diagnostic(`baresip heard us: ${describeTone(sent)}; ${describeRuns(theirRuns)}; mute lasted ${mutedMs} ms`);
    // The first call of a run starts sending ~1 s after the answer (devices open), so the tone
    // before the mute may be short; the mute is the silence of the mute's length between tones.
    const muteRuns = longRuns(theirRuns, 0.3, 0.8);
    assert.deepEqual(muteRuns.map((r) => r.heard), [true, false, true], `tone, muted silence, tone: ${describeRuns(theirRuns)}`);
    assert.ok(Math.abs(muteRuns[1]!.seconds * 1000 - mutedMs) <= 600, `muted silence ${muteRuns[1]!.seconds} s for a mute of ${mutedMs} ms`);
  });

  it('a call in progress survives a page reload: same line, status, running timer; Hold and Resume still work', async () => {
    const b = s.bed.peers['1010']!;
    const { page } = await s.open();
    const fromEvent = b.events().length;
    await dial(page, '1010');
    await waitForStatus(page, '1010', 'Connected');
    const answeredBy = Date.now();
    await button(callRegion(page, '1010'), 'Hold').click();
    await waitForStatus(page, '1010', 'On hold');
    await sleep(1200); // let the call timer pass one second

    await page.reload();
    const call = await waitForStatus(page, '1010', 'On hold');
    const timer = await call.getByRole('timer').textContent();
    const [min, sec] = (timer ?? '').split(':').map(Number);
    const shownS = (min ?? NaN) * 60 + (sec ?? NaN);
    const sinceAnswerS = (Date.now() - answeredBy) / 1000;
    assert.ok(shownS >= 1 && shownS <= sinceAnswerS + 1, `the timer counts from the answer, not from the reload: ${timer} after ${sinceAnswerS.toFixed(1)} s`);
    await button(call, 'Resume').click();
    await waitForStatus(page, '1010', 'Connected');

    await page.reload();
    await waitForStatus(page, '1010', 'Connected');
    await button(callRegion(page, '1010'), 'Hang up').click();
    await waitForStatus(page, '1010', 'Ended');
    const closed = await b.waitForEvent('CALL_CLOSED', 5000, { from: fromEvent });
    assert.match(String(closed.param), /Connection reset by peer/, `we hung up (BYE): ${closed.param}`);
  });

  it('answers an incoming call from baresip with Answer: caller shown while ringing, audio both ways', async (t) => {
    const b = s.bed.peers['1009']!;
    const { page } = await s.open();
    const fromEvent = b.events().length;
    await b.dial(`sip:1001@${s.bed.domain}`);
    const ringing = await waitForStatus(page, '1009', 'Ringing');
    await ringing.getByText('Incoming call').waitFor();
    await button(ringing, 'Answer').click();
    const call = await waitForStatus(page, '1009', 'Connected');
    const answeredAt = Date.now();
    await b.waitForEvent('CALL_ESTABLISHED', 5000, { from: fromEvent });
    await sleep(3000);
    await b.hangup();
    await waitForStatus(page, '1009', 'Ended');
    const endedAt = Date.now();
    assert.equal(await button(call, 'Hang up').count(), 0, 'an ended call has no controls');

    const heard = checkTone(await recordingBetween(s.phone.recFile, answeredAt, endedAt), peerTones['1009'], 'our recording (baresip 1009)', 2);
    await b.waitForEvent('CALL_CLOSED', 5000, { from: fromEvent });
    const sent = checkTone(baresipDumps(b).at(-1)!, ourTone, "baresip's recording (us)", 2);
    t.diagnostic(`incoming call: we heard ${describeTone(heard)}; baresip heard ${describeTone(sent)}`);
  });

  it('declines an incoming call with Decline: baresip is refused, nothing rings any more', async () => {
    const b = s.bed.peers['1009']!;
    const { page } = await s.open();
    const fromEvent = b.events().length;
    await b.dial(`sip:1001@${s.bed.domain}`);
    const ringing = await waitForStatus(page, '1009', 'Ringing');
    await button(ringing, 'Decline').click();
    const closed = await b.waitForEvent('CALL_CLOSED', 5000, { from: fromEvent });
    assert.match(String(closed.param), /^(486|603)\b/, `baresip's call ended with ${closed.param}`);
    assert.equal(b.events().slice(fromEvent).some((e) => e.type === 'CALL_ESTABLISHED'), false, 'never answered');
    await button(page, 'Answer').waitFor({ state: 'detached' });
    await waitForStatus(page, '1009', 'Ended');
  });

  it('call waiting: Answer holds the first caller, Swap changes lines (re-INVITEs and who we hear)', async (t) => {
    const [b, c] = [s.bed.peers['1010']!, s.bed.peers['1009']!];
    const { page } = await s.open();
    const mark = s.phone.process.stderr().length;
    await b.dial(`sip:1001@${s.bed.domain}`);
    await button(await waitForStatus(page, '1010', 'Ringing'), 'Answer').click();
    await waitForStatus(page, '1010', 'Connected');
    const startedAt = Date.now();
    await sleep(1500);

    await c.dial(`sip:1001@${s.bed.domain}`);
    const waiting = await waitForStatus(page, '1009', 'Ringing');
    await waiting.getByText('Call waiting').waitFor();
    await button(waiting, 'Answer').click();
    await waitForStatus(page, '1009', 'Connected');
    await waitForStatus(page, '1010', 'On hold');
    await sleep(1500);

    await button(page.getByRole('group', { name: 'Lines' }), 'Swap').click();
    await waitForStatus(page, '1010', 'Connected');
    await waitForStatus(page, '1009', 'On hold');
    await sleep(1500);
    await button(callRegion(page, '1010'), 'Hang up').click();
    await waitForStatus(page, '1010', 'Ended');
    const endedAt = Date.now();
    await button(callRegion(page, '1009'), 'Hang up').click();
    await waitForStatus(page, '1009', 'Ended');

    const sent = reinvitesSent(s.traceSince(mark));
    assert.deepEqual(sent.filter(addressedTo('1010')).map(sdpDirection), ['sendonly', 'sendrecv'], 're-INVITEs to 1010: held by answering 1009, resumed by Swap');
    assert.deepEqual(sent.filter(addressedTo('1009')).map(sdpDirection), ['sendonly'], 're-INVITEs to 1009: held by Swap');

    // Who we hear, window by window: 1010, then 1009 (1010 held), then 1010 again.
    const ours = await recordingBetween(s.phone.recFile, startedAt, endedAt);
    const [hb, hc] = [presence(ours, peerTones['1010']), presence(ours, peerTones['1009'])];
    const who = hb.map((x, i) => (x && !hc[i] ? '1010' : !x && hc[i] ? '1009' : '-'));
    const order = collapseRuns(who, 8);
    t.diagnostic(`who we hear (≥ 0.8 s runs): ${order.join(' → ')}`);
    assert.deepEqual(order, ['1010', '1009', '1010']);
  });
});

/** The values of runs of at least `min` equal items, '-' left out, repeats merged. */
function collapseRuns(xs: string[], min: number): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < xs.length) {
    let j = i;
    while (j < xs.length && xs[j] === xs[i]) j++;
    if (xs[i] !== '-' && j - i >= min && out.at(-1) !== xs[i]) out.push(xs[i]!);
    i = j;
  }
  return out;
}

describe('the account from flags', () => {
  it('is listed in Settings as registered', async () => {
    const { page } = await s.open();
    await nav(page, 'Settings').click();
    await page.getByRole('listitem').filter({ hasText: `1001@${s.bed.domain}` }).getByText('Registered', { exact: true }).waitFor();
  });
});
