/**
 * The administrator's machine-wide configuration in the real web host: started with a config file
 * (NIMBUS_ADMIN_CONFIG, as a deployed /etc/nimbus-phone/config.json would be), Settings shows the
 * locked call-handling, headset, audio, microphone processing, language and account fields disabled
 * with "Set by your administrator", the unlocked ones usable, the administrator's account listed
 * (its given fields locked, the user's own ones free), and the locked values in force in the core.
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
    accounts: [{ aor: 'sip:2001@127.0.0.1', registrar: 'sip:127.0.0.1', enabled: false, nat: { stun: 'stun:127.0.0.1:3478', icePolicy: 'all' } }],
    accountPolicy: { transferPolicy: 'domain' },
    locked: {
      dnd: false, autoAnswer: { mode: 'off', afterMs: 0 }, headset: { enabled: true, device: null }, language: 'en',
      audio: { input: null, output: null, ring: null, ringOnSpeakerToo: true }, audioProcessing: { aec: true, ns: 'high', agc: false },
    },
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

      // Audio and microphone processing (locked as a whole), language; theme is not locked.
      for (const name of ['Microphone', 'Speaker', 'Ringing device', 'Noise suppression', 'Language']) {
        const box = page.getByRole('combobox', { name, exact: true });
        assert.equal(await box.isDisabled(), true, `${name} is locked`);
        assert.match(await page.locator(`#${await box.getAttribute('id')}-note`).innerText(), /^Set by your administrator/, name);
      }
      assert.equal(await page.getByRole('combobox', { name: 'Noise suppression' }).inputValue(), 'high', 'the locked value');
      for (const name of ['Ring on the speaker as well', 'Echo cancellation', 'Automatic gain control']) {
        assert.equal(await page.getByRole('checkbox', { name, exact: true }).isDisabled(), true, `${name} is locked`);
      }
      assert.equal(await page.getByRole('checkbox', { name: 'Automatic gain control' }).isChecked(), false, 'the locked value');
      assert.equal(await page.getByRole('combobox', { name: 'Theme' }).isDisabled(), false, 'the theme is not locked');

      // The administrator's account: what the administrator gave is locked, the rest is the user's.
      const row = page.getByRole('listitem').filter({ hasText: '2001@127.0.0.1' });
      await row.getByRole('button', { name: /^Edit/ }).click();
      const field = (name: string) => page.getByRole('textbox', { name, exact: true });
      assert.equal(await field('SIP address').isDisabled(), true, 'the address is locked');
      assert.equal(await page.locator('#account-aor-note').innerText(), 'Set by your administrator');
      assert.equal(await field('Display name').isDisabled(), false, 'the display name is the user\'s');
      assert.equal(await page.getByRole('combobox', { name: 'Transfers requested by the other side' }).isDisabled(), true, 'a policy on every account');
      assert.equal(await page.getByLabel('Password', { exact: true }).isDisabled(), false, 'the password is the user\'s');
      // Its NAT settings (issue 13): the administrator gave them, so the Network group is locked but the TURN password.
      const network = page.getByRole('group', { name: 'Network (NAT traversal)', exact: true });
      for (const name of ['STUN server', 'TURN server', 'TURN user name']) {
        assert.equal(await network.getByRole('textbox', { name, exact: true }).isDisabled(), true, `${name} is locked`);
      }
      assert.equal(await network.getByRole('textbox', { name: 'STUN server', exact: true }).inputValue(), 'stun:127.0.0.1:3478');
      assert.equal(await page.locator('#account-nat-stun-note').innerText(), 'Set by your administrator');
      for (const name of ['Use ICE', 'Relay only']) assert.equal(await network.getByRole('checkbox', { name, exact: true }).isDisabled(), true, `${name} is locked`);
      assert.equal(await network.getByLabel('TURN password', { exact: true }).isDisabled(), false, 'the TURN password is the user\'s');
      await network.getByLabel('TURN password', { exact: true }).fill('user-turn-secret');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await network.waitFor({ state: 'detached' });
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});
