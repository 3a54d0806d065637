/**
 * Issue 9, "proven by tests": a 10,000-contact vCard file and an Outlook CSV export in
 * Windows-1252 with accents, both chosen through the Contacts screen's Import button of the real UI
 * (web host, Chromium); searching `dupont` and `0612` lists exactly the contacts the files hold;
 * baresip calling through Kamailio from a contact's number shows the contact's name.
 * The files are generated here from a seed (nothing large is committed).
 */
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startSession, type Session } from './support/session.js';
import { button, callRegion, nav, waitForStatus, waitNoCalls } from './support/ui.js';
import { contactFixtures, type FixtureContact } from './support/contact-fixtures.js';

let s: Session;
before(async () => { s = await startSession({ users: ['1010'] }); });
after(async () => { await s?.stop(); });
afterEach(async () => { await s.hangUpPeers(); });

/** Chooses `file` through the Import button (the browser's file chooser) and waits for the preview. */
async function pickFile(page: Page, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), button(page, 'Import').click()]);
  await chooser.setFiles(file);
  await page.getByRole('dialog', { name: `Import ${file.name}` }).waitFor({ timeout: 30_000 });
}

/** The names of the contacts listed now (the Edit buttons' descriptions), sorted, once they are `want`. */
async function waitListed(page: Page, want: string[], what: string, timeoutMs = 20_000): Promise<void> {
  const edit = page.getByRole('button', { name: 'Edit', exact: true });
  const deadline = Date.now() + timeoutMs;
  let got: string[] = [];
  while (Date.now() < deadline) {
    got = (await edit.evaluateAll((els) => els.map((el) => (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean)
      .map((id: string) => el.ownerDocument.getElementById(id)?.textContent ?? '').join(' ').trim()))).sort();
    if (JSON.stringify(got) === JSON.stringify(want)) return;
    await page.waitForTimeout(100);
  }
  assert.deepEqual(got, want, what);
}

const names = (list: FixtureContact[]) => list.map((c) => c.name).sort();

/** Records every progress text ("N of M rows read…") the page shows, however briefly. */
async function watchProgress(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    window.__progressSeen = [];
    const look = () => {
      for (const el of document.querySelectorAll('dialog p, [role="dialog"] p')) {
        const text = (el.textContent || '').trim();
        if (/rows read/.test(text) && window.__progressSeen.at(-1) !== text) window.__progressSeen.push(text);
      }
    };
    new MutationObserver(look).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
}

/** The progress texts seen since the last call. */
const progressSeen = (page: Page): Promise<string[]> => page.evaluate<string[]>('window.__progressSeen.splice(0)');

describe('contact import through the real UI', () => {
  it('10,000 vCards and a Windows-1252 CSV through Import; dupont and 0612 find the right rows; a call from a contact shows its name', async (t) => {
    const f = contactFixtures({ seed: 9, vcards: 10_000, callerUser: '1010' });
    const { page } = await s.open();
    await nav(page, 'Contacts').click();
    const search = page.getByRole('searchbox', { name: 'Search contacts' });
    await search.waitFor();

    // The vCard file: the preview (a dry run) reads every card with its progress shown, then the
    // import stores what the preview read ("Saving the contacts…") and reports.
    await watchProgress(page);
    let started = Date.now();
    await pickFile(page, { name: 'team.vcf', mimeType: 'text/vcard', buffer: f.vcard });
    const dialog = page.getByRole('dialog', { name: 'Import team.vcf' });
    await dialog.getByText(/^10,?000 contacts will be imported\./).waitFor({ timeout: 120_000 });
    t.diagnostic(`preview of 10,000 vCards in ${Date.now() - started} ms (file chosen to figures shown)`);
    const previewSeen = await progressSeen(page);
    assert.ok(previewSeen.some((text) => /^\d+ of 10000 rows read$/.test(text) && !text.startsWith('10000 ')),
      `the preview showed rows being read: ${JSON.stringify(previewSeen)}`);
    started = Date.now();
    await button(dialog, 'Import').click();
    await dialog.getByText(/^10,?000 contacts? imported\./).waitFor({ timeout: 120_000 });
    t.diagnostic(`10,000 vCards imported in ${Date.now() - started} ms (Import clicked to report shown)`);
    const importSeen = await progressSeen(page);
    assert.ok(importSeen.includes('10000 of 10000 rows read · Saving the contacts…'), `the import said it was saving: ${JSON.stringify(importSeen)}`);
    await button(dialog, 'Close').click();
    await dialog.waitFor({ state: 'detached' });

    // The CSV (Outlook, French headers, ';', Windows-1252): the preview says which encoding it read.
    await pickFile(page, { name: 'outlook.csv', mimeType: 'text/csv', buffer: f.csv });
    const csvDialog = page.getByRole('dialog', { name: 'Import outlook.csv' });
    await csvDialog.getByText('The file is in the Windows (ANSI) encoding; accents are read accordingly.').waitFor({ timeout: 60_000 });
    await csvDialog.getByText(new RegExp(`^${f.csvRows.length} contacts will be imported\\.`)).waitFor({ timeout: 60_000 });
    started = Date.now();
    await button(csvDialog, 'Import').click();
    await csvDialog.getByText(new RegExp(`^${f.csvRows.length} contacts imported\\.`)).waitFor({ timeout: 60_000 });
    t.diagnostic(`${f.csvRows.length} CSV rows imported in ${Date.now() - started} ms`);
    await button(csvDialog, 'Close').click();

    await search.fill('dupont');
    await waitListed(page, names(f.matching('dupont')), 'contacts found by "dupont" (vCard and CSV, accents read)');
    assert.ok(f.matching('dupont').some((c) => c.fromCsv && /[éèçï]/.test(c.name)), 'the CSV gives an accented Dupont');
    await search.fill('0612');
    await waitListed(page, names(f.matching('0612')), 'contacts found by "0612" (national digits of +33 6 12 …)');
    assert.ok(f.matching('0612').some((c) => c.numbers.some((n) => n.startsWith('+33 6 12'))), 'an international number is found by its national digits');
    await search.fill('');

    // baresip 1010 calls us through Kamailio: the ringing call is named after the contact.
    const caller = f.caller;
    await s.bed.peers['1010']!.dial(`sip:1001@${s.bed.domain}`);
    await waitForStatus(page, caller.name, 'Ringing', 20_000);
    await button(callRegion(page, caller.name), 'Decline').click();
    await waitNoCalls(page, 30_000);
  });
});
