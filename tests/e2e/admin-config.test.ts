/**
 * The administrator's machine-wide configuration in the real web host: started with a config file
 * (NIMBUS_ADMIN_CONFIG, as a deployed /etc/nimbus-phone/config.json would be), Settings shows the
 * locked call-handling and headset fields disabled with "Set by your administrator", the unlocked ones usable,
 * the administrator's account listed, and the locked values in force in the core.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { testScope, type TestScope } from '../interop/harness/index.js';
import { bothOrNone, launchBrowser, openPhone } from './support/browser.js';
import { nav } from './support/ui.js';
import { ensureRendererBuilt, startWebPhone, type WebPhone } from './support/web-phone.js';

let scope: TestScope;
let phone: WebPhone;
let browser: Browser;

before(async () => {
  ensureRendererBuilt();
  scope = testScope();
  const file = join(scope.dir, 'config.json');
  writeFileSync(file, JSON.stringify({
    version: 1,
    // Disabled: nothing registers anywhere during the test.
    accounts: [{ aor: 'sip:2001@127.0.0.1', registrar: 'sip:127.0.0.1', enabled: false }],
    locked: { dnd: false, autoAnswer: { mode: 'off', afterMs: 0 }, headset: { enabled: true, device: null } },
  }));
  // The host is a child process: it inherits this variable (the test file runs in its own process).
  process.env.NIMBUS_ADMIN_CONFIG = file;
  [phone, browser] = await bothOrNone(startWebPhone(scope, { dataDir: join(scope.dir, 'data') }), launchBrowser(), scope);
});
after(async () => { await scope?.cleanup(); });

describe('administrator configuration in Settings', () => {
  it('locked fields are disabled and say why; the others stay usable; the admin account is listed', async () => {
    const { page, errors, close } = await openPhone(browser, phone.url);
    try {
      await nav(page, 'Settings').click();
      await page.getByRole('note').filter({ hasText: 'managed by your organisation\'s administrator' }).waitFor();

      const dnd = page.getByRole('checkbox', { name: 'Do not disturb (incoming calls get a busy signal)' });
      assert.equal(await dnd.isDisabled(), true, 'DND is locked');
      assert.equal(await dnd.getAttribute('aria-describedby'), 'calls-dnd-note');
      assert.equal(await page.locator('#calls-dnd-note').innerText(), 'Set by your administrator');

      const autoAnswer = page.getByRole('combobox', { name: 'Answer automatically' });
      assert.equal(await autoAnswer.isDisabled(), true, 'auto-answer is locked');
      assert.equal(await autoAnswer.inputValue(), 'off', 'the locked value, over the built-in default (pbx)');
      assert.equal(await page.locator('#calls-auto-answer-note').innerText(), 'Set by your administrator');

      const waiting = page.getByRole('checkbox', { name: /^Call waiting/ });
      assert.equal(await waiting.isDisabled(), false, 'call waiting is not locked');
      assert.equal(await page.locator('#calls-waiting-note').count(), 0);

      const headset = page.getByRole('checkbox', { name: 'Answer and end calls with the headset\'s buttons' });
      assert.equal(await headset.isDisabled(), true, 'headset control is locked');
      assert.equal(await page.locator('#settings-headset-enabled-note').innerText(), 'Set by your administrator');

      await page.getByRole('listitem').filter({ hasText: '2001@127.0.0.1' }).waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});
