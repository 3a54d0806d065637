/**
 * Accounts and preferences through the Settings screen, against a real Kamailio: an account added
 * with a wrong password shows why it does not register, corrected it registers; and everything
 * comes back from the database when the web host restarts on the same data folder.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ourTone } from '../interop/support/call-control.js';
import { startSession, type Session } from './support/session.js';
import { button, nav } from './support/ui.js';
import { startWebPhone } from './support/web-phone.js';
import { openPhone } from './support/browser.js';

let s: Session;
before(async () => { s = await startSession({ users: [], account: false }); });
after(async () => { await s?.stop(); });

/** The account's row in Settings (by the address it shows). */
const accountRow = (page: Page, aor: string) => page.getByRole('listitem').filter({ hasText: aor });

/** Fills the new-account form (SIP address and password only: the registrar is the address's domain). */
async function addAccount(page: Page, user: string, password: string): Promise<string> {
  const aor = `${user}@${s.bed.domain}`;
  await nav(page, 'Settings').click();
  await button(page, 'Add account').click();
  await page.getByRole('textbox', { name: 'SIP address' }).fill(aor);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await button(page, 'Save').click();
  return aor;
}

const autoHold = (page: Page, checked?: boolean) =>
  page.getByRole('checkbox', { name: 'Put the current call on hold when answering or dialling another', ...(checked === undefined ? {} : { checked }) });
const registeredUsers = async () => (await s.bed.kamailio.registrations()).map((r) => r.aor);

describe('accounts in Settings', () => {
  it('adds 1001 with a wrong password: "Wrong password (401)"; the right one registers it', async () => {
    const { page } = await s.open();
    await page.getByText('Add an account in Settings to make calls.').waitFor();
    const aor = await addAccount(page, '1001', 'not-the-password');
    await accountRow(page, aor).getByText('Wrong password (401)', { exact: true }).waitFor();
    assert.deepEqual(await registeredUsers(), [], 'nothing registered at Kamailio');

    await button(accountRow(page, aor), `Edit ${aor}`).click();
    const password = page.getByLabel('Password', { exact: true });
    assert.equal(await password.inputValue(), '', 'the stored password never comes back to the page');
    assert.equal(await password.getAttribute('placeholder'), 'stored');
    await password.fill('pw1001');
    await button(page, 'Save').click();
    await accountRow(page, aor).getByText('Registered', { exact: true }).waitFor();
    assert.deepEqual(await registeredUsers(), ['1001'], 'Kamailio holds the registration');

    await nav(page, 'Dialpad').click();
    await page.getByRole('textbox', { name: 'Number' }).waitFor();
    assert.equal(await page.getByText('Add an account in Settings to make calls.').count(), 0, 'the dialpad no longer asks for an account');
  });

  it('accounts and preferences come from the database: the host restarts on the same data folder', async () => {
    const dataDir = join(s.scope.dir, 'restart-data');
    const first = await startWebPhone(s.scope, { dataDir, toneHz: ourTone, name: 'restart' });
    let { page, close } = await openPhone(s.browser, first.url);
    const aor = await addAccount(page, '1002', 'pw1002');
    await accountRow(page, aor).getByText('Registered', { exact: true }).waitFor();
    await page.getByRole('combobox', { name: 'Theme' }).selectOption({ label: 'Dark' });
    await autoHold(page).click(); // controlled by the core's reply, so wait for it
    await autoHold(page, false).waitFor();
    await page.locator('html[data-theme="dark"]').waitFor({ state: 'attached' });
    await close();
    await first.stop();

    const again = await startWebPhone(s.scope, { dataDir, toneHz: ourTone, name: 'restart' });
    assert.notEqual(again.url, first.url, 'a new run has a new token');
    const registered = await again.process.waitEvent((e) => e.event === 'registration' && e.state === 'registered', 'registered after the restart');
    assert.equal(registered.account, `sip:${aor}`);
    const sip = await again.process.waitEvent((e) => e.event === 'ready', 'SIP ready');
    const contact = (await s.bed.kamailio.registrations()).filter((r) => r.aor === '1002').map((r) => r.contact);
    assert.ok(contact.some((c) => c.includes(`:${String(sip.port)}`)), `Kamailio has the new run's contact (port ${sip.port}): ${contact.join(', ')}`);

    ({ page, close } = await openPhone(s.browser, again.url));
    await nav(page, 'Settings').click();
    await accountRow(page, aor).getByText('Registered', { exact: true }).waitFor();
    assert.equal(await page.evaluate<string | undefined>('document.documentElement.dataset.theme'), 'dark', 'the dark theme is applied');
    assert.equal(await page.getByRole('combobox', { name: 'Theme' }).inputValue(), 'dark');
    assert.equal(await autoHold(page).isChecked(), false, 'auto-hold stays off');
    await close();
    await again.stop();
  });
});
