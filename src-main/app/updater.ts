/**
 * Auto-update through electron-updater (update-policy.ts has the rules): the feed and channel
 * follow the settings, the feed is read at start, on a change and every few hours, downloads run
 * in the background, and a downloaded update is installed only when no call exists (never with a
 * call up: the Desktop's quit guard is asked first, and refuses during a call). main.ts hands in
 * electron-updater's `autoUpdater`; tests hand in a stub (tests/unit/app/updater.test.ts).
 */
import type { Settings } from '../contract/settings.js';
import { checkIntervalMs, installDecision, updaterOptions, type FeedConfig } from './update-policy.js';

/** electron-updater's AppUpdater, as far as we use it. */
export interface AutoUpdaterPort {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  allowPrerelease: boolean;
  allowDowngrade: boolean;
  channel: string | null;
  setFeedURL(options: FeedConfig): void;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface UpdaterDeps {
  updater: AutoUpdaterPort;
  liveCalls(): number;
  windowFocused(): boolean;
  /**
   * Marks the coming quit as chosen so that closing the window does not just hide it to the
   * tray; false (nothing changes) when a call exists (Desktop.allowQuitForUpdate).
   */
  allowQuit(): boolean;
  notice(message: string): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(timer: unknown): void;
}

export class Updater {
  #feedKey: string | undefined;
  #timer: unknown;
  #downloaded: string | undefined;
  #installing = false;

  constructor(private readonly deps: UpdaterDeps) {
    const u = deps.updater;
    u.autoDownload = true;
    // A quit the user confirmed installs what was downloaded (the quit guard asks during a call).
    u.autoInstallOnAppQuit = true;
    u.on('update-downloaded', (info) => {
      this.#downloaded = info.version;
      this.maybeInstall();
    });
    u.on('error', (e) => deps.notice(`update: ${e.message}`));
  }

  /** The settings (at start and on every change): a new feed or channel is read at once. */
  configure(updates: Settings['updates']): void {
    const options = updaterOptions(updates);
    const key = options.ok ? JSON.stringify(options.value) : undefined;
    if (key === this.#feedKey) return;
    this.#feedKey = key;
    this.#stopTimer();
    if (!options.ok) return;
    const u = this.deps.updater;
    const { feed, allowPrerelease } = options.value;
    u.setFeedURL(feed);
    // Setting `channel` turns downgrades on inside electron-updater: set it first, then our rules.
    u.channel = feed.channel;
    u.allowPrerelease = allowPrerelease;
    u.allowDowngrade = false;
    this.#check();
    this.#timer = this.deps.setInterval(() => this.#check(), checkIntervalMs);
  }

  /** The version waiting to be installed. */
  get downloaded(): string | undefined {
    return this.#downloaded;
  }

  /** Calls changed or the window lost focus: install if the update waits and nothing stands in the way. */
  maybeInstall(): boolean {
    if (this.#installing) return false;
    const decision = installDecision({ downloaded: this.#downloaded !== undefined, liveCalls: this.deps.liveCalls(), windowFocused: this.deps.windowFocused() });
    if (decision !== 'install' || !this.deps.allowQuit()) return false;
    this.#installing = true;
    this.#stopTimer();
    // Silent (no installer pages) and started again afterwards.
    this.deps.updater.quitAndInstall(true, true);
    return true;
  }

  dispose(): void {
    this.#stopTimer();
  }

  #check(): void {
    this.deps.updater.checkForUpdates().catch((e: unknown) => this.deps.notice(`update: ${(e as Error).message}`));
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) this.deps.clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
