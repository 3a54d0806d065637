/**
 * One e2e test file's world: a Kamailio, baresip peers that each send their own tone (the interop
 * call-control bed), our web host registered as 1001 with its own tone, and a headless Chromium.
 * Started once per file (`before`), stopped in `after`; each test opens its own page.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { testScope, type TestScope } from '../../interop/harness/index.js';
import { ourTone, startBed, type Bed, type PeerUser } from '../../interop/support/call-control.js';
import { bothOrNone, launchBrowser, openPhone, type PageOptions, type PhonePage } from './browser.js';
import { ensureRendererBuilt, startWebPhone, type WebPhone } from './web-phone.js';

export interface Session {
  scope: TestScope;
  bed: Bed;
  phone: WebPhone;
  browser: Browser;
  /** Opens the phone's URL in a fresh browser context (closed when the session stops). */
  open(o?: PageOptions): Promise<PhonePage>;
  /** Ends every peer's call (a failed test must not leave one ringing into the next). */
  hangUpPeers(): Promise<void>;
  stop(): Promise<void>;
}

export interface SessionOptions {
  users: PeerUser[];
  /** Our account 1001 from flags (default true); false leaves Settings empty. */
  account?: boolean;
}

export async function startSession(o: SessionOptions): Promise<Session> {
  ensureRendererBuilt();
  const scope = testScope();
  const pages: PhonePage[] = [];
  try {
    const bed = await startBed(scope, { users: o.users });
    const [phone, browser] = await bothOrNone(
      startWebPhone(scope, {
        dataDir: join(scope.dir, 'data'), toneHz: ourTone,
        ...(o.account === false ? {} : { account: { user: '1001', password: 'pw1001', domain: bed.domain } }),
      }),
      launchBrowser(), scope,
    );
    if (o.account !== false) await phone.process.waitEvent((e) => e.event === 'registration' && e.state === 'registered', '1001 registered');
    return {
      scope, bed, phone, browser,
      async open(po) {
        const p = await openPhone(browser, phone.url, po);
        pages.push(p);
        return p;
      },
      async hangUpPeers() {
        for (const b of Object.values(bed.peers)) {
          for (let i = 0; i < 3 && /sip:/.test((await b.command('listcalls')).data); i++) await b.command('hangup');
        }
      },
      async stop() {
        for (const p of pages) await p.close().catch(() => {});
        await scope.cleanup();
      },
    };
  } catch (e) {
    await scope.cleanup();
    throw e;
  }
}
