/**
 * The Electron main process: a thin host around the same core the CLI runs. Security per
 * Electron's checklist: sandboxed renderer, context isolation, no Node in the renderer, strict
 * CSP, navigation and new windows denied, IPC senders validated (see docs/decisions.md).
 */
import { app, BrowserWindow, ipcMain, session, shell } from 'electron';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { ipcChannels, isTrustedSender } from './ipc.js';

const here = dirname(fileURLToPath(import.meta.url));
// out/src-main/app → the package root, in development and in the packaged app alike.
const rendererIndex = join(here, '..', '..', '..', 'src-renderer', 'index.html');

const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

app.enableSandbox();

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 420,
    height: 720,
    title: 'Nimbus Phone',
    show: false,
    webPreferences: {
      preload: join(here, 'preload.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadFile(rendererIndex);
  return win;
}

app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

void app.whenReady().then(() => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(permission === 'media'));
  ipcMain.handle(ipcChannels.appInfo, (event) => {
    if (!isTrustedSender(event.senderFrame?.url)) throw new Error('untrusted sender');
    return { name: app.getName(), version: app.getVersion() };
  });
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
