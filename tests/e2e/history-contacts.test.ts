/**
 * Issue 9 through the real UI: Chromium on the web host's page, our phone registered as 1001 at a
 * real Kamailio, baresip peers. A missed call (badge, Missed filter, Call back, kept across a host
 * restart on the same data folder).
 */
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { ourTone } from '../interop/support/call-control.js';
import { openPhone } from './support/browser.js';
import { startSession, type Session } from './support/session.js';
import { button, nav, waitForStatus, waitNoCalls } from './support/ui.js';
import { startWebPhone } from './support/web-phone.js';

let s: Session;
before(async () => { s = await startSession({ users: ['1010', '1009'] }); });
after(async () => { await s?.stop(); });
afterEach(async () => { await s.hangUpPeers(); });

/** The accessible description of a control (the text of the elements its aria-describedby names). */
async function description(control: Locator): Promise<string> {
  return control.evaluate((el) => (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean)
    .map((id: string) => el.ownerDocument.getElementById(id)?.textContent ?? '').join(' ').trim());
}

/** Waits until History's accessible description (the missed-call badge) is `want` ('' = none). */
async function waitBadge(page: Page, want: string, timeoutMs = 15_000): Promise<void> {
  const history = nav(page, 'History');
  const deadline = Date.now() + timeoutMs;
  let got = '';
  while (Date.now() < deadline) {
    got = await description(history);
    if (got === want) return;
    await page.waitForTimeout(100);
  }
  assert.fail(`History's description: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
}

/** The history rows' Call back buttons whose described party is `who`. */
async function callBackButtons(page: Page, who: string): Promise<Locator[]> {
  const out: Locator[] = [];
  for (const b of await page.getByRole('button', { name: 'Call back', exact: true }).all()) {
    if (await description(b) === who) out.push(b);
  }
  return out;
}

/** Waits until the listed calls' parties (the Call back buttons' descriptions), sorted, are `want`. */
async function waitParties(page: Page, want: string[], what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let got: string[] = [];
  while (Date.now() < deadline) {
    got = (await Promise.all((await page.getByRole('button', { name: 'Call back', exact: true }).all()).map(description))).sort();
    if (JSON.stringify(got) === JSON.stringify(want)) return;
    await page.waitForTimeout(100);
  }
  assert.deepEqual(got, want, what);
}

/** baresip `from` calls us and hangs up (CANCEL) once our UI shows the call ringing. */
async function missedCallFrom(page: Page, user: '1009' | '1010'): Promise<void> {
  const b = s.bed.peers[user]!;
  await b.dial(`sip:1001@${s.bed.domain}`);
  await waitForStatus(page, user, 'Ringing', 20_000);
  await b.hangup();
  await waitNoCalls(page, 30_000);
}

describe('history through the real UI', () => {
  it('a missed call from baresip: badge, Missed filter, badge cleared on opening History, Call back rings baresip; kept across a host restart', async () => {
    const b = s.bed.peers['1009']!;
    const { page } = await s.open();
    await waitBadge(page, '');
    await missedCallFrom(page, '1009');
    await waitBadge(page, '1 missed call');

    await nav(page, 'History').click();
    await page.getByRole('searchbox', { name: 'Search history' }).waitFor();
    const filter = page.getByRole('radiogroup', { name: 'Filter' });
    await filter.getByRole('radio', { name: 'Missed', exact: true }).check();
    await page.getByRole('button', { name: 'Call back', exact: true }).first().waitFor();
    await waitParties(page, ['1009'], 'one missed call, from 1009, under Missed');
    await waitBadge(page, '');
    // A missed call is an incoming one; nothing was dialled yet.
    await filter.getByRole('radio', { name: 'Outgoing', exact: true }).check();
    await page.getByText('No matching calls').waitFor();
    await filter.getByRole('radio', { name: 'Incoming', exact: true }).check();
    await page.getByText('No matching calls').waitFor({ state: 'hidden' });
    await waitParties(page, ['1009'], 'the missed call is listed under Incoming');
    await filter.getByRole('radio', { name: 'Missed', exact: true }).check();

    const fromEvent = b.events().length;
    await (await callBackButtons(page, '1009'))[0]!.click();
    // The bed's baresip answers by itself (no CALL_INCOMING then): its call events say incoming.
    const incoming = await b.waitForEvent('CALL_ESTABLISHED', 20_000, { from: fromEvent });
    assert.equal(incoming.direction, 'incoming', `baresip was called: ${JSON.stringify(incoming)}`);
    assert.match(String(incoming.peeruri), /sip:1001@/, `baresip is called by 1001: ${JSON.stringify(incoming)}`);
    await waitForStatus(page, '1009', 'Connected', 20_000);
    await button(page, 'Hang up').click();
    await b.waitForEvent('CALL_CLOSED', 20_000, { from: fromEvent });
    await waitNoCalls(page, 30_000);

    // A second missed call, not looked at: the badge counts it alone.
    await nav(page, 'Dialpad').click();
    await missedCallFrom(page, '1010');
    await waitBadge(page, '1 missed call');

    // The host restarts on the same data folder: the history and the badge state are kept.
    await page.close();
    await s.phone.stop();
    const phone = await startWebPhone(s.scope, {
      dataDir: s.phone.dataDir, toneHz: ourTone, account: { user: '1001', password: 'pw1001', domain: s.bed.domain },
    });
    const again = await openPhone(s.browser, phone.url);
    try {
      const p2 = again.page;
      await waitBadge(p2, '1 missed call');
      await nav(p2, 'History').click();
      await p2.getByRole('radiogroup', { name: 'Filter' }).getByRole('radio', { name: 'All', exact: true }).check();
      await waitParties(p2, ['1009', '1009', '1010'], 'history after the restart: two calls with 1009, one with 1010');
      await p2.getByRole('radiogroup', { name: 'Filter' }).getByRole('radio', { name: 'Missed', exact: true }).check();
      await waitParties(p2, ['1009', '1010'], 'missed calls after the restart');
      await waitBadge(p2, '');
    } finally {
      await again.close();
    }
  });
});
