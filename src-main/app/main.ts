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
 *   taskbar entry (incoming-policy.ts, incoming-window.ts).
 * Only this file imports Electron's values; the modules above take them as parameters.
 */
import { app, BrowserWindow, ipcMain, Notification, protocol, safeStorage, screen, session, shell, utilityProcess } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rendererDir } from '../core/paths.js';
import { createPhone, defaultRingtone, type Phone } from '../core/phone.js';
import { IncomingCallPresenter } from './incoming-window.js';
import { EventForwarder, registerInvokeHandler } from './ipc.js';
import { applyPermissionPolicy } from './permissions.js';
import { appScheme, createAppProtocolHandler, schemePrivileges } from './protocol.js';
import { mainStrings } from './strings.js';
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
  const forwarder = new EventForwarder();

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
    createNotification: (call) => {
      if (!Notification.isSupported()) return undefined;
      const strings = mainStrings(language, app.getPreferredSystemLanguages());
      return new Notification({
        title: strings.incomingCall,
        body: call.account ? `${call.caller}\n${strings.incomingCallOn(call.account)}` : call.caller,
        // The ringtone already plays through the engine.
        silent: true,
        urgency: 'critical',
        timeoutType: 'never',
      });
    },
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

  const createMainWindow = (): BrowserWindow => {
    const win = new BrowserWindow(mainWindowOptions(preload));
    win.once('ready-to-show', () => win.show());
    const changed = () => presenter.onMainWindowChanged();
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

  app.on('second-instance', showMain);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, (url) => shell.openExternal(url)));
  if (process.platform === 'win32') app.setAppUserModelId('com.nimbusphone.desktop');

  let phone: Phone | undefined;
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
  registerInvokeHandler(ipcMain, phoneReady.then((p) => p.handlers));
  phoneReady.then((p) => {
    phone = p;
    p.onEvent((event) => {
      if (event.type === 'settings') language = event.settings.language;
      forwarder.send(event);
      presenter.onPhoneEvent(event);
    });
  }, (e: unknown) => console.error(`Nimbus Phone: the phone could not start: ${(e as Error).message}`));

  void app.whenReady().then(() => {
    protocol.handle(appScheme, createAppProtocolHandler(rendererDir()));
    applyPermissionPolicy(session.defaultSession);
    mainWindow = createMainWindow();
    app.on('activate', showMain);
  });

  let stopped = false;
  app.on('will-quit', (event) => {
    if (stopped || !phone) return;
    // Hang up and unregister before leaving (bounded), then quit for real.
    event.preventDefault();
    presenter.dispose();
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
