/**
 * Debian's Chromium driven by playwright-core, headless, one browser per test file and a fresh
 * context (cookies, storage, colour scheme, locale) per page. The window is the app's size.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { TestScope } from '../../interop/harness/index.js';

export const chromiumPath = '/usr/bin/chromium';
/** The Electron window's default size (src-main/app/windows.ts). */
export const windowSize = { width: 420, height: 720 };

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} not found: install the Debian package 'chromium' (see .ci/run)`);
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

export interface PageOptions {
  colorScheme?: 'light' | 'dark';
  /** The browser's (the "OS") language, e.g. 'en-US' or 'fr-FR'. */
  locale?: string;
}

export interface PhonePage {
  page: Page;
  context: BrowserContext;
  /** Errors the page threw or logged, for assertions and failure messages. */
  errors: string[];
  close(): Promise<void>;
}

/** A browser context at the app's window size with this colour scheme and language. */
export async function phoneContext(browser: Browser, o: PageOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: windowSize,
    deviceScaleFactor: 1,
    colorScheme: o.colorScheme ?? 'light',
    locale: o.locale ?? 'en-US',
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(10_000);
  // Loading the page is the one step a busy machine slows down most.
  context.setDefaultNavigationTimeout(30_000);
  return context;
}

/**
 * Opens `url` in a new page (of `context`, or of a new context) and waits until the app has read
 * its state from the core. A page is a fresh app; `close` closes the page (and a context it made).
 */
export async function openPhone(browser: Browser, url: string, o: PageOptions = {}, context?: BrowserContext): Promise<PhonePage> {
  const ctx = context ?? await phoneContext(browser, o);
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('response', (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.url()}`); });
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  try {
    await appReady(page);
  } catch (e) {
    const body = await page.locator('body').innerText().catch(() => '?');
    throw new Error(`the app did not start: page errors ${JSON.stringify(errors)}; page text ${JSON.stringify(body.slice(0, 300))}`, { cause: e });
  }
  return { page, context: ctx, errors, close: () => (context ? page.close() : ctx.close()) };
}

/** The app is connected and synced: its main navigation is shown and no "Connecting" banner. */
export async function appReady(page: Page): Promise<void> {
  await page.getByRole('navigation').getByRole('button').first().waitFor({ timeout: 20_000 });
  await page.getByText(/Connecting to the phone|Connexion au téléphone/).waitFor({ state: 'hidden', timeout: 20_000 });
}

/**
 * Starts the phone and the browser side by side; the browser is closed with the scope even when
 * the phone fails to start (an open browser would keep the test process alive).
 */
export async function bothOrNone<T>(phone: Promise<T>, browser: Promise<Browser>, scope: TestScope): Promise<[T, Browser]> {
  const [p, b] = await Promise.allSettled([phone, browser]);
  if (b.status === 'fulfilled') scope.use({ stop: () => b.value.close() });
  if (p.status === 'rejected') throw p.reason;
  if (b.status === 'rejected') throw b.reason;
  return [p.value, b.value];
}
