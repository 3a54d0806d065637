/**
 * Desktop integration with stubbed Electron ports: links handed over by a second instance or
 * macOS open-url (kept for the page, never dialled), close to tray, the quit question during a
 * call, login items, the missed-call badge and notification, the tray's icon, tooltip and menu;
 * and the pure rules behind them (desktop-policy.ts).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import type { Command } from '../../../src-main/contract/calls.js';
import type { PhoneEvent } from '../../../src-main/contract/channels.js';
import { defaultAppSettings, type AccountView, type Settings } from '../../../src-main/contract/settings.js';
import { Desktop, type DesktopDeps, type TrayPort } from '../../../src-main/app/desktop.js';
import {
  badgeFor, closeDecision, hiddenArg, loginItemSettings, quitDecision, startHidden, trayModel, trayStatus,
} from '../../../src-main/app/desktop-policy.js';
import { appIconPixels, encodePng, trayIconPixels } from '../../../src-main/app/icons.js';
import { mainStrings } from '../../../src-main/app/strings.js';
import { snapshot } from '../renderer/support.js';

function stubs(over: Partial<DesktopDeps> = {}) {
  const log: string[] = [];
  const sent: PhoneEvent[] = [];
  const commands: Command[] = [];
  const notes: { title: string; body: string; onClick(): void }[] = [];
  const tray = { image: 0, tooltip: '', menu: [] as { id: string; label?: string; checked?: boolean }[], click: undefined as undefined | ((id: 'show' | 'dnd' | 'quit') => void), onClick: undefined as undefined | (() => void) };
  const window = { visible: true, focused: false, hidden: 0, overlay: [] as string[] };
  let confirm = true;
  const deps: DesktopDeps = {
    platform: 'linux',
    argv: ['/opt/Nimbus Phone/nimbus-phone'],
    openedAtLogin: () => false,
    setLoginItemSettings: (s) => void log.push(`login ${JSON.stringify(s)}`),
    setBadgeCount: (n) => void log.push(`badge ${n}`),
    strings: () => mainStrings('en', []),
    createTray: (): TrayPort => ({
      setImage: () => void tray.image++,
      setToolTip: (t) => void (tray.tooltip = t),
      setMenu: (items, onClick) => { tray.menu = items; tray.click = onClick; },
      onClick: (fn) => void (tray.onClick = fn),
      destroy: () => void log.push('tray destroyed'),
    }),
    notify: (n) => void notes.push(n),
    mainWindow: () => ({
      isVisible: () => window.visible, isFocused: () => window.focused, hide: () => void window.hidden++,
      setOverlayIcon: (png, description) => void window.overlay.push(png ? `icon: ${description}` : 'cleared'),
    }),
    showMain: () => void log.push('show'),
    sendToPages: (e) => void sent.push(e),
    command: async (c) => void commands.push(c),
    confirmQuit: async (n) => { log.push(`ask ${n}`); return confirm; },
    quit: () => void log.push('quit'),
    ...over,
  };
  const desktop = new Desktop(deps);
  return { desktop, log, sent, commands, notes, tray, window, setConfirm: (c: boolean) => void (confirm = c) };
}

const settings = (over: Partial<Settings> = {}): PhoneEvent => ({ type: 'settings', settings: { ...defaultAppSettings, ...over } });
const prevented = () => {
  const e = { prevented: false, preventDefault() { e.prevented = true; } };
  return e;
};
const tick = () => new Promise((r) => setImmediate(r));

describe('desktop: links from the OS never dial by themselves', () => {
  it('a second instance with a tel: link: the page is told a link waits, the window comes forward, nothing is dialled', () => {
    const s = stubs();
    s.desktop.onSecondInstance(['nimbus-phone', '--flag', 'tel:+33-1-23-45-67-89']);
    assert.deepEqual(s.sent, [{ type: 'open-link' }]);
    assert.deepEqual(s.log, ['show']);
    assert.deepEqual(s.commands, [], 'no dial');
    assert.equal(s.desktop.takeLink(), '+33123456789');
    assert.equal(s.desktop.takeLink(), null, 'given once');
  });

  it('a second plain launch only brings the window forward', () => {
    const s = stubs();
    s.desktop.onSecondInstance(['nimbus-phone']);
    assert.deepEqual(s.sent, []);
    assert.deepEqual(s.log, ['show']);
  });

  it('macOS open-url: a sip: link is kept without its headers; a bad link is ignored', () => {
    const s = stubs({ platform: 'darwin' });
    assert.equal(s.desktop.openLink('sip:alice@example.com?Replaces=x'), true);
    assert.equal(s.desktop.takeLink(), 'sip:alice@example.com');
    assert.equal(s.desktop.openLink('javascript:alert(1)'), false);
    assert.equal(s.desktop.takeLink(), null);
  });

  it('a link the app was started with waits for the page, and such a launch is never hidden', () => {
    const s = stubs({ argv: ['nimbus-phone', hiddenArg, 'callto:+441234'] });
    s.desktop.start();
    assert.equal(s.desktop.launchHidden({ startMinimised: true }), false);
    assert.equal(s.desktop.takeLink(), '+441234');
  });
});

describe('desktop: closing, quitting, starting', () => {
  it('closing the window hides it to the tray (close to tray on, tray shown)', () => {
    const s = stubs();
    s.desktop.start();
    s.desktop.onPhoneEvent(settings({ closeToTray: true }));
    const e = prevented();
    s.desktop.onWindowClose(e);
    assert.equal(e.prevented, true);
    assert.equal(s.window.hidden, 1);
  });

  it('with close to tray off, closing during a call asks; Cancel keeps everything', async () => {
    const s = stubs();
    s.desktop.start();
    s.desktop.onPhoneEvent(settings({ closeToTray: false }));
    s.desktop.onPhoneEvent({ type: 'call', call: snapshot({ id: 'a' }) });
    s.setConfirm(false);
    const e = prevented();
    s.desktop.onWindowClose(e);
    await tick();
    assert.equal(e.prevented, true);
    assert.deepEqual(s.log.filter((l) => l.startsWith('ask') || l === 'quit'), ['ask 1']);
  });

  it('quitting during a call asks; confirming quits for real and the next before-quit passes', async () => {
    const s = stubs();
    s.desktop.onPhoneEvent({ type: 'calls', state: { calls: [snapshot({ id: 'a' }), snapshot({ id: 'b', state: 'held' })], muted: false, dnd: false } });
    const first = prevented();
    s.desktop.onBeforeQuit(first);
    await tick();
    assert.equal(first.prevented, true);
    assert.deepEqual(s.log.filter((l) => l.startsWith('ask') || l === 'quit'), ['ask 2', 'quit']);
    const second = prevented();
    s.desktop.onBeforeQuit(second);
    assert.equal(second.prevented, false);
  });

  it('quitting with no call does not ask; an ended call no longer counts', () => {
    const s = stubs();
    s.desktop.onPhoneEvent({ type: 'call', call: snapshot({ id: 'a' }) });
    s.desktop.onPhoneEvent({ type: 'call', call: snapshot({ id: 'a', state: 'ended' }) });
    const e = prevented();
    s.desktop.onBeforeQuit(e);
    assert.equal(e.prevented, false);
  });

  it('start at login follows the settings (registered again only when they change)', () => {
    const s = stubs({ platform: 'win32' });
    s.desktop.onPhoneEvent(settings());
    s.desktop.onPhoneEvent(settings({ startAtLogin: true, startMinimised: true }));
    s.desktop.onPhoneEvent(settings({ startAtLogin: true, startMinimised: true, dnd: true }));
    assert.deepEqual(s.log.filter((l) => l.startsWith('login')), [
      'login {"openAtLogin":false,"args":[]}',
      'login {"openAtLogin":true,"args":["--hidden"]}',
    ]);
  });

  it('start minimised: hidden when the login item started us, shown when a person did', () => {
    const atLogin = stubs({ argv: ['nimbus-phone', hiddenArg] });
    atLogin.desktop.start();
    assert.equal(atLogin.desktop.launchHidden({ startMinimised: true }), true);
    const byHand = stubs();
    byHand.desktop.start();
    assert.equal(byHand.desktop.launchHidden({ startMinimised: true }), false);
    const noTray = stubs({ argv: ['nimbus-phone', hiddenArg], createTray: () => { throw new Error('no status area'); } });
    assert.equal(noTray.desktop.start(), false);
    assert.equal(noTray.desktop.launchHidden({ startMinimised: true }), false, 'no way back without a tray');
  });
});

describe('desktop: tray, badge, notifications', () => {
  const account = (key: string, state: AccountView['registration']['state']): AccountView => ({
    ...({} as AccountView), key, aor: `sip:${key}@pbx.example.com`, enabled: true, registration: { state, reason: undefined, status: undefined },
  });

  it('the tray shows registration, DND and missed calls; its menu shows the window, toggles DND, quits', async () => {
    const s = stubs();
    s.desktop.start();
    assert.match(s.tray.tooltip, /Not connected/);
    s.desktop.onPhoneEvent({ type: 'accounts', accounts: [account('a1', 'registering')] });
    s.desktop.onPhoneEvent({ type: 'registration', account: 'a1', state: 'registered', reason: undefined, status: 200, expires: 600 });
    assert.equal(s.tray.tooltip, 'Nimbus Phone\nReady for calls');
    s.desktop.onPhoneEvent({ type: 'missed', count: 2 });
    assert.equal(s.tray.tooltip, 'Nimbus Phone\nReady for calls\n2 missed calls');
    s.desktop.onPhoneEvent(settings({ dnd: true }));
    assert.match(s.tray.tooltip, /Do not disturb/);
    assert.deepEqual(s.tray.menu.map((m) => m.id), ['show', 'dnd', 'separator', 'quit']);
    assert.equal(s.tray.menu.find((m) => m.id === 'dnd')!.checked, true);
    s.tray.click!('dnd');
    await tick();
    assert.deepEqual(s.commands, [{ type: 'dnd', on: false }]);
    s.tray.click!('show');
    s.tray.onClick!();
    s.tray.click!('quit');
    assert.deepEqual(s.log.filter((l) => l === 'show' || l === 'quit'), ['show', 'show', 'quit']);
  });

  it('missed calls: Dock/Unity badge count, and the Windows overlay with its description', () => {
    const mac = stubs({ platform: 'darwin' });
    mac.desktop.onPhoneEvent({ type: 'missed', count: 3 });
    mac.desktop.onPhoneEvent({ type: 'missed', count: 0 });
    assert.deepEqual(mac.log.filter((l) => l.startsWith('badge')), ['badge 3', 'badge 0']);
    const win = stubs({ platform: 'win32' });
    win.desktop.onPhoneEvent({ type: 'missed', count: 1 });
    win.desktop.onPhoneEvent({ type: 'missed', count: 0 });
    assert.deepEqual(win.window.overlay, ['icon: 1 missed call', 'cleared']);
  });

  it('a missed call raises a notification unless the window is in front; clicking it opens History', () => {
    const s = stubs();
    const entry = {
      id: 1, callId: 'c', account: 'a1', peer: { uri: 'sip:1009@pbx.example.com', displayName: undefined }, contact: { id: 4, name: 'Ada Lovelace' },
      direction: 'incoming' as const, startedAt: 0, answeredAt: undefined, endedAt: 1, durationS: 0, outcome: 'missed' as const, status: undefined,
    };
    s.desktop.onPhoneEvent({ type: 'history-added', entry });
    assert.deepEqual(s.notes.map((n) => [n.title, n.body]), [['Missed call', 'Missed call from Ada Lovelace']]);
    s.notes[0]!.onClick();
    assert.deepEqual(s.sent, [{ type: 'show-view', view: 'history' }]);
    s.window.focused = true;
    s.desktop.onPhoneEvent({ type: 'history-added', entry: { ...entry, id: 2 } });
    s.desktop.onPhoneEvent({ type: 'history-added', entry: { ...entry, id: 3, outcome: 'answered' } });
    assert.equal(s.notes.length, 1);
  });
});

describe('desktop: message notifications', () => {
  const message = (over: Record<string, unknown> = {}): PhoneEvent => ({ type: 'message', message: {
    id: 1, account: 'a1', peer: 'sip:1002@pbx.example.com', peerName: 'Grace Hopper', direction: 'in', text: 'Call me\nback   please',
    at: 0, status: 'received', code: undefined, read: false, ...over,
  } as never });

  it('a received message raises a notification unless the window is in front; clicking it opens that conversation', () => {
    const s = stubs();
    s.desktop.onPhoneEvent(message());
    assert.deepEqual(s.notes.map((n) => [n.title, n.body]), [['Message from Grace Hopper', 'Call me back please']]);
    s.notes[0]!.onClick();
    assert.deepEqual(s.log, ['show']);
    assert.deepEqual(s.sent, [{ type: 'show-view', view: 'messages', peer: 'sip:1002@pbx.example.com' }]);
    s.desktop.onPhoneEvent(message({ id: 2, direction: 'out' }));
    s.window.focused = true;
    s.desktop.onPhoneEvent(message({ id: 3 }));
    assert.equal(s.notes.length, 1, 'not for our own messages, nor with the window in front');
  });

  it('no display name: the number; a long text is cut to 200 characters', () => {
    const s = stubs();
    s.desktop.onPhoneEvent(message({ peerName: undefined, text: 'x'.repeat(5000) }));
    assert.equal(s.notes[0]!.title, 'Message from 1002');
    assert.equal(s.notes[0]!.body.length, 200);
  });
});

describe('desktop rules (pure)', () => {
  it('close decision table', () => {
    const base = { closeToTray: true, trayShown: true, quitting: false, liveCalls: 0, platform: 'win32' };
    assert.equal(closeDecision(base), 'hide');
    assert.equal(closeDecision({ ...base, quitting: true }), 'close');
    assert.equal(closeDecision({ ...base, trayShown: false }), 'close', 'no tray: hiding would lose the window');
    assert.equal(closeDecision({ ...base, trayShown: false, liveCalls: 1 }), 'ask');
    assert.equal(closeDecision({ ...base, closeToTray: false, liveCalls: 1 }), 'ask');
    assert.equal(closeDecision({ ...base, closeToTray: false, platform: 'darwin', liveCalls: 1 }), 'close', 'macOS: the app lives on in the Dock');
    assert.equal(closeDecision({ ...base, trayShown: false, platform: 'darwin' }), 'hide');
  });

  it('quit decision, login items, start hidden, badge, tray status', () => {
    assert.equal(quitDecision(0, false), 'quit');
    assert.equal(quitDecision(1, false), 'ask');
    assert.equal(quitDecision(1, true), 'quit');
    assert.deepEqual(loginItemSettings({ startAtLogin: true, startMinimised: true }, 'darwin'), { openAtLogin: true, openAsHidden: true });
    assert.deepEqual(loginItemSettings({ startAtLogin: false, startMinimised: true }, 'linux'), { openAtLogin: false, args: [] });
    const f = { startMinimised: true, argv: [], openedAtLogin: true, hasLink: false, trayShown: false, platform: 'darwin' };
    assert.equal(startHidden(f), true, 'macOS login start: the Dock is the way back');
    assert.equal(startHidden({ ...f, platform: 'linux' }), false);
    assert.deepEqual(badgeFor(1500, 'linux'), { count: 999, overlay: false });
    assert.deepEqual(badgeFor(2, 'win32'), { count: 2, overlay: true });
    assert.equal(trayStatus(['failed', 'registered'], false), 'registered');
    assert.equal(trayStatus(['registered'], true), 'dnd');
    assert.equal(trayModel({ registrations: [], dnd: false, missed: 0 }, mainStrings('fr', []).tray).tooltip, 'Nimbus Phone\nNon connecté');
  });
});

describe('icons drawn in code', () => {
  it('encodes valid PNGs (signature, IHDR, inflatable IDAT of the right size)', () => {
    const png = encodePng(2, 1, Uint8Array.from([255, 0, 0, 255, 0, 0, 255, 128]));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.toString('latin1', 12, 16), 'IHDR');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [2, 1]);
    const idat = png.indexOf('IDAT');
    const raw = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
    assert.deepEqual([...raw], [0, 255, 0, 0, 255, 0, 0, 255, 128]);
  });

  it('tray icons differ by status and by the missed-call dot; the app icon is opaque in the middle, clear in the corners', () => {
    const px = (p: Uint8Array, size: number, x: number, y: number) => [...p.subarray((y * size + x) * 4, (y * size + x) * 4 + 4)];
    const online = trayIconPixels(32, 'registered', false);
    assert.notDeepEqual(px(online, 32, 4, 16), px(trayIconPixels(32, 'dnd', false), 32, 4, 16));
    assert.notDeepEqual(px(online, 32, 25, 7), px(trayIconPixels(32, 'registered', true), 32, 25, 7));
    const icon = appIconPixels(64);
    assert.equal(px(icon, 64, 1, 1)[3], 0, 'corner clear');
    assert.equal(px(icon, 64, 32, 32)[3], 255, 'middle opaque');
  });
});
