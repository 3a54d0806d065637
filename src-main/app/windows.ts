/**
 * Window options shared by the main window and the incoming-call prompt: every page is
 * sandboxed and context-isolated, without Node, with the bundled preload; and the URLs of our
 * pages on the `app://nimbus/` origin.
 */
import type { BrowserWindowConstructorOptions, Rectangle, WebPreferences } from 'electron';
import { appOrigin } from './protocol.js';

export const mainPageUrl = `${appOrigin}/index.html`;
/** The same renderer, on its incoming-call route. */
export const incomingPageUrl = `${appOrigin}/index.html#/incoming`;

export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

export function mainWindowOptions(preload: string): BrowserWindowConstructorOptions {
  return {
    width: 420,
    height: 720,
    minWidth: 360,
    minHeight: 560,
    title: 'Nimbus Phone',
    show: false,
    webPreferences: secureWebPreferences(preload),
  };
}

export const promptSize = { width: 360, height: 148 };
/** Gap between the prompt and the screen's work-area corner, px. */
const promptMargin = 16;

/**
 * The incoming-call prompt: small, frameless, always on top, off the taskbar, bottom-right of
 * the work area. It is shown with `showInactive()` only, so it never steals the keyboard; it
 * stays focusable so a user can click or Tab into it and answer by keyboard.
 */
export function promptWindowOptions(preload: string, workArea: Rectangle): BrowserWindowConstructorOptions {
  return {
    ...promptSize,
    x: Math.round(workArea.x + workArea.width - promptSize.width - promptMargin),
    y: Math.round(workArea.y + workArea.height - promptSize.height - promptMargin),
    show: false,
    frame: false,
    resizable: false,
    movable: true,
    minimizable: false,
    maximizable: false,
    fullscreenable: false,
    alwaysOnTop: true,
    skipTaskbar: true,
    focusable: true,
    title: 'Nimbus Phone',
    webPreferences: secureWebPreferences(preload),
  };
}
