/**
 * The phone as a screen-reader user meets it: controls found by role and accessible name only
 * (the names issue 7 lists), each call a region "Call with <peer>" with one status word.
 */
import type { Locator, Page } from 'playwright-core';

export type CallStatus = 'Calling' | 'Ringing' | 'Connected' | 'On hold' | 'Held by remote' | 'Transferring' | 'Conference' | 'Ended';

/** The main navigation's entry (Dialpad, History, Contacts, Settings). */
export const nav = (page: Page, name: string): Locator =>
  page.getByRole('navigation').getByRole('button', { name, exact: true });

export const button = (scope: Page | Locator, name: string): Locator => scope.getByRole('button', { name, exact: true });

/** The region of the call with `peer` (display name or number). */
export const callRegion = (page: Page, peer: string): Locator => page.getByRole('region', { name: `Call with ${peer}`, exact: true });

/** Waits until the call with `peer` shows `status`; returns its region. */
export async function waitForStatus(page: Page, peer: string, status: CallStatus, timeoutMs = 10_000): Promise<Locator> {
  const region = callRegion(page, peer);
  try {
    await region.getByText(status, { exact: true }).waitFor({ timeout: timeoutMs });
  } catch (e) {
    const shown = await Promise.all((await page.getByRole('region').all()).map(async (r) => `${await r.getAttribute('aria-label')}: ${await r.textContent()}`));
    throw new Error(`"Call with ${peer}" did not show ${status} within ${timeoutMs} ms; regions: ${JSON.stringify(shown)}`, { cause: e });
  }
  return region;
}

/** Types `digits` into the Number field and presses Enter (the dialpad's way to call). */
export async function dial(page: Page, digits: string): Promise<void> {
  const number = page.getByRole('textbox', { name: 'Number', exact: true });
  await number.click();
  await page.keyboard.type(digits);
  await page.keyboard.press('Enter');
}

/** Waits until no call region is left on screen (ended lines linger a few seconds, then go). */
export async function waitNoCalls(page: Page, timeoutMs = 15_000): Promise<void> {
  await page.getByRole('region', { name: /^Call with / }).first().waitFor({ state: 'detached', timeout: timeoutMs });
}
