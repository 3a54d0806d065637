/**
 * The four screens of issue 7 — dialpad, incoming call, in-call, settings (and its Audio part) — in
 * English and French (chosen in Settings), light and dark (the OS colour scheme, emulated): axe-core finds no
 * accessibility violation on any of them (history, contacts, team and messages are scanned with
 * their data by history-contacts and presence-ui), and the tests leave screenshots at the app's window size
 * in docs/screenshots/ for the README. A named caller (baresip as "Claire Martin") rings in.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { startBaresip, makeToneWav, type Baresip } from '../interop/harness/index.js';
import { axeViolations, describeViolations } from './support/axe.js';
import { tr, type Lang } from './support/catalogue.js';
import { windowSize } from './support/browser.js';
import { startSession, type Session } from './support/session.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const shots = join(root, 'docs', 'screenshots');
const caller = 'Claire Martin';


let s: Session;
let b: Baresip;
before(async () => {
  s = await startSession({ users: [] });
  b = s.scope.use(await startBaresip({
    dir: s.scope.dir, user: '1010', password: 'pw1010', displayName: caller,
    registrar: { host: s.bed.kamailio.host, port: s.bed.kamailio.udpPort, transport: 'udp' },
    audioFile: makeToneWav(join(s.scope.dir, 'claire.wav'), { freqHz: 1000, seconds: 60 }),
  }));
  mkdirSync(shots, { recursive: true });
});
after(async () => { await s?.stop(); });

const schemes = ['light', 'dark'] as const;

describe('screens: accessibility and screenshots', () => {
  for (const lang of ['en', 'fr'] as const) {
    it(`${lang}: dialpad, incoming call, in-call and settings, light and dark: no axe violation; screenshots`, async (t) => {
      const pages = { light: (await s.open({ colorScheme: 'light' })).page, dark: (await s.open({ colorScheme: 'dark' })).page };
      const nav = (page: Page, key: string) => page.getByRole('navigation').getByRole('button', { name: tr(lang, `nav.${key}`), exact: true });
      const region = (page: Page) => page.getByRole('region', { name: tr(lang, 'call.region', { peer: caller }), exact: true });
      const status = (page: Page, key: string) => region(page).getByText(tr(lang, `call.status.${key}`), { exact: true }).waitFor();
      const found: string[] = [];
      const notices = new Set<string>();
      const check = async (screen: string) => {
        for (const scheme of schemes) {
          const page = pages[scheme];
          const violations = await axeViolations(page);
          if (violations.length) found.push(`${screen} (${lang}, ${scheme}):\n${describeViolations(violations)}`);
          // Transient messages (core notices) would cover the screen: read them (reported), dismiss them.
          for (const dismiss of await page.getByRole('button', { name: tr(lang, 'app.dismiss'), exact: true }).all()) {
            notices.add((await dismiss.locator('..').textContent()) ?? '');
            await dismiss.click();
          }
          await page.mouse.move(0, windowSize.height / 2); // no hover effect where the last click was
          await page.screenshot({ path: join(shots, `${screen}-${lang}-${scheme}.png`) });
        }
      };

      // The language, chosen in Settings (English names on an English page, French ones after).
      const current = (await pages.light.evaluate<string>('document.documentElement.lang')) as Lang;
      await pages.light.getByRole('navigation').getByRole('button', { name: tr(current, 'nav.settings'), exact: true }).click();
      await pages.light.getByRole('combobox', { name: tr(current, 'settings.language') }).selectOption(lang);
      for (const page of Object.values(pages)) await page.locator(`html[lang="${lang}"]`).waitFor({ state: 'attached' });
      assert.equal(await pages.dark.evaluate<boolean>("matchMedia('(prefers-color-scheme: dark)').matches"), true);

      for (const page of Object.values(pages)) await nav(page, 'settings').click();
      await check('settings');
      // Settings › Audio: devices, checks and microphone processing (issue 17), each explained.
      for (const page of Object.values(pages)) {
        await page.getByRole('heading', { name: tr(lang, 'settings.audio.processing'), exact: true }).scrollIntoViewIfNeeded();
      }
      await check('settings-audio');
      for (const page of Object.values(pages)) await nav(page, 'dialpad').click();
      await check('dialpad');

      const fromEvent = b.events().length;
      await b.dial(`sip:1001@${s.bed.domain}`);
      for (const page of Object.values(pages)) await status(page, 'ringing');
      await check('incoming');

      await region(pages.light).getByRole('button', { name: tr(lang, 'call.answer'), exact: true }).click();
      for (const page of Object.values(pages)) await status(page, 'connected');
      await b.waitForEvent('CALL_ESTABLISHED', 5000, { from: fromEvent });
      // Let the call timer, level meters and quality figures show what a live call shows.
      await region(pages.light).getByRole('timer').getByText('0:02').waitFor();
      await check('in-call');

      await region(pages.dark).getByRole('button', { name: tr(lang, 'call.hangUp'), exact: true }).click();
      for (const page of Object.values(pages)) await status(page, 'ended');
      await b.waitForEvent('CALL_CLOSED', 5000, { from: fromEvent });
      t.diagnostic(`screenshots in ${shots}; notices dismissed: ${[...notices].join(' | ') || 'none'}`);
      assert.deepEqual(found, [], `axe-core violations:\n${found.join('\n\n')}`);
    });
  }
});
