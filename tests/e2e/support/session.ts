/**
 * One e2e test file's world: a Kamailio, baresip peers that each send their own tone (the interop
 * call-control bed), our web host registered as 1001 with its own tone, and a headless Chromium.
 * Started once per file (`before`), stopped in `after`; each test opens its own page.
 */
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { startPulse, testScope, type Pulse, type TestScope } from '../../interop/harness/index.js';
import { ourTone, startBed, tracedMessages, type Bed, type PeerUser, type TracedMessage } from '../../interop/support/call-control.js';
import { bothOrNone, launchBrowser, openPhone, phoneContext, type PageOptions, type PhonePage } from './browser.js';
import { ensureRendererBuilt, startWebPhone, type WebPhone } from './web-phone.js';

export interface Session {
  scope: TestScope;
  bed: Bed;
  phone: WebPhone;
  browser: Browser;
  /** The headless PulseAudio the phone's devices are on (with `pulse: true`). */
  pulse: Pulse | undefined;
  /** Opens the phone's URL in a new page: a fresh app (pages and contexts close with the session). */
  open(o?: PageOptions): Promise<PhonePage>;
  /**
   * After each test: ends every peer's call (a failed test must not leave one ringing into the
   * next) and closes the test's pages.
   */
  hangUpPeers(): Promise<void>;
  /** The SIP messages our host sent and received since `mark` (a length of its stderr, --sip-trace). */
  traceSince(mark: number): TracedMessage[];
  stop(): Promise<void>;
}

export interface SessionOptions {
  users: PeerUser[];
  /** Our account 1001 from flags (default true); false leaves Settings empty. */
  account?: boolean;
  /**
   * The phone on real sound devices (PortAudio) of a headless PulseAudio instead of a file
   * microphone and speaker; `prepare` runs once PulseAudio is up, before the phone starts.
   */
  pulse?: { prepare?(pulse: Pulse): void | Promise<void> };
}

export async function startSession(o: SessionOptions): Promise<Session> {
  ensureRendererBuilt();
  const scope = testScope();
  const pages: PhonePage[] = [];
  const contexts = new Map<string, Promise<BrowserContext>>();
  try {
    const bed = await startBed(scope, { users: o.users });
    const pulse = o.pulse ? scope.use(await startPulse(join(scope.dir, 'pa'))) : undefined;
    if (pulse) await o.pulse?.prepare?.(pulse);
    const [phone, browser] = await bothOrNone(
      startWebPhone(scope, {
        dataDir: join(scope.dir, 'data'), toneHz: ourTone, ...(pulse ? { systemAudio: pulse.env } : {}),
        ...(o.account === false ? {} : { account: { user: '1001', password: 'pw1001', domain: bed.domain } }),
      }),
      launchBrowser(), scope,
    );
    if (o.account !== false) await phone.process.waitEvent((e) => e.event === 'registration' && e.state === 'registered', '1001 registered');
    return {
      scope, bed, phone, browser, pulse,
      async open(po = {}) {
        // One context per colour scheme and language (making one is slow); a new page each time.
        const key = `${po.colorScheme ?? 'light'} ${po.locale ?? 'en-US'}`;
        if (!contexts.has(key)) contexts.set(key, phoneContext(browser, po));
        const p = await openPhone(browser, phone.url, po, await contexts.get(key)!);
        pages.push(p);
        return p;
      },
      async hangUpPeers() {
        for (const p of pages.splice(0)) await p.close().catch(() => {});
        for (const b of Object.values(bed.peers)) {
          for (let i = 0; i < 3 && /sip:/.test((await b.command('listcalls')).data); i++) await b.command('hangup');
        }
      },
      traceSince: (mark) => tracedMessages(phone.process.stderr().slice(mark)),
      async stop() {
        for (const p of pages) await p.close().catch(() => {});
        for (const c of contexts.values()) await (await c).close().catch(() => {});
        await scope.cleanup();
      },
    };
  } catch (e) {
    await scope.cleanup();
    throw e;
  }
}
