/**
 * Issue 11 through the real UI: Chromium on the web host's page, our phone registered as 1001 at
 * a Kamailio with its presence modules (dialog state from pua_dialoginfo), baresip 1002 called by
 * a third phone (baresip 1010), and a second instance of our CLI (1003) to chat with.
 * The busy lamp follows the real call (ringing → busy → idle) with the names automation uses;
 * messages go both ways through Kamailio, accents and emoji intact, with delivery status, unread
 * counts in the navigation and the title, and the stored conversation read back after a reload.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { testScope, type TestScope } from '../interop/harness/index.js';
import type { Bed } from '../interop/support/call-control.js';
import { registered, startOurs } from '../interop/support/call-control.js';
import { startPresenceBed } from '../interop/support/presence-bed.js';
import type { SoftphoneEvent } from '../support/softphone-process.js';
import { axeViolations, describeViolations } from './support/axe.js';
import { appReady, launchBrowser, openPhone } from './support/browser.js';
import { button, nav, waitForStatus } from './support/ui.js';
import { ensureRendererBuilt, startWebPhone, type WebPhone } from './support/web-phone.js';

let scope: TestScope;
let bed: Bed;
let phone: WebPhone;
let browser: Browser;

before(async () => {
  ensureRendererBuilt();
  scope = testScope();
  try {
    bed = await startPresenceBed(scope, { '1002': {}, '1010': {} });
    [phone, browser] = await Promise.all([
      startWebPhone(scope, { dataDir: join(scope.dir, 'data'), account: { user: '1001', password: 'pw1001', domain: bed.domain } }),
      launchBrowser(),
    ]);
    scope.use({ stop: () => browser.close() });
    await phone.process.waitEvent((e) => e.event === 'registration' && e.state === 'registered', '1001 registered');
  } catch (e) {
    await scope.cleanup();
    throw e;
  }
});
after(async () => { await scope?.cleanup(); });

/** Every name the lamp buttons of the "Busy lamps" region take, in order (recorded in the page). */
async function recordLamps(page: Page): Promise<() => Promise<string[]>> {
  // A string, not a function: the test's TypeScript transform would wrap named functions in helpers the page lacks.
  await page.evaluate(`(() => {
    const seen = [];
    globalThis.lampNames = seen;
    const region = document.querySelector('section[aria-label="Busy lamps"]');
    const read = () => {
      for (const b of region.querySelectorAll('button[data-lamp-index]')) {
        const name = b.getAttribute('aria-label') ?? '';
        if (seen[seen.length - 1] !== name) seen.push(name);
      }
    };
    read();
    new MutationObserver(read).observe(region, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label'] });
  })()`);
  return () => page.evaluate(() => (globalThis as unknown as { lampNames: string[] }).lampNames);
}

// Page-side shapes (the test's type check has no DOM library).
interface Styles { getComputedStyle(el: unknown): { animationName: string } }
interface TextNode { lastChild: { textContent: string | null } | null }
interface Titled { document: { title: string } }

const message = (from: string, text: string) => (e: SoftphoneEvent) => e.event === 'message' && String(e.from).startsWith(from) && e.text === text;

describe('presence through the real UI', () => {
  it('the busy lamp of 1002 goes ringing when a third phone calls it (Pick up offered), busy when answered, idle after hang-up', async (t) => {
    const b2 = bed.peers['1002']!;
    const caller = bed.peers['1010']!;
    const { page, errors, close } = await openPhone(browser, phone.url);
    try {
      await nav(page, 'Team').click();
      await button(page, 'Add').click();
      await page.getByRole('textbox', { name: 'Colleague to watch', exact: true }).fill('1002');
      await page.keyboard.press('Enter');
      const lamps = page.getByRole('region', { name: 'Busy lamps', exact: true });
      await button(lamps, '1002, idle').waitFor();
      const names = await recordLamps(page);

      const from = b2.events().length;
      await caller.dial(`sip:1002@${bed.domain}`);
      await b2.waitForEvent('CALL_INCOMING', 10_000, { from });
      await button(lamps, '1002, ringing').waitFor();
      await button(lamps, 'Pick up').waitFor();
      // Reduced motion (the browser asks for it here): the ringing lamp does not blink.
      const animation = await lamps.locator('.lamp--ringing').evaluate((el) => (globalThis as unknown as Styles).getComputedStyle(el).animationName);
      assert.equal(animation, 'none', 'no blinking under prefers-reduced-motion');
      const violations = await axeViolations(page);
      assert.deepEqual(violations, [], describeViolations(violations));

      await b2.accept();
      await button(lamps, '1002, busy').waitFor();
      assert.equal(await button(lamps, 'Pick up').count(), 0, 'no Pick up once answered');

      await b2.hangup();
      await button(lamps, '1002, idle').waitFor();
      const seen = await names();
      t.diagnostic(`lamp names: ${seen.join(' → ')}`);
      assert.deepEqual(seen, ['1002, idle', '1002, ringing', '1002, busy', '1002, idle']);

      // The watched colleague is kept by the core: a reload shows the lamp again.
      await page.reload();
      await appReady(page);
      await nav(page, 'Team').click();
      await button(lamps, '1002, idle').waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('clicking the ringing lamp picks the call up: we are connected to the caller and 1002 stops ringing', async () => {
    const b2 = bed.peers['1002']!;
    const ext = `sip:1002@${bed.domain}`;
    const { page, errors, close } = await openPhone(browser, phone.url);
    try {
      await nav(page, 'Team').click();
      const lamps = page.getByRole('region', { name: 'Busy lamps', exact: true });
      await button(lamps, '1002, idle').waitFor();
      // The caller is a CLI (it takes an INVITE with Replaces …;early-only in place of its ringing call).
      const from = b2.events().length;
      const caller = startOurs(scope, bed, 'call', { user: '1004', target: ext });
      await b2.waitForEvent('CALL_INCOMING', 30_000, { from });
      await button(lamps, '1002, ringing').click();
      const call = await waitForStatus(page, '1004', 'Connected');
      await caller.p.waitEvent((e) => e.event === 'call' && e.direction === 'incoming' && e.state === 'confirmed', 'the caller took our pickup call');
      await b2.waitForEvent('CALL_CLOSED', 5000, { from });
      await button(lamps, '1002, idle').waitFor();
      await button(call, 'Hang up').click();
      assert.equal(await caller.p.exited, 0, 'the caller ends normally when we hang up');
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  it('a chat with a second CLI appears in the conversation view, accents and emoji intact; unread counts; stored messages after a reload', async () => {
    const other = startOurs(scope, bed, 'listen', { user: '1003' });
    await other.p.waitEvent(registered, '1003 registers', 30_000);
    const { page, errors, close } = await openPhone(browser, phone.url, { colorScheme: 'dark' });
    try {
      const sent = 'Réunion à 15 h ? Ça marche 👍🏽 — 日本語 ✓';
      await nav(page, 'Messages').click();
      await button(page, 'New message').click();
      await page.getByRole('textbox', { name: 'To', exact: true }).fill('1003');
      await page.keyboard.press('Enter');
      const log = page.getByRole('log', { name: 'Conversation with 1003', exact: true });
      await log.waitFor();
      await page.getByRole('textbox', { name: 'Message', exact: true }).fill(sent);
      await button(page, 'Send').click();
      await other.p.waitEvent(message('sip:1001@', sent), '1003 receives our text intact');
      await log.getByText('Delivered', { exact: true }).waitFor();
      assert.equal(await page.getByRole('textbox', { name: 'Message', exact: true }).inputValue(), '', 'the composer is emptied');

      const reply = 'Bien reçu — à tout à l’heure 😀🎉 ñ';
      other.p.command(`message sip:1001@${bed.domain} ${reply}`);
      await log.getByText(reply).waitFor();
      const shown = await log.locator('.bubble__text').evaluateAll((els) => els.map((el) => (el as unknown as TextNode).lastChild?.textContent ?? ''));
      assert.deepEqual(shown, [sent, reply], 'both texts shown exactly, in order');

      // Back to the list, then elsewhere in the app: a new message counts on the Messages entry (its
      // name unchanged), in the title, and on its conversation's row.
      await button(page, 'All conversations').click();
      await nav(page, 'Team').click();
      const later = 'Et demain ? 🙂';
      other.p.command(`message sip:1001@${bed.domain} ${later}`);
      const entry = nav(page, 'Messages');
      await page.waitForFunction(() => (globalThis as unknown as Titled).document.title === '(1) Nimbus Phone');
      const describedBy = await entry.getAttribute('aria-describedby');
      assert.ok(describedBy, 'the Messages entry has a description');
      assert.equal(await page.locator(`[id="${describedBy}"]`).textContent(), '1 unread message');
      await entry.click();
      const row = page.getByRole('button', { name: /^1003\s*, Et demain \? 🙂\s*, .*, 1 unread message$/ });
      await row.click();
      await log.getByText(later).waitFor();
      await page.waitForFunction(() => (globalThis as unknown as Titled).document.title === 'Nimbus Phone');
      assert.equal(await entry.getAttribute('aria-describedby'), null, 'read: no unread count left');
      const violations = await axeViolations(page);
      assert.deepEqual(violations, [], describeViolations(violations));

      // The conversation lives in the core (SQLite): a reload reads it back.
      await page.reload();
      await appReady(page);
      await nav(page, 'Messages').click();
      await page.getByRole('button', { name: /^1003\s*, / }).click();
      await log.getByText(later).waitFor();
      const again = await log.locator('.bubble__text').evaluateAll((els) => els.map((el) => (el as unknown as TextNode).lastChild?.textContent ?? ''));
      assert.deepEqual(again, [sent, reply, later]);
      assert.deepEqual(errors, []);
    } finally {
      await close();
      other.p.command('quit');
    }
  });
});
