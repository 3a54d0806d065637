/**
 * Desktop integration of the Electron host: tray icon and menu, missed-call badge and
 * notifications, message notifications (pages may not show their own: permissions.ts), tel:/sip:/sips:/callto: links (second instance, macOS open-url), close to tray,
 * start at login / minimised, and the "quit during a call?" question. The rules are
 * desktop-policy.ts and links.ts; this carries them out through small ports that main.ts fills
 * with Electron's objects (tests fill them with stubs, tests/unit/app/desktop.test.ts).
 */
import type { Command } from '../contract/calls.js';
import type { PhoneEvent } from '../contract/channels.js';
import type { RegistrationState, Settings } from '../contract/settings.js';
import {
  badgeFor, closeDecision, LiveCalls, loginItemSettings, quitDecision, startHidden, trayModel,
  type Platform, type TrayModel, type TrayMenuItem,
} from './desktop-policy.js';
import { overlayPng, trayIconPng } from './icons.js';
import { linkFromArgv, parseLink, type DialLink } from './links.js';
import type { MainStrings } from './strings.js';

/** Electron's Tray, as far as we use it. */
export interface TrayPort {
  setImage(png: Buffer): void;
  setToolTip(text: string): void;
  setMenu(items: TrayMenuItem[], onClick: (id: 'show' | 'dnd' | 'quit') => void): void;
  onClick(listener: () => void): void;
  destroy(): void;
}

export interface WindowPort {
  isVisible(): boolean;
  isFocused(): boolean;
  hide(): void;
  /** Windows taskbar overlay; `undefined` clears it. */
  setOverlayIcon(png: Buffer | undefined, description: string): void;
}

export interface DesktopDeps {
  platform: Platform;
  /** The launch's argv (Windows/Linux give a link as an argument). */
  argv: readonly string[];
  /** macOS: started by the login item. */
  openedAtLogin(): boolean;
  setLoginItemSettings(settings: ReturnType<typeof loginItemSettings>): void;
  setBadgeCount(count: number): void;
  strings(): MainStrings;
  /** Creates the tray icon; undefined where the desktop has none (it can throw: treated as none). */
  createTray?(png: Buffer): TrayPort;
  notify(n: { title: string; body: string; onClick(): void }): void;
  mainWindow(): WindowPort | undefined;
  showMain(): void;
  /** Events to our pages (EventForwarder.send). */
  sendToPages(event: PhoneEvent): void;
  command(command: Command): Promise<unknown>;
  /** Asks before quitting during `calls` calls; true = quit. */
  confirmQuit(calls: number): Promise<boolean>;
  quit(): void;
}

/** Tray icon sizes: 16 px at 1×, 32 px for 2× screens (Electron picks by scale factor). */
export const trayIconSize = 32;

export class Desktop {
  readonly calls = new LiveCalls();
  #settings: Settings | undefined;
  #registrations = new Map<string, RegistrationState>();
  #missed = 0;
  #tray: TrayPort | undefined;
  #trayShown = false;
  #trayState: TrayModel | undefined;
  #link: DialLink | undefined;
  #quitting = false;
  #asking = false;

  constructor(private readonly deps: DesktopDeps) {
    this.#link = linkFromArgv(deps.argv);
  }

  /** Creates the tray icon (after `ready`); false where the desktop has none. */
  start(): boolean {
    try {
      const initial = this.#model();
      this.#tray = this.deps.createTray?.(trayIconPng(trayIconSize, initial.status, false));
    } catch {
      this.#tray = undefined;
    }
    this.#trayShown = this.#tray !== undefined;
    this.#tray?.onClick(() => this.deps.showMain());
    this.#refreshTray();
    return this.#trayShown;
  }

  get trayShown(): boolean {
    return this.#trayShown;
  }

  /** Should this launch keep the window hidden (started at login, start minimised)? */
  launchHidden(settings: Pick<Settings, 'startMinimised'>): boolean {
    return startHidden({
      startMinimised: settings.startMinimised, argv: this.deps.argv, openedAtLogin: this.deps.openedAtLogin(),
      hasLink: this.#link !== undefined, trayShown: this.#trayShown, platform: this.deps.platform,
    });
  }

  onPhoneEvent(event: PhoneEvent): void {
    this.calls.apply(event);
    switch (event.type) {
      case 'settings': {
        const before = this.#settings;
        this.#settings = event.settings;
        if (!before || before.startAtLogin !== event.settings.startAtLogin || before.startMinimised !== event.settings.startMinimised) {
          this.deps.setLoginItemSettings(loginItemSettings(event.settings, this.deps.platform));
        }
        this.#refreshTray();
        break;
      }
      case 'accounts':
        this.#registrations = new Map(event.accounts.filter((a) => a.enabled).map((a) => [a.key, a.registration.state]));
        this.#refreshTray();
        break;
      case 'registration':
        if (this.#registrations.has(event.account) || event.state !== 'disabled') this.#registrations.set(event.account, event.state);
        this.#refreshTray();
        break;
      case 'missed':
        this.#missed = event.count;
        this.#refreshBadge();
        this.#refreshTray();
        break;
      case 'history-added': {
        const entry = event.entry;
        const main = this.deps.mainWindow();
        if (entry.outcome !== 'missed' || (main?.isVisible() && main.isFocused())) break;
        const s = this.deps.strings();
        const caller = entry.contact?.name ?? entry.peer.displayName ?? entry.peer.uri.replace(/^(sips?|tel):/i, '').replace(/@.*$/, '');
        this.deps.notify({
          title: s.missedCall,
          body: s.missedCallFrom(caller),
          onClick: () => {
            this.deps.showMain();
            this.deps.sendToPages({ type: 'show-view', view: 'history' });
          },
        });
        break;
      }
      case 'message': {
        const m = event.message;
        const main = this.deps.mainWindow();
        if (m.direction !== 'in' || (main?.isVisible() && main.isFocused())) break;
        const name = m.peerName?.trim() || m.peer.replace(/^sips?:/i, '').replace(/@.*$/, '');
        this.deps.notify({
          title: this.deps.strings().messageFrom(name),
          // One line, bounded: a notification is no place for a long text (the conversation has it).
          body: m.text.replace(/\s+/g, ' ').trim().slice(0, 200),
          onClick: () => {
            this.deps.showMain();
            this.deps.sendToPages({ type: 'show-view', view: 'messages', peer: m.peer });
          },
        });
        break;
      }
      default:
        break;
    }
  }

  /** A link from the OS (macOS `open-url`, or a URL argument): kept for the page, window forward. */
  openLink(raw: unknown): boolean {
    const link = parseLink(raw);
    if (!link) return false;
    this.#link = link;
    this.deps.sendToPages({ type: 'open-link' });
    this.deps.showMain();
    return true;
  }

  /** A second launch handed its argv over: its link if any, and the window comes forward either way. */
  onSecondInstance(argv: readonly string[]): void {
    const link = linkFromArgv(argv);
    if (link) {
      this.#link = link;
      this.deps.sendToPages({ type: 'open-link' });
    }
    this.deps.showMain();
  }

  /** The link waiting for the page (`links.take`): given once. */
  takeLink(): string | null {
    const link = this.#link;
    this.#link = undefined;
    return link?.target ?? null;
  }

  /** The main window's `close` event. */
  onWindowClose(event: { preventDefault(): void }): void {
    const decision = closeDecision({
      closeToTray: this.#settings?.closeToTray ?? true, trayShown: this.#trayShown, quitting: this.#quitting,
      liveCalls: this.calls.count, platform: this.deps.platform,
    });
    if (decision === 'close') return;
    event.preventDefault();
    if (decision === 'hide') this.deps.mainWindow()?.hide();
    else void this.#ask();
  }

  /** The app's `before-quit` event: during a call, ask first. */
  onBeforeQuit(event: { preventDefault(): void }): void {
    if (quitDecision(this.calls.count, this.#quitting) === 'quit') {
      this.#quitting = true;
      return;
    }
    event.preventDefault();
    void this.#ask();
  }

  /**
   * An update is about to quit and install (updater.ts): allowed only while no call exists; the
   * window then closes for real instead of hiding to the tray.
   */
  allowQuitForUpdate(): boolean {
    if (quitDecision(this.calls.count, false) !== 'quit') return false;
    this.#quitting = true;
    return true;
  }

  /** Quit chosen from the tray or a menu. */
  requestQuit(): void {
    this.deps.quit();
  }

  dispose(): void {
    this.#tray?.destroy();
    this.#tray = undefined;
  }

  async #ask(): Promise<void> {
    if (this.#asking) return;
    this.#asking = true;
    try {
      this.deps.showMain();
      if (!(await this.deps.confirmQuit(this.calls.count))) return;
      this.#quitting = true;
      this.deps.quit();
    } finally {
      this.#asking = false;
    }
  }

  #model(): TrayModel {
    return trayModel(
      { registrations: [...this.#registrations.values()], dnd: this.#settings?.dnd ?? false, missed: this.#missed },
      this.deps.strings().tray,
    );
  }

  #refreshTray(): void {
    const tray = this.#tray;
    if (!tray) return;
    const next = this.#model();
    const before = this.#trayState;
    this.#trayState = next;
    if (before && before.status === next.status && (before.missed > 0) === (next.missed > 0) && before.tooltip === next.tooltip
      && JSON.stringify(before.menu) === JSON.stringify(next.menu)) return;
    if (!before || before.status !== next.status || (before.missed > 0) !== (next.missed > 0)) {
      tray.setImage(trayIconPng(trayIconSize, next.status, next.missed > 0));
    }
    tray.setToolTip(next.tooltip);
    tray.setMenu(next.menu, (id) => {
      if (id === 'show') this.deps.showMain();
      else if (id === 'dnd') void this.deps.command({ type: 'dnd', on: !(this.#settings?.dnd ?? false) });
      else this.requestQuit();
    });
  }

  #refreshBadge(): void {
    const badge = badgeFor(this.#missed, this.deps.platform);
    this.deps.setBadgeCount(badge.count);
    if (this.deps.platform === 'win32') {
      this.deps.mainWindow()?.setOverlayIcon(badge.overlay ? overlayPng(32) : undefined, badge.overlay ? this.deps.strings().missedBadge(badge.count) : '');
    }
  }
}
