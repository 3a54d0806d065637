/**
 * The web host lets only its own page drive the phone: a WebSocket needs the per-run token and the
 * host's exact Origin. Proven from Chromium: a page on another origin (a second server on another
 * port) that knows the token cannot connect, nor frame the app; our own origin cannot connect
 * without the token (or with a wrong one), and the app opened without it says where to go.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { testScope, type TestScope } from '../interop/harness/index.js';
import { bothOrNone, launchBrowser, openPhone } from './support/browser.js';
import { ensureRendererBuilt, startWebPhone, type WebPhone } from './support/web-phone.js';

/** A page that tries a WebSocket and reports how it went. */
const probePage = `<!doctype html><html lang="en"><title>Someone else's page</title>
<script>
window.tryWs = (url) => new Promise((resolve) => {
  const ws = new WebSocket(url);
  ws.onopen = () => { ws.close(); resolve('open'); };
  ws.onerror = () => resolve('error');
  ws.onclose = (e) => resolve('closed ' + e.code);
});
</script><body><p>Hello</p></body></html>`;

let scope: TestScope;
let phone: WebPhone;
let browser: Browser;
let foreign: Server;
let foreignOrigin: string;

before(async () => {
  ensureRendererBuilt();
  scope = testScope();
  [phone, browser] = await bothOrNone(startWebPhone(scope, { dataDir: join(scope.dir, 'data') }), launchBrowser(), scope);
  foreign = createServer((req, res) => {
    const frame = req.url?.startsWith('/frame');
    res.writeHead(200, { 'content-type': 'text/html' }).end(frame ? `<!doctype html><iframe title="phone" src="${phone.url}"></iframe>` : probePage);
  });
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  foreignOrigin = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
  scope.use({ stop: () => new Promise<void>((resolve) => foreign.close(() => resolve())) });
});
after(async () => { await scope?.cleanup(); });

const socketUrl = (token?: string) => `ws://127.0.0.1:${new URL(phone.origin).port}/ws${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`;
const tryWs = (page: Page, url: string) => page.evaluate<string>(`tryWs(${JSON.stringify(url)})`);

/** The status line the host answers a WebSocket upgrade with (raw HTTP, to see the refusal itself). */
function upgradeStatus(headers: Record<string, string>, token: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${phone.origin}/ws${token ? `?token=${encodeURIComponent(token)}` : ''}`, {
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers },
    });
    req.on('upgrade', (res, socket) => { socket.destroy(); resolve(res.statusCode ?? 0); });
    req.on('response', (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on('error', reject);
    req.end();
  });
}

describe('web host: token and Origin', () => {
  it('a page on another origin that knows the token cannot open the WebSocket (403), nor frame the app', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(foreignOrigin);
      assert.equal(await tryWs(page, socketUrl(phone.token)), 'error', 'refused from a foreign origin');
      assert.equal(await upgradeStatus({ origin: foreignOrigin }, phone.token), 403);

      // Framed, the app would run on our origin with the token: the CSP forbids any frame ancestor.
      await page.goto(`${foreignOrigin}/frame`); // resolves on 'load', after the frame's own load
      const frame = page.frames().find((f) => f !== page.mainFrame());
      assert.ok(frame, 'the frame exists');
      assert.doesNotMatch(frame.url(), new RegExp(`^${phone.origin}`), `the frame shows an error page, not the app: ${frame.url()}`);
      assert.equal(await page.frameLocator('iframe').getByRole('navigation').count(), 0, 'no phone controls in the frame');
    } finally {
      await context.close();
    }
  });

  it('our own origin without the token (or with a wrong one) is refused; with it the socket opens', async () => {
    const { page, close } = await openPhone(browser, phone.url);
    try {
      assert.equal(await tryWsFromApp(page, socketUrl()), 'error', 'no token');
      assert.equal(await tryWsFromApp(page, socketUrl('x'.repeat(phone.token.length))), 'error', 'wrong token');
      assert.equal(await tryWsFromApp(page, socketUrl(phone.token)), 'open', 'right token, right origin');
      assert.equal(await upgradeStatus({ origin: phone.origin }, undefined), 403);
      assert.equal(await upgradeStatus({}, phone.token), 403, 'no Origin at all');
    } finally {
      await close();
    }
  });

  it('the app opened without the token says how to open it and does not connect', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${phone.origin}/`);
      await page.getByText('This page must be opened from the address that “softphone web” prints (it ends with #token=…).').waitFor();
      assert.equal(await page.getByRole('navigation').count(), 0, 'no phone controls');
    } finally {
      await context.close();
    }
  });
});

/** Runs a WebSocket attempt inside the app's own page (its origin), outside the app's code. */
function tryWsFromApp(page: Page, url: string): Promise<string> {
  return page.evaluate((u) => new Promise<string>((resolve) => {
    const ws = new WebSocket(u);
    ws.onopen = () => { ws.close(); resolve('open'); };
    ws.onerror = () => resolve('error');
  }), url);
}
