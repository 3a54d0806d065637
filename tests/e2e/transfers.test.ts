/**
 * Transfers and the conference through the real UI (Chromium on the web host, real Kamailio):
 * blind Transfer, attended transfer (Consult → Complete transfer, and Cancel transfer back to the
 * held call) and Merge. Every party sends its own tone, so recordings show who ended up talking
 * to whom; REFER and re-INVITEs are read from our SIP trace.
 */
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testScope } from '../interop/harness/index.js';
import {
  addressedTo, baresipDumps, callEvent, ourTone, peerTones, reinvitesSent, registered, sdpDirection, sleep, startOurs,
} from '../interop/support/call-control.js';
import { checkTone, describeTone, presence } from './support/audio.js';
import { startSession, type Session } from './support/session.js';
import { button, callRegion, dial, waitForStatus } from './support/ui.js';
import { recordingBetween } from './support/web-phone.js';

let s: Session;
before(async () => { s = await startSession({ users: ['1010', '1009'] }); });
after(async () => { await s?.stop(); });
afterEach(async () => { await s.hangUpPeers(); });

describe('transfers and conference through the real UI', () => {
  it('blind Transfer: 1010 is REFERred to 1009, they talk, our call ends', async (t) => {
    const [b, c] = [s.bed.peers['1010']!, s.bed.peers['1009']!];
    const { page } = await s.open();
    const mark = s.phone.process.stderr().length;
    const [fromB, fromC] = [b.events().length, c.events().length];
    await dial(page, '1010');
    const call = await waitForStatus(page, '1010', 'Connected');
    await button(call, 'Transfer').click();
    await call.getByRole('textbox', { name: 'Transfer to' }).fill('1009');
    await button(call, 'Transfer').click();
    await waitForStatus(page, '1010', 'Ended', 15_000);

    const refer = s.traceSince(mark).find((m) => m.dir === 'out' && m.firstLine.startsWith('REFER '));
    assert.match(refer?.text ?? '', new RegExp(`^Refer-To: <sip:1009@${s.bed.domain.replace('.', '\\.')}`, 'm'), 'REFER to 1009 at our domain');
    await c.waitForEvent('CALL_ESTABLISHED', 10_000, { from: fromC });
    await b.waitForEvent('CALL_ESTABLISHED', 10_000, { from: fromB, match: (e) => /1009@/.test(String(e.peeruri)) });
    await sleep(2500);
    await b.hangup();
    await c.waitForEvent('CALL_CLOSED', 5000, { from: fromC });
    const heardByC = checkTone(baresipDumps(c).at(-1)!, peerTones['1010'], "1009's recording (1010's tone)", 2);
    const heardByB = checkTone(baresipDumps(b).at(-1)!, peerTones['1009'], "1010's recording of its call to 1009", 2);
    t.diagnostic(`after the transfer: 1009 heard ${describeTone(heardByC)}; 1010 heard ${describeTone(heardByB)}`);
  });

  // baresip 1.0.0 cannot be the transferee of an attended transfer (it puts Replaces in the To
  // header, see tests/interop/call-control-transfer.test.ts): B and C are our CLI, on G.711 like
  // the baresip peers (a waveform SNR says little about Opus, a perceptual codec).
  it('attended transfer: Consult 1002 (1003 held), Complete transfer — 1003 and 1002 talk, both our calls end', async (t) => {
    const scope = testScope(t);
    const toneB = 1700;
    const toneC = 1500;
    const b = startOurs(scope, s.bed, 'listen', { user: '1003', tone: toneB, extra: ['--auto-answer=0', '--codecs', 'pcmu'] });
    const c = startOurs(scope, s.bed, 'listen', { user: '1002', tone: toneC, extra: ['--auto-answer=0', '--codecs', 'pcmu'] });
    await b.p.waitEvent(registered, '1003 registered');
    await c.p.waitEvent(registered, '1002 registered');
    const { page } = await s.open();
    const mark = s.phone.process.stderr().length;

    await dial(page, '1003');
    const held = await waitForStatus(page, '1003', 'Connected');
    await button(held, 'Consult').click();
    await held.getByRole('textbox', { name: 'Transfer to' }).fill('1002');
    await button(held, 'Consult').click();
    await waitForStatus(page, '1003', 'On hold');
    const consult = await waitForStatus(page, '1002', 'Connected');
    const cFirst = String((await c.p.waitEvent((e) => e.event === 'call' && e.state === 'confirmed', '1002 answered')).id);
    await button(consult, 'Complete transfer').click();
    await waitForStatus(page, '1003', 'Ended', 15_000);
    await waitForStatus(page, '1002', 'Ended');

    const refer = s.traceSince(mark).find((m) => m.dir === 'out' && m.firstLine.startsWith('REFER '));
    assert.match(refer?.text ?? '', /^Refer-To: <sip:1002@[^>]*\?Replaces=/m, 'RFC 5589: the REFER to 1003 names 1002 with Replaces');
    const cNew = await c.p.waitEvent((e) => e.event === 'call' && e.state === 'confirmed' && e.id !== cFirst, '1002 talks to 1003', 10_000);
    assert.match(String(cNew.remote), /^sip:1003@/);
    await c.p.waitEvent(callEvent(cFirst, 'ended'), "1002's call with us was replaced");
    const bNew = await b.p.waitEvent((e) => e.event === 'call' && e.state === 'confirmed' && String(e.remote).startsWith('sip:1002@'), '1003 talks to 1002');
    const talkingAt = Date.now();
    await sleep(2500);
    b.p.command('hangup');
    await b.p.waitEvent(callEvent(String(bNew.id), 'ended'), "1003's call ended");
    await c.p.waitEvent(callEvent(String(cNew.id), 'ended'), '1003 hung up on 1002');
    const endedAt = Date.now();
    const recC = await recordingBetween(c.rec, talkingAt, endedAt);
    const recB = await recordingBetween(b.rec, talkingAt, endedAt);
    const heardByC = checkTone(recC, toneB, "1002's recording (1003's tone)", 2);
    const heardByB = checkTone(recB, toneC, "1003's recording (1002's tone)", 2);
    t.diagnostic(`after the transfer: 1002 heard ${describeTone(heardByC)}; 1003 heard ${describeTone(heardByB)}`);
  });

  it('attended transfer cancelled: Cancel transfer hangs up 1009 and resumes 1010', async (t) => {
    const c = s.bed.peers['1009']!;
    const { page } = await s.open();
    const mark = s.phone.process.stderr().length;
    const fromC = c.events().length;
    await dial(page, '1010');
    const first = await waitForStatus(page, '1010', 'Connected');
    await button(first, 'Consult').click();
    await first.getByRole('textbox', { name: 'Transfer to' }).fill('1009');
    await button(first, 'Consult').click();
    await waitForStatus(page, '1010', 'On hold');
    const consult = await waitForStatus(page, '1009', 'Connected');
    await c.waitForEvent('CALL_ESTABLISHED', 5000, { from: fromC });
    await button(consult, 'Cancel transfer').click();
    await waitForStatus(page, '1009', 'Ended');
    await waitForStatus(page, '1010', 'Connected');
    const resumedAt = Date.now();
    const closed = await c.waitForEvent('CALL_CLOSED', 5000, { from: fromC });
    assert.match(String(closed.param), /Connection reset by peer/, `we hung up on 1009: ${closed.param}`);
    assert.equal(await button(first, 'Complete transfer').count(), 0, 'no transfer left to complete');
    await sleep(2500);
    await button(first, 'Hang up').click();
    await waitForStatus(page, '1010', 'Ended');
    const endedAt = Date.now();

    const msgs = s.traceSince(mark);
    assert.equal(msgs.some((m) => m.dir === 'out' && m.firstLine.startsWith('REFER ')), false, 'no REFER was sent');
    assert.deepEqual(reinvitesSent(msgs).filter(addressedTo('1010')).map(sdpDirection), ['sendonly', 'sendrecv'], '1010 held for the consultation, then resumed');
    const heard = checkTone(await recordingBetween(s.phone.recFile, resumedAt, endedAt), peerTones['1010'], 'our recording after the cancel (1010)', 2);
    t.diagnostic(`back with 1010: ${describeTone(heard)}`);
  });

  it('an attended transfer in progress survives a page reload (Complete transfer and Cancel transfer still offered)', async () => {
    const { page } = await s.open();
    await dial(page, '1010');
    const first = await waitForStatus(page, '1010', 'Connected');
    await button(first, 'Consult').click();
    await first.getByRole('textbox', { name: 'Transfer to' }).fill('1009');
    await button(first, 'Consult').click();
    await waitForStatus(page, '1010', 'On hold');
    await button(await waitForStatus(page, '1009', 'Connected'), 'Cancel transfer').waitFor();
    await page.reload();
    await waitForStatus(page, '1010', 'On hold');
    const consult = await waitForStatus(page, '1009', 'Connected');
    assert.equal(await button(consult, 'Complete transfer').count(), 1, 'Complete transfer after the reload');
    assert.equal(await button(consult, 'Cancel transfer').count(), 1, 'Cancel transfer after the reload');
  });

  it('Merge: 1010 (held by dialling 1009) and 1009 in a 3-way conference; each hears both others', async (t) => {
    const c = s.bed.peers['1009']!;
    const { page } = await s.open();
    const fromC = c.events().length;
    await dial(page, '1010');
    await waitForStatus(page, '1010', 'Connected');
    await dial(page, '1009');
    await waitForStatus(page, '1009', 'Connected');
    await waitForStatus(page, '1010', 'On hold');
    await button(page.getByRole('group', { name: 'Lines' }), 'Merge').click();
    await waitForStatus(page, '1010', 'Conference');
    await waitForStatus(page, '1009', 'Conference');
    const mergedAt = Date.now();
    await sleep(3000);
    const endAt = Date.now();
    await button(callRegion(page, '1010'), 'Hang up').click();
    await waitForStatus(page, '1010', 'Ended');
    await button(callRegion(page, '1009'), 'Hang up').click();
    await waitForStatus(page, '1009', 'Ended');
    await c.waitForEvent('CALL_CLOSED', 5000, { from: fromC });

    // We hear both peers at once; 1009 (never re-INVITEd) hears us and, through our mix, 1010.
    const ours = await recordingBetween(s.phone.recFile, mergedAt + 300, endAt);
    const both = presence(ours, peerTones['1010']).map((x, i) => x && presence(ours, peerTones['1009'])[i]).filter(Boolean).length / 10;
    assert.ok(both >= 2, `our recording holds 1010 and 1009 together for ${both} s of the 3 s conference`);
    const dumpC = baresipDumps(c).at(-1)!;
    const [usAtC, bAtC] = [presence(dumpC, ourTone), presence(dumpC, peerTones['1010'])];
    const bothAtC = usAtC.filter((x, i) => x && bAtC[i]).length / 10;
    assert.ok(bothAtC >= 2, `1009's recording holds us and 1010 (through our mix) together for ${bothAtC} s`);
    t.diagnostic(`conference: we heard 1010 and 1009 together for ${both} s; 1009 heard us and 1010 together for ${bothAtC} s`);
  });
});
