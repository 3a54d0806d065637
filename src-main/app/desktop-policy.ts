/**
 * The desktop rules of the Electron host as pure functions (table-tested; desktop.ts carries
 * them out with Electron's objects):
 * - closing the window hides it to the tray when `closeToTray` is on and a tray icon exists
 *   (macOS: the app stays in the Dock anyway); otherwise it closes — asking first during a call;
 * - quitting during a call asks first (a phone that quits drops the call);
 * - start at login registers the login item; start minimised keeps the window hidden when the
 *   app was started at login (never when a person or a link started it);
 * - the badge shows missed calls not yet seen (Dock / Unity count, Windows taskbar overlay);
 * - the tray icon shows registration, do not disturb and missed calls, with Show, DND, Quit.
 */
import type { CallSnapshot } from '../contract/calls.js';
import type { PhoneEvent } from '../contract/channels.js';
import type { RegistrationState } from '../contract/settings.js';

export type Platform = 'darwin' | 'win32' | 'linux' | string;

export interface CloseFacts {
  closeToTray: boolean;
  /** A tray icon is shown (Linux desktops without a status area have none). */
  trayShown: boolean;
  /** The user chose Quit (menu, tray, Cmd+Q): the window closes for real. */
  quitting: boolean;
  liveCalls: number;
  platform: Platform;
}

/** What closing the main window does. */
export function closeDecision(f: CloseFacts): 'hide' | 'close' | 'ask' {
  if (f.quitting) return 'close';
  if (f.closeToTray && (f.trayShown || f.platform === 'darwin')) return 'hide';
  // macOS keeps running without a window (Dock); elsewhere closing the window quits.
  if (f.platform === 'darwin') return 'close';
  return f.liveCalls > 0 ? 'ask' : 'close';
}

/** What a quit request does: during a call, ask (unless the user already confirmed). */
export function quitDecision(liveCalls: number, confirmed: boolean): 'quit' | 'ask' {
  return liveCalls > 0 && !confirmed ? 'ask' : 'quit';
}

/** Argument the login item starts us with when we should stay in the tray. */
export const hiddenArg = '--hidden';

/** `app.setLoginItemSettings` for the settings (Windows reads `args`; macOS `openAsHidden`). */
export function loginItemSettings(s: { startAtLogin: boolean; startMinimised: boolean }, platform: Platform): {
  openAtLogin: boolean; openAsHidden?: boolean; args?: string[];
} {
  if (platform === 'darwin') return { openAtLogin: s.startAtLogin, openAsHidden: s.startAtLogin && s.startMinimised };
  return { openAtLogin: s.startAtLogin, args: s.startAtLogin && s.startMinimised ? [hiddenArg] : [] };
}

/** Does this launch keep the window hidden? Only a login start with start minimised, and only with a way back (tray or Dock). */
export function startHidden(f: {
  startMinimised: boolean; argv: readonly string[]; openedAtLogin: boolean; hasLink: boolean; trayShown: boolean; platform: Platform;
}): boolean {
  if (f.hasLink || !f.startMinimised) return false;
  if (!(f.trayShown || f.platform === 'darwin')) return false;
  return f.argv.includes(hiddenArg) || f.openedAtLogin;
}

/** The missed-call badge. */
export function badgeFor(missed: number, platform: Platform): { count: number; overlay: boolean } {
  const count = Math.max(0, Math.min(Math.floor(missed), 999));
  // Windows has no numeric taskbar badge: an overlay icon (its description says the count).
  return { count, overlay: platform === 'win32' && count > 0 };
}

export type TrayStatus = 'registered' | 'dnd' | 'offline';

export interface TrayStrings {
  appName: string;
  show: string;
  dnd: string;
  quit: string;
  status: Record<TrayStatus, string>;
  missed(count: number): string;
}

export type TrayMenuItem =
  | { id: 'show' | 'quit'; label: string }
  | { id: 'dnd'; label: string; checked: boolean }
  | { id: 'separator' };

export interface TrayModel {
  status: TrayStatus;
  missed: number;
  tooltip: string;
  menu: TrayMenuItem[];
}

/** Registered when any enabled account is; DND wins over both. */
export function trayStatus(registrations: readonly RegistrationState[], dnd: boolean): TrayStatus {
  if (dnd) return 'dnd';
  return registrations.includes('registered') ? 'registered' : 'offline';
}

export function trayModel(f: { registrations: readonly RegistrationState[]; dnd: boolean; missed: number }, s: TrayStrings): TrayModel {
  const status = trayStatus(f.registrations, f.dnd);
  const lines = [s.appName, s.status[status], ...(f.missed > 0 ? [s.missed(f.missed)] : [])];
  return {
    status,
    missed: f.missed,
    tooltip: lines.join('\n'),
    menu: [{ id: 'show', label: s.show }, { id: 'dnd', label: s.dnd, checked: f.dnd }, { id: 'separator' }, { id: 'quit', label: s.quit }],
  };
}

/** The calls in progress, followed from the phone's events (what the quit guard counts). */
export class LiveCalls {
  readonly #calls = new Map<string, CallSnapshot>();

  apply(event: PhoneEvent): void {
    if (event.type === 'calls') {
      this.#calls.clear();
      for (const c of event.state.calls) if (c.state !== 'ended') this.#calls.set(c.id, c);
    } else if (event.type === 'call') {
      if (event.call.state === 'ended') this.#calls.delete(event.call.id);
      else this.#calls.set(event.call.id, event.call);
    }
  }

  get count(): number {
    return this.#calls.size;
  }
}
