/**
 * A WebHID headset for the page: `navigator.hid` replaced before the app loads (Playwright's
 * addInitScript) by a stub whose one HIDDevice has the `collections` our parser builds from a
 * fixture's report descriptor (tests/vectors/hid). The test reads what the app sent
 * (`sendReport`) and injects input reports as if buttons were pressed.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { loadFixture } from '../../unit/headset/fixtures.js';

export interface FakeHidOptions {
  /** Fixture file in tests/vectors/hid. */
  fixture: string;
  /** false: the device is not yet granted (getDevices() is empty until requestDevice picks it). */
  granted?: boolean;
}

export interface SentReport { reportId: number; data: number[]; at: number }

/** Runs in the page (serialised by Playwright): no references to anything outside. */
function installFakeHid(arg: { device: { vendorId: number; productId: number; productName: string; collections: unknown[] }; granted: boolean }): void {
  type Listener = (e: unknown) => void;
  const sent: { reportId: number; data: number[]; at: number }[] = [];
  const inputListeners = new Set<Listener>();
  const hidListeners: Record<string, Set<Listener>> = { connect: new Set(), disconnect: new Set() };
  let granted = arg.granted;
  const device = {
    ...arg.device,
    opened: false,
    oninputreport: null as Listener | null,
    async open() { this.opened = true; },
    async close() { this.opened = false; },
    async sendReport(reportId: number, data: Uint8Array) {
      if (!this.opened) throw new DOMException('device not opened', 'InvalidStateError');
      sent.push({ reportId, data: Array.from(data), at: Date.now() });
    },
    addEventListener(type: string, fn: Listener) { if (type === 'inputreport') inputListeners.add(fn); },
    removeEventListener(type: string, fn: Listener) { if (type === 'inputreport') inputListeners.delete(fn); },
  };
  const hid = {
    async getDevices() { return granted ? [device] : []; },
    async requestDevice(options: { filters: { usagePage?: number }[] }) {
      const wanted = options.filters.some((f) => f.usagePage === undefined || device.collections.some((c) => (c as { usagePage: number }).usagePage === f.usagePage));
      if (!wanted) return [];
      granted = true;
      return [device];
    },
    addEventListener(type: string, fn: Listener) { hidListeners[type]?.add(fn); },
    removeEventListener(type: string, fn: Listener) { hidListeners[type]?.delete(fn); },
  };
  Object.defineProperty(navigator, 'hid', { value: hid, configurable: true });
  (globalThis as unknown as { __fakeHid: unknown }).__fakeHid = {
    sent,
    get opened() { return device.opened; },
    input(reportId: number, bytes: number[]) {
      if (!device.opened) return false;
      const event = { device, reportId, data: new DataView(Uint8Array.from(bytes).buffer) };
      for (const fn of inputListeners) fn(event);
      device.oninputreport?.(event);
      return true;
    },
  };
}

export async function installHeadset(context: BrowserContext, o: FakeHidOptions): Promise<void> {
  const f = loadFixture(o.fixture);
  const arg = {
    device: { vendorId: f.vendorId, productId: f.productId, productName: f.productName, collections: f.collections },
    granted: o.granted ?? true,
  };
  // tsx (esbuild keepNames) wraps inner functions in __name(): give the page a no-op one.
  await context.addInitScript({ content: `var __name = (f) => f;\n(${installFakeHid.toString()})(${JSON.stringify(arg)});` });
}

/** The headset as the test drives it. */
export const headset = {
  sent: (page: Page): Promise<SentReport[]> => page.evaluate(() => (globalThis as unknown as { __fakeHid: { sent: SentReport[] } }).__fakeHid.sent.slice()),
  opened: (page: Page): Promise<boolean> => page.evaluate(() => (globalThis as unknown as { __fakeHid: { opened: boolean } }).__fakeHid.opened),
  /** Presses: one input report (data without the report ID byte). */
  input: async (page: Page, reportId: number, data: number[]): Promise<void> => {
    const delivered = await page.evaluate(([id, bytes]) => (globalThis as unknown as { __fakeHid: { input(id: number, b: number[]): boolean } }).__fakeHid.input(id, bytes), [reportId, data] as const);
    if (!delivered) throw new Error('the app has not opened the headset');
  },
  /** Waits for an output report the app sent after `since` (ms) whose bytes satisfy `match`. */
  async waitSent(page: Page, what: string, match: (r: SentReport) => boolean, since = 0, timeoutMs = 5000): Promise<SentReport> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = (await headset.sent(page)).find((r) => r.at >= since && match(r));
      if (found) return found;
      if (Date.now() > deadline) {
        const all = (await headset.sent(page)).filter((r) => r.at >= since).map((r) => `${r.reportId}:[${r.data.join(',')}]`);
        throw new Error(`no output report ${what} within ${timeoutMs} ms; sent: ${all.join(' ') || 'nothing'}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  },
};
