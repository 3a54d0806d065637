/**
 * NAT traversal in the app (issue 13), through the UI only: Settings › Accounts › "Network (NAT
 * traversal)" filled for 1001 (STUN and TURN on a real coturn on loopback, TURN password, relay
 * only), the TURN password never coming back (not in any WebSocket frame the page receives, not in
 * the host's events or SIP trace, not in the database; only in the secret store); then a call with
 * ICE on to a second CLI with ICE on, whose card shows "Relayed (TURN over UDP)" and whose details
 * name the selected pair, checked against the pair the other CLI reports. axe-core on the form and
 * the call details, English and French, light and dark, with screenshots in docs/screenshots/.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { makeToneWav, startCoturn, type Coturn } from '../interop/harness/index.js';
import { callState, startSoftphone, type Softphone } from '../support/softphone-process.js';
import { appReady, windowSize } from './support/browser.js';
import { axeViolations, describeViolations } from './support/axe.js';
import { tr, type Lang } from './support/catalogue.js';
import { startSession, type Session } from './support/session.js';

const shots = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots');
const turnPassword = 'Nat-e2e-Turn-5ecret';

let s: Session;
let coturn: Coturn;
let peer: Softphone;
let peerPort: number;
before(async () => {
  s = await startSession({ users: [] });
  coturn = s.scope.use(await startCoturn({ dir: s.scope.dir, password: turnPassword }));
  // The other phone: our CLI listening on loopback, ICE on with coturn as its STUN server, auto-answer.
  peer = s.scope.use(startSoftphone(['listen', '--id', 'sip:callee@127.0.0.1', '--bind-address', '127.0.0.1', '--auto-answer',
    '--incoming-policy', 'any', '--play-file', makeToneWav(join(s.scope.dir, 'peer.wav'), { freqHz: 1000, seconds: 120 }),
    '--stun', `stun:127.0.0.1:${coturn.port}`, '--ice', 'on']));
  peerPort = Number((await peer.waitEvent((e) => e.event === 'ready', 'peer ready')).port);
  mkdirSync(shots, { recursive: true });
});
after(async () => { await s?.stop(); });

/** Every WebSocket frame the page receives from the host (replies, events, snapshots) and sends. */
function recordFrames(page: Page): { received: string[]; sent: string[] } {
  const frames = { received: [] as string[], sent: [] as string[] };
  page.on('websocket', (ws) => {
    ws.on('framereceived', (f) => frames.received.push(String(f.payload)));
    ws.on('framesent', (f) => frames.sent.push(String(f.payload)));
  });
  return frames;
}

const group = (page: Page, lang: Lang) => page.getByRole('group', { name: tr(lang, 'accounts.form.nat.title'), exact: true });
const natBox = (page: Page, lang: Lang, key: string) => group(page, lang).getByRole('textbox', { name: tr(lang, `accounts.form.nat.${key}`), exact: true });
const natCheck = (page: Page, lang: Lang, key: string) => group(page, lang).getByRole('checkbox', { name: tr(lang, `accounts.form.nat.${key}`), exact: true });
const natPassword = (page: Page, lang: Lang) => group(page, lang).getByLabel(tr(lang, 'accounts.form.nat.turnPassword'), { exact: true });
const navTo = (page: Page, lang: Lang, view: string) => page.getByRole('navigation').getByRole('button', { name: tr(lang, `nav.${view}`), exact: true }).click();

async function openEditor(page: Page, lang: Lang): Promise<void> {
  await navTo(page, lang, 'settings');
  const aor = `1001@${s.bed.domain}`;
  await page.getByRole('listitem').filter({ hasText: aor }).getByRole('button', { name: tr(lang, 'accounts.editAccount', { name: aor }), exact: true }).click();
  await group(page, lang).waitFor();
  // The group's title at the top of the view, a little below the header.
  await page.evaluate(`(() => {
    const el = document.querySelector('.account-form .form-group');
    el.scrollIntoView({ block: 'start' });
    let p = el.parentElement;
    while (p && p.scrollHeight <= p.clientHeight) p = p.parentElement;
    if (p) p.scrollTop -= 12;
  })()`);
}

/** axe-core on both pages, then a screenshot of each. */
async function check(pages: Record<'light' | 'dark', Page>, screen: string, lang: Lang, found: string[]): Promise<void> {
  for (const [scheme, page] of Object.entries(pages)) {
    const violations = await axeViolations(page);
    if (violations.length) found.push(`${screen} (${lang}, ${scheme}):\n${describeViolations(violations)}`);
    await page.mouse.move(0, windowSize.height / 2);
    await page.screenshot({ path: join(shots, `${screen}-${lang}-${scheme}.png`) });
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? filesUnder(join(dir, f)) : [join(dir, f)]));
}

describe('NAT traversal in the app', () => {
  it('fills Network (NAT traversal) through Settings: errors per field, then saved; the TURN password never comes back', async () => {
    const { page } = await s.open();
    const frames = recordFrames(page);
    await page.reload();
    await appReady(page);
    await openEditor(page, 'en');
    assert.equal(await natCheck(page, 'en', 'natIce').isChecked(), true, 'ICE is on by default');

    // Wrong or missing values: each field says what it needs, focus goes to the first.
    await natBox(page, 'en', 'natStun').fill('stun.example.com');
    await natBox(page, 'en', 'natTurn').fill(`turn:127.0.0.1:${coturn.port}?transport=sctp`);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    for (const key of ['natStun', 'natTurn', 'natTurnUsername']) {
      const box = natBox(page, 'en', key);
      assert.equal(await box.getAttribute('aria-invalid'), 'true', key);
      assert.equal(await page.locator(`#${await box.getAttribute('id')}-note`).innerText(), tr('en', `accounts.form.nat.errors.${key}`));
    }
    assert.equal(await natPassword(page, 'en').getAttribute('aria-invalid'), 'true', 'a TURN server needs a password');
    assert.equal(await page.evaluate<string | undefined>('document.activeElement?.id'), await natBox(page, 'en', 'natStun').getAttribute('id'), 'focus on the first wrong field');

    // Right values, typed as a keyboard user would (Tab between fields, Space on the checkbox).
    await natBox(page, 'en', 'natStun').fill(`stun:127.0.0.1:${coturn.port}`);
    await natBox(page, 'en', 'natTurn').fill(`turn:127.0.0.1:${coturn.port}?transport=udp`);
    await natBox(page, 'en', 'natTurnUsername').fill(coturn.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(turnPassword);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    assert.equal(await natCheck(page, 'en', 'natRelayOnly').isChecked(), true, 'Relay only, by keyboard');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await group(page, 'en').waitFor({ state: 'detached' });

    // Back in the editor: the settings are there, the password field is empty and says one is stored.
    await openEditor(page, 'en');
    assert.equal(await natBox(page, 'en', 'natTurn').inputValue(), `turn:127.0.0.1:${coturn.port}?transport=udp`);
    assert.equal(await natBox(page, 'en', 'natTurnUsername').inputValue(), coturn.username);
    assert.equal(await natPassword(page, 'en').inputValue(), '');
    assert.equal(await natPassword(page, 'en').getAttribute('placeholder'), 'stored');
    assert.equal(await natCheck(page, 'en', 'natRelayOnly').isChecked(), true);
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();

    assert.ok(frames.sent.some((f) => f.includes('accounts.save') && f.includes(turnPassword)), 'the frames were recorded (the save carried the password)');
    const views = frames.received.filter((f) => f.includes('hasTurnPassword'));
    assert.ok(views.at(0)?.includes('"hasTurnPassword":false'), 'before the save: no TURN password stored');
    assert.ok(views.at(-1)?.includes('"hasTurnPassword":true'), 'after it: the account says one is stored, and no more');
    assert.deepEqual(frames.received.filter((f) => f.includes(turnPassword)), [], 'no reply, event or snapshot carries the TURN password');
    assert.ok(!s.phone.process.stderr().includes(turnPassword), 'not in the host\'s log or SIP trace');
    assert.ok(!JSON.stringify(s.phone.process.events).includes(turnPassword), 'not in the host\'s events');
    const holding = filesUnder(s.phone.dataDir).filter((f) => readFileSync(f).includes(turnPassword));
    assert.deepEqual(holding.map((f) => f.slice(s.phone.dataDir.length)), ['/secrets.json'], 'only the secret store holds it');
    assert.equal(statSync(join(s.phone.dataDir, 'secrets.json')).mode & 0o777, 0o600);
  });

  it('calls a second CLI with ICE on through coturn: the card says Relayed (TURN over UDP), the details name the pair the peer used; axe and screenshots', async (t) => {
    const pages = { light: (await s.open({ colorScheme: 'light' })).page, dark: (await s.open({ colorScheme: 'dark' })).page };
    const page = pages.light;
    const frames = recordFrames(page);
    await page.reload();
    await appReady(page);
    await navTo(page, 'en', 'dialpad');
    const number = page.getByRole('textbox', { name: 'Number', exact: true });
    await number.fill(`sip:callee@127.0.0.1:${peerPort}`);
    await number.press('Enter');
    await peer.waitEvent(callState('confirmed'), 'the peer answered', 20_000);

    const card = (p: Page, lang: Lang = 'en'): Locator => p.getByRole('region', { name: tr(lang, 'call.region', { peer: 'callee' }), exact: true });
    for (const p of Object.values(pages)) {
      await card(p).getByText('Connected', { exact: true }).waitFor({ timeout: 15_000 });
      // The selected pair comes after the checks; the card polls the path every 2 s.
      await card(p).getByText(tr('en', 'call.path.kinds.relayed', { transport: 'UDP' }), { exact: true }).waitFor({ timeout: 20_000 });
      const toggle = card(p).getByRole('button', { name: tr('en', 'call.path.details'), exact: true });
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
      await toggle.focus();
      await p.keyboard.press('Enter');
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true', 'the disclosure opens from the keyboard');
    }
    const details = card(page).locator(`#${CSS_escape(await card(page).getByRole('button', { name: tr('en', 'call.path.details') }).getAttribute('aria-controls'))}`);
    const term = async (key: string) => (await details.locator('dt', { hasText: tr('en', key) }).locator('xpath=following-sibling::dd[1]').innerText()).trim();
    const local = await term('call.path.local');
    const remote = await term('call.path.remote');
    const state = await term('call.path.state');
    t.diagnostic(`call details: local ${local}, remote ${remote}, ICE ${state}`);
    assert.match(local, /^127\.0\.0\.1:\d+ \(relayed\)$/, 'our end is the TURN relay');
    assert.match(remote, /^127\.0\.0\.1:\d+ \((host|server reflexive|peer reflexive|relayed)\)$/);
    assert.ok([tr('en', 'call.path.states.connected'), tr('en', 'call.path.states.completed')].includes(state), state);
    const found: string[] = [];
    await check(pages, 'call-details', 'en', found);

    // French: the same card in the other language.
    await navTo(page, 'en', 'settings');
    await page.getByRole('combobox', { name: 'Language' }).selectOption('fr');
    for (const p of Object.values(pages)) await p.locator('html[lang="fr"]').waitFor({ state: 'attached' });
    await navTo(page, 'fr', 'dialpad');
    for (const p of Object.values(pages)) {
      await card(p, 'fr').getByText(tr('fr', 'call.path.kinds.relayed', { transport: 'UDP' }), { exact: true }).waitFor();
      const toggle = card(p, 'fr').getByRole('button', { name: tr('fr', 'call.path.details'), exact: true });
      if (await toggle.getAttribute('aria-expanded') !== 'true') await toggle.click();
      await card(p, 'fr').getByText(tr('fr', 'call.path.states.completed')).or(card(p, 'fr').getByText(tr('fr', 'call.path.states.connected'))).first().waitFor();
    }
    await check(pages, 'call-details', 'fr', found);

    // Hang up; the peer's own stats name the same pair, seen from its side.
    await card(page, 'fr').getByRole('button', { name: tr('fr', 'call.hangUp'), exact: true }).click();
    const stats = await peer.waitEvent((e) => e.event === 'stats', 'the peer\'s stats', 15_000);
    const pair = (stats.ice as { selectedPair?: { local: { address: string; port: number }; remote: { address: string; port: number } } } | undefined)?.selectedPair;
    assert.ok(pair, `the peer's stats name a selected pair: ${JSON.stringify(stats.ice)}`);
    assert.equal(local.split(' ')[0], `${pair.remote.address}:${pair.remote.port}`, 'our relayed end is the peer\'s remote');
    assert.equal(remote.split(' ')[0], `${pair.local.address}:${pair.local.port}`, 'the peer\'s end is its local');
    assert.deepEqual(frames.received.filter((f) => f.includes(turnPassword)), [], 'no call snapshot carries the TURN password');

    // The Network group in both languages and schemes (French now, then English), once the ended call is gone.
    for (const p of Object.values(pages)) await card(p, 'fr').waitFor({ state: 'detached', timeout: 15_000 });
    for (const lang of ['fr', 'en'] as const) {
      if (lang === 'en') {
        await navTo(page, 'fr', 'settings');
        await page.getByRole('combobox', { name: tr('fr', 'settings.language') }).selectOption('en');
        for (const p of Object.values(pages)) await p.locator('html[lang="en"]').waitFor({ state: 'attached' });
      }
      for (const p of Object.values(pages)) await openEditor(p, lang);
      await check(pages, 'settings-network', lang, found);
      for (const p of Object.values(pages)) await p.getByRole('button', { name: tr(lang, 'accounts.form.cancel'), exact: true }).click();
    }
    assert.deepEqual(found, [], `axe-core violations:\n${found.join('\n\n')}`);
  });
});

/** An id from React's useId (":r1:") as a CSS selector. */
function CSS_escape(id: string | null): string {
  assert.ok(id, 'the disclosure names what it controls');
  return id.replace(/[^a-zA-Z0-9_-]/g, (c) => `\\${c}`);
}
