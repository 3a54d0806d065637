/**
 * Auto-update rules of the Electron host, pure (updater.ts carries them out with electron-updater):
 * - the feed is the administrator's self-hosted `generic` feed (settings.updates.feedUrl, usually
 *   locked by the machine-wide configuration); https, or http on loopback only; none: no updates;
 * - channel `stable` reads latest(-mac|-linux).yml and never takes a pre-release or a downgrade;
 *   `beta` reads beta(-mac|-linux).yml and takes pre-releases (a stable release built with
 *   `generateUpdatesFilesForAllChannels` is listed there too);
 * - downloads happen in the background; the update installs (restarting the app) only when no
 *   call exists and the person is not working in the window; otherwise it waits for the last
 *   call to end or the window to lose focus, and a quit installs it anyway.
 */
import type { Settings } from '../contract/settings.js';

export interface FeedConfig {
  provider: 'generic';
  url: string;
  /** electron-updater's channel name: the feed file is `${channel}.yml` (with -mac/-linux). */
  channel: 'latest' | 'beta';
}

export interface UpdaterOptions {
  feed: FeedConfig;
  allowPrerelease: boolean;
  allowDowngrade: false;
}

const loopback = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** The feed and updater options for the settings, or why there are none. */
export function updaterOptions(updates: Settings['updates']): { ok: true; value: UpdaterOptions } | { ok: false; reason: string } {
  if (!updates.feedUrl) return { ok: false, reason: 'no update feed is configured' };
  let url: URL;
  try {
    url = new URL(updates.feedUrl);
  } catch {
    return { ok: false, reason: `the update feed is not an address: ${updates.feedUrl}` };
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback.has(url.hostname))) {
    return { ok: false, reason: `the update feed must use https: ${updates.feedUrl}` };
  }
  if (url.username || url.password || url.search || url.hash) return { ok: false, reason: 'the update feed must be a plain folder address' };
  // A folder: electron-updater resolves `latest.yml` against it.
  const folder = url.href.endsWith('/') ? url.href : `${url.href}/`;
  const beta = updates.channel === 'beta';
  return { ok: true, value: { feed: { provider: 'generic', url: folder, channel: beta ? 'beta' : 'latest' }, allowPrerelease: beta, allowDowngrade: false } };
}

export interface InstallFacts {
  /** An update was downloaded and verified. */
  downloaded: boolean;
  /** Calls that exist (ringing, dialling, up, on hold). */
  liveCalls: number;
  /** The main window is shown and focused: the person is working in it. */
  windowFocused: boolean;
}

/** May the downloaded update be installed (the app restarts) now? */
export function installDecision(f: InstallFacts): 'install' | 'wait-for-calls' | 'wait-for-idle' | 'nothing' {
  if (!f.downloaded) return 'nothing';
  if (f.liveCalls > 0) return 'wait-for-calls';
  if (f.windowFocused) return 'wait-for-idle';
  return 'install';
}

/** How often the feed is read, ms (and once at start and whenever the feed or channel changes). */
export const checkIntervalMs = 4 * 60 * 60 * 1000;
