/**
 * Issue 12, headset buttons through the real app: Chromium on the web host's page with a stubbed
 * `navigator.hid` whose headset has the collections of a fixture's report descriptor, our phone
 * registered as 1001 at a real Kamailio, baresip peers calling us. What the app sends the headset
 * (LED output reports) and what a button press (an input report) does to real SIP calls.
 */
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { baresipDumps, ourTone, peerTones, sleep } from '../interop/support/call-control.js';
import { checkTone, describeTone } from './support/audio.js';
import { appReady, windowSize, type PhonePage } from './support/browser.js';
import { headset, installHeadset, type FakeHidOptions } from './support/fake-hid.js';
import { startSession, type Session } from './support/session.js';
import { button, nav, waitForStatus } from './support/ui.js';

let s: Session;
before(async () => { s = await startSession({ users: ['1010', '1009'] }); });
after(async () => { await s?.stop(); });
afterEach(async () => { await s.hangUpPeers(); });

/** The phone's page with a fake headset plugged in before it loads. */
async function openWithHeadset(o: FakeHidOptions): Promise<PhonePage> {
  const context = await s.browser.newContext({ viewport: windowSize, locale: 'en-US', reducedMotion: 'reduce' });
  context.setDefaultTimeout(10_000);
  await installHeadset(context, o);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(s.phone.url);
  await appReady(page);
  s.scope.use({ stop: () => context.close() });
  return { page, context, errors, close: () => context.close() };
}

// Jabra Engage 50's published layout: input report 2 = [hook | busy<<1 | mute<<2 | flash<<3 …, 0];
// output report 2 = [offHook | mute<<1 | ring<<2 | hold<<3 | microphone<<4 | ringer<<5, 0].
const jabra = { fixture: 'jabra-engage-50.json' };
const led = { offHook: 0x01, mute: 0x02, ring: 0x04, microphone: 0x10, ringer: 0x20 };

describe('headset buttons (WebHID) against real calls', () => {
  it('an incoming call rings the headset; Hook Switch = 1 answers it (audio flows, Off-Hook LED); Phone Mute toggles mute and the Mute LED; Hook Switch = 0 hangs up', async (t) => {
    const b = s.bed.peers['1009']!;
    const { page, errors } = await openWithHeadset(jabra);
    await headset.waitSent(page, 'at connect (all dark)', (r) => r.reportId === 2 && r.data[0] === 0);
    const fromEvent = b.events().length;

    await b.dial(`sip:1001@${s.bed.domain}`);
    await waitForStatus(page, '1009', 'Ringing');
    const ringAt = Date.now() - 1000;
    await headset.waitSent(page, 'with Ring and Ringer', (r) => r.reportId === 2 && r.data[0] === (led.ring | led.ringer), ringAt);

    const pressedAt = Date.now();
    await headset.input(page, 2, [0x01, 0x00]); // Hook Switch = 1 (off-hook)
    await headset.waitSent(page, 'with Off-Hook (Ring dark)', (r) => r.reportId === 2 && r.data[0] === led.offHook, pressedAt);
    const call = await waitForStatus(page, '1009', 'Connected');
    await b.waitForEvent('CALL_ESTABLISHED', 5000, { from: fromEvent });
    const answeredAt = Date.now();
    await sleep(3000);

    const mutedAt = Date.now();
    await headset.input(page, 2, [0x05, 0x00]); // Phone Mute pressed (hook still off-hook)
    await headset.input(page, 2, [0x01, 0x00]); // released
    await button(call, 'Unmute').waitFor();
    await headset.waitSent(page, 'with Mute and Microphone', (r) => r.reportId === 2 && r.data[0] === (led.offHook | led.mute | led.microphone), mutedAt);
    await sleep(300);
    const unmutedAt = Date.now();
    await headset.input(page, 2, [0x05, 0x00]);
    await headset.input(page, 2, [0x01, 0x00]);
    await button(call, 'Mute').waitFor();
    await headset.waitSent(page, 'with Mute dark again', (r) => r.reportId === 2 && r.data[0] === led.offHook, unmutedAt);

    const hungUpAt = Date.now();
    await headset.input(page, 2, [0x00, 0x00]); // Hook Switch = 0 (on-hook)
    await waitForStatus(page, '1009', 'Ended');
    const closed = await b.waitForEvent('CALL_CLOSED', 5000, { from: fromEvent });
    assert.match(String(closed.param), /Connection reset by peer/, `we hung up (BYE): ${closed.param}`);
    await headset.waitSent(page, 'all dark', (r) => r.reportId === 2 && r.data[0] === 0, hungUpAt);
    assert.deepEqual(errors, []);
    // Audio both ways. Only this test answers 1009 (1300 Hz), so the whole recording is checked
    // (robust to a loaded machine, where the file's pacing drifts from the wall clock).
    await sleep(1500); // the file speaker flushes once a second
    const heard = checkTone(s.phone.recFile, peerTones['1009'], 'our recording (baresip 1009)', 1.5);
    const sent = checkTone(baresipDumps(b).at(-1)!, ourTone, "baresip's recording (us)", 1.5);
    t.diagnostic(`answered from the headset ${answeredAt - pressedAt} ms after the press; we heard ${describeTone(heard)}; baresip heard ${describeTone(sent)}`);
  });

  it('Line Busy Tone from the headset declines a ringing call: baresip is refused, never answered', async () => {
    const b = s.bed.peers['1010']!;
    const { page } = await openWithHeadset(jabra);
    await headset.waitSent(page, 'at connect', (r) => r.reportId === 2);
    const fromEvent = b.events().length;
    await b.dial(`sip:1001@${s.bed.domain}`);
    await waitForStatus(page, '1010', 'Ringing');
    await headset.input(page, 2, [0x02, 0x00]); // Line Busy Tone
    await headset.input(page, 2, [0x00, 0x00]);
    const closed = await b.waitForEvent('CALL_CLOSED', 5000, { from: fromEvent });
    assert.match(String(closed.param), /^(486|603)\b/, `baresip's call ended with ${closed.param}`);
    assert.equal(b.events().slice(fromEvent).some((e) => e.type === 'CALL_ESTABLISHED'), false, 'never answered');
    await waitForStatus(page, '1010', 'Ended');
  });

  it('a toggle-button hook (relative Hook Switch) answers with one press and hangs up with the next', async () => {
    const b = s.bed.peers['1010']!;
    const { page } = await openWithHeadset({ fixture: 'toggle-hook.json' });
    await headset.waitSent(page, 'at connect', (r) => r.reportId === 3);
    const fromEvent = b.events().length;
    await b.dial(`sip:1001@${s.bed.domain}`);
    await waitForStatus(page, '1010', 'Ringing');
    await headset.waitSent(page, 'with Ring (bit 1 of report 3)', (r) => r.reportId === 3 && r.data[0] === 0x02);
    await headset.input(page, 1, [0x01]);
    await headset.input(page, 1, [0x00]);
    await waitForStatus(page, '1010', 'Connected');
    await b.waitForEvent('CALL_ESTABLISHED', 5000, { from: fromEvent });
    await sleep(500); // past the echo guard of the host lighting Off-Hook
    await headset.input(page, 1, [0x01]);
    await headset.input(page, 1, [0x00]);
    await waitForStatus(page, '1010', 'Ended');
    await b.waitForEvent('CALL_CLOSED', 5000, { from: fromEvent });
  });

  it('web host: no headset granted yet — Settings says so and "Connect headset" asks the browser for one', async () => {
    const { page } = await openWithHeadset({ ...jabra, granted: false });
    await nav(page, 'Settings').click();
    const section = page.getByRole('region', { name: 'Headset' });
    await section.getByText('No headset with call buttons found.').waitFor();
    await button(section, 'Connect headset').click();
    await section.getByText('Connected: Jabra Engage 50').waitFor();
    assert.equal(await headset.opened(page), true);
    await section.getByText(/Buttons: answer and hang up, decline, mute, flash, redial/).waitFor();

    // Turning headset control off closes the device (LEDs dark first).
    // A controlled checkbox: it changes once the core has saved the setting.
    const enabled = page.getByRole('checkbox', { name: "Answer and end calls with the headset's buttons" });
    await enabled.click();
    await section.getByText('Headset buttons are off.').waitFor();
    assert.equal(await headset.opened(page), false);
    assert.equal(await enabled.isChecked(), false);
    await enabled.click();
    await section.getByText('Connected: Jabra Engage 50').waitFor();
  });
});
