/**
 * Every web contents the app creates is locked to the page it loaded: no navigation, no
 * redirects, no new windows, no <webview>. A link that asks for a new window opens in the
 * system browser when it is a plain https URL; nothing else leaves the app.
 */

/** Longest URL handed to the system browser. */
const maxExternalUrlLength = 2048;

/** The https URL to open externally, normalised, or undefined when it must not be opened. */
export function safeExternalUrl(raw: string): string | undefined {
  if (typeof raw !== 'string' || raw.length > maxExternalUrlLength) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.hostname === '' || url.username !== '' || url.password !== '') return undefined;
  return url.href;
}

/** The parts of Electron's `WebContents` this module sets. */
export interface HardenableContents {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  on(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview' | 'will-frame-navigate', listener: (event: { preventDefault(): void }) => void): unknown;
}

export function hardenWebContents(contents: HardenableContents, openExternal: (url: string) => Promise<void>): void {
  contents.setWindowOpenHandler(({ url }) => {
    const external = safeExternalUrl(url);
    if (external) void openExternal(external).catch(() => undefined);
    return { action: 'deny' };
  });
  // Hash routes (`#/incoming`) are in-page navigations, which raise none of these.
  for (const event of ['will-navigate', 'will-redirect', 'will-frame-navigate', 'will-attach-webview'] as const) {
    contents.on(event, (e) => e.preventDefault());
  }
}
