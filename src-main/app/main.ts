/**
 * The Electron main process: a thin host around the same core every host builds (`createPhone`),
 * hardened per Electron's security checklist (see docs/decisions.md, "Electron host"):
 * - pages come from `app://nimbus/` (protocol.ts), never `file://`; CSP on every response;
 * - every renderer is sandboxed and context-isolated, with the bundled preload (preload.cts)
 *   exposing only `nimbus.invoke` and `nimbus.onEvent`;
 * - one IPC channel, answered only for our origin's top frames and validated by the contract
 *   (ipc.ts); every permission and device is denied but telephony HID headsets for our pages
 *   (permissions.ts); no navigation, no new
 *   windows, no <webview> (web-contents.ts);
 * - the media engine runs in a `utilityProcess` (utility-engine.ts); one instance at a time;
 * - incoming calls raise an inactive always-on-top prompt, a notification and a flashing
 *   taskbar entry (incoming-policy.ts, incoming-window.ts);
 * - desktop integration (desktop.ts): tray, missed-call badge and notifications, tel:/sip: links
 *   (second instance, macOS open-url) that the page asks about before dialling, close to tray,
 *   start at login / minimised, and a question before quitting during a call;
 * - global shortcuts for answer, hang up, mute and hold, off by default (shortcuts.ts);
 * - auto-update from the administrator's generic feed, installed only when no call exists (updater.ts).
 * Only this file imports Electron's values; the modules above take them as parameters.
 */
import {
  app, BrowserWindow, dialog, globalShortcut, ipcMain, Menu, nativeImage, Notification, protocol, safeStorage, screen, session, shell,
  systemPreferences, Tray, utilityProcess,
} from 'electron';
import electronUpdater from 'electron-updater';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Settings } from '../contract/settings.js';
import { rendererDir } from '../core/paths.js';
import { createPhone, defaultRingtone, type Phone } from '../core/phone.js';
import { Desktop, type TrayPort } from './desktop.js';
import { callNotificationOptions } from './call-notification.js';
import { IncomingCallPresenter } from './incoming-window.js';
import { commandFor, GlobalShortcuts } from './shortcuts.js';
import { EventForwarder, registerInvokeHandler } from './ipc.js';
import { applyPermissionPolicy } from './permissions.js';
import { appScheme, createAppProtocolHandler, schemePrivileges } from './protocol.js';
import { mainStrings } from './strings.js';
import { Updater } from './updater.js';
import { utilityProcessLauncher } from './utility-engine.js';
import { hardenWebContents } from './web-contents.js';
import { incomingPageUrl, mainPageUrl, mainWindowOptions, promptWindowOptions } from './windows.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The bundled preload beside this file (scripts/build-preload.mjs). */
const preload = join(here, 'preload.cjs');
/** Longest wait for the phone to unregister and hang up at quit, ms. */
const stopTimeoutMs = 5000;

// Before `ready`: our scheme is standard and secure (its own origin, a secure context).
protocol.registerSchemesAsPrivileged([schemePrivileges]);
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the SIP registration and the devices: it comes forward instead.
  app.quit();
} else {
  run();
}

function run(): void {
  let mainWindow: BrowserWindow | undefined;
  let language: string | undefined;
  let phone: Phone | undefined;
  const forwarder = new EventForwarder();
  const strings = () => mainStrings(language, app.getPreferredSystemLanguages());
  const image = (png: Buffer) => nativeImage.createFromBuffer(png, { scaleFactor: 2 });
  /** Notifications are kept referenced until closed (an unreferenced one can vanish). */
  const shownNotes = new Set<Notification>();

  const desktop = new Desktop({
    platform: process.platform,
    argv: process.argv,
    openedAtLogin: () => app.getLoginItemSettings().wasOpenedAtLogin ?? false,
    setLoginItemSettings: (settings) => app.setLoginItemSettings(settings),
    setBadgeCount: (count) => void app.setBadgeCount(count),
    strings,
    createTray: (png): TrayPort => {
      const tray = new Tray(image(png));
      return {
        setImage: (next) => tray.setImage(image(next)),
        setToolTip: (text) => tray.setToolTip(text),
        setMenu: (items, onClick) => tray.setContextMenu(Menu.buildFromTemplate(items.map((item) =>
          item.id === 'separator' ? { type: 'separator' as const }
            : item.id === 'dnd' ? { label: item.label, type: 'checkbox' as const, checked: item.checked, click: () => onClick('dnd') }
              : { label: item.label, click: () => onClick(item.id) }))),
        onClick: (listener) => void tray.on('click', listener),
        destroy: () => tray.destroy(),
      };
    },
    notify: ({ title, body, onClick }) => {
      if (!Notification.isSupported()) return;
      const note = new Notification({ title, body });
      shownNotes.add(note);
      note.on('click', onClick).on('close', () => shownNotes.delete(note));
      note.show();
    },
    mainWindow: () => (mainWindow && !mainWindow.isDestroyed() ? {
      isVisible: () => mainWindow!.isVisible(),
      isFocused: () => mainWindow!.isFocused(),
      hide: () => mainWindow!.hide(),
      setOverlayIcon: (png, description) => mainWindow!.setOverlayIcon(png ? image(png) : null, description),
    } : undefined),
    showMain: () => showMain(),
    sendToPages: (event) => forwarder.send(event),
    command: (command) => phone ? phone.handlers['calls.command'](command) : Promise.resolve(),
    confirmQuit: async (count) => {
      const s = strings().quitDuringCall;
      const options = { type: 'question' as const, buttons: [s.quit, s.cancel], defaultId: 1, cancelId: 1, message: s.message, detail: s.detail(count) };
      const shown = mainWindow && !mainWindow.isDestroyed() ? await dialog.showMessageBox(mainWindow, options) : await dialog.showMessageBox(options);
      return shown.response === 0;
    },
    quit: () => app.quit(),
  });
  // Global shortcuts act on the calls as they are when pressed; one another app holds becomes a notice.
  const shortcuts = new GlobalShortcuts(
    { register: (accelerator, callback) => globalShortcut.register(accelerator, callback), unregister: (accelerator) => globalShortcut.unregister(accelerator) },
    (action) => {
      const p = phone;
      if (!p) return;
      void p.handlers['calls.snapshot']({}).then((r) => {
        const command = r.ok ? commandFor(action, r.value) : undefined;
        if (command) void p.handlers['calls.command'](command);
      });
    },
  );
  // Updates only for an installed app (a development run has no app-update.yml); the feed comes from the settings.
  const updater = app.isPackaged ? new Updater({
    updater: electronUpdater.autoUpdater,
    liveCalls: () => desktop.calls.count,
    windowFocused: () => mainWindow !== undefined && !mainWindow.isDestroyed() && mainWindow.isVisible() && mainWindow.isFocused(),
    allowQuit: () => desktop.allowQuitForUpdate(),
    notice: (message) => forwarder.send({ type: 'notice', message }),
    setInterval: (fn, ms) => setInterval(fn, ms),
    clearInterval: (timer) => clearInterval(timer as NodeJS.Timeout),
  }) : undefined;
  const applyShortcuts = (settings: Settings) => {
    for (const problem of shortcuts.apply(settings.shortcuts)) forwarder.send({ type: 'notice', message: strings().shortcutProblem(problem) });
  };

  // macOS hands links over as open-url, possibly before `ready`: keep them for the page.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    desktop.openLink(url);
  });

  const presenter = new IncomingCallPresenter({
    mainWindow: () => mainWindow,
    createPrompt: () => {
      const prompt = new BrowserWindow(promptWindowOptions(preload, screen.getPrimaryDisplay().workArea));
      prompt.setAlwaysOnTop(true, 'pop-up-menu');
      if (process.platform === 'darwin') prompt.setVisibleOnAllWorkspaces(true, { visibleOnFullScreen: true });
      forwarder.add(prompt.webContents);
      void prompt.loadURL(incomingPageUrl);
      return prompt;
    },
    // Answer/Decline buttons on macOS and Windows (call-notification.ts); the prompt window has them everywhere.
    createNotification: (call) => (Notification.isSupported() ? new Notification(callNotificationOptions(call, strings(), process.platform)) : undefined),
    command: (command) => void phone?.handlers['calls.command'](command),
  });

  const showMain = () => {
    if (!mainWindow || mainWindow.isDestroyed()) {
      mainWindow = createMainWindow();
      return;
    }
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  };

  /** The first window stays hidden when the login item started us with start minimised (desktop-policy.ts). */
  let firstWindow = true;
  const createMainWindow = (): BrowserWindow => {
    const win = new BrowserWindow(mainWindowOptions(preload));
    const hidden = firstWindow ? launchHidden() : Promise.resolve(false);
    firstWindow = false;
    win.once('ready-to-show', () => void hidden.then((h) => { if (!h) win.show(); }));
    win.on('close', (event) => desktop.onWindowClose(event));
    const changed = () => {
      presenter.onMainWindowChanged();
      updater?.maybeInstall();
    };
    win.on('focus', changed).on('blur', changed).on('show', changed).on('hide', changed).on('minimize', changed).on('restore', changed);
    win.on('closed', () => {
      mainWindow = undefined;
      // The hidden prompt window would keep the app alive: closing the main window quits
      // (except on macOS, where the app stays in the Dock and its prompt still rings).
      if (process.platform !== 'darwin') app.quit();
    });
    forwarder.add(win.webContents);
    void win.loadURL(mainPageUrl);
    return win;
  };

  app.on('second-instance', (_event, argv) => desktop.onSecondInstance(argv));
  app.on('before-quit', (event) => desktop.onBeforeQuit(event));
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, (url) => shell.openExternal(url)));
  if (process.platform === 'win32') app.setAppUserModelId('com.nimbusphone.desktop');

  const phoneReady = app.whenReady().then(() => createPhone({
    host: 'electron',
    version: app.getVersion(),
    dataDir: join(app.getPath('userData'), 'phone'),
    // Passwords are encrypted with the OS keychain; the core refuses clear text when it is absent.
    secretCipher: keychain(),
    devices: { kind: 'portaudio', ringtone: defaultRingtone },
    engineIsolation: utilityProcessLauncher(utilityProcess),
    sip: { bindAddress: '0.0.0.0' },
  }));
  // The page takes the link the OS opened us with from here (it asks before dialling it).
  registerInvokeHandler(ipcMain, phoneReady.then((p) => ({ ...p.handlers, 'links.take': async () => ({ ok: true as const, value: desktop.takeLink() }) })));
  /** Hidden at launch? Decided from the stored settings; shown if they take more than 3 s to come. */
  const launchHidden = (): Promise<boolean> => Promise.race([
    phoneReady.then((p) => p.handlers['settings.get']({})).then((r) => r.ok && desktop.launchHidden(r.value), () => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 3000)),
  ]);
  phoneReady.then((p) => {
    phone = p;
    p.onEvent((event) => {
      if (event.type === 'settings') {
        language = event.settings.language;
        applyShortcuts(event.settings);
        updater?.configure(event.settings.updates);
      }
      forwarder.send(event);
      presenter.onPhoneEvent(event);
      desktop.onPhoneEvent(event);
      // A downloaded update waits for the last call to end.
      if (event.type === 'call' || event.type === 'calls') updater?.maybeInstall();
    });
    // The state at start, as the events would have said it (tray, badge, login item, shortcuts).
    void Promise.all([p.handlers['settings.get']({}), p.handlers['accounts.list']({}), p.handlers['history.missedCount']({})]).then(([settings, accounts, missed]) => {
      if (settings.ok) {
        language = settings.value.language;
        applyShortcuts(settings.value);
        updater?.configure(settings.value.updates);
        desktop.onPhoneEvent({ type: 'settings', settings: settings.value });
      }
      if (accounts.ok) desktop.onPhoneEvent({ type: 'accounts', accounts: accounts.value });
      if (missed.ok) desktop.onPhoneEvent({ type: 'missed', count: missed.value });
    });
  }, (e: unknown) => console.error(`Nimbus Phone: the phone could not start: ${(e as Error).message}`));

  void app.whenReady().then(() => {
    protocol.handle(appScheme, createAppProtocolHandler(rendererDir()));
    applyPermissionPolicy(session.defaultSession);
    // macOS: ask for the microphone now, before a call opens PortAudio (an answer mid-ring is too late).
    if (process.platform === 'darwin' && systemPreferences.getMediaAccessStatus('microphone') === 'not-determined') {
      void systemPreferences.askForMediaAccess('microphone');
    }
    desktop.start();
    mainWindow = createMainWindow();
    app.on('activate', showMain);
  });

  let stopped = false;
  app.on('will-quit', (event) => {
    if (stopped || !phone) return;
    // Hang up and unregister before leaving (bounded), then quit for real.
    event.preventDefault();
    presenter.dispose();
    desktop.dispose();
    updater?.dispose();
    shortcuts.clear();
    const stopping = phone.stop();
    phone = undefined;
    void Promise.race([stopping, new Promise((r) => setTimeout(r, stopTimeoutMs))]).finally(() => {
      stopped = true;
      app.quit();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}

/**
 * safeStorage, unless it would only obfuscate: on Linux without a keyring Chromium falls back to a
 * fixed key ('basic_text'); the core then keeps passwords in a 0600 file and says so.
 */
function keychain() {
  const weak = process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
  return {
    isEncryptionAvailable: () => !weak && safeStorage.isEncryptionAvailable(),
    encryptString: (plain: string) => safeStorage.encryptString(plain),
    decryptString: (encrypted: Buffer) => safeStorage.decryptString(encrypted),
  };
}
