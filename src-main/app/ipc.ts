/**
 * The main side of the renderer boundary: one invoke channel carrying (channel, request) pairs of
 * the contract's channel map, validated by `dispatch`, and one event channel. Only the top frame
 * of a page from our own origin may call (as VS Code's `validatedIpcMain` does); anything else
 * gets a `Result` error, never an exception. Electron objects come in as parameters (their types
 * only are imported), so this is unit-tested with stubs.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { dispatch, type ChannelHandlers, type PhoneEvent } from '../contract/channels.js';
import type { Result } from '../contract/calls.js';
import { ipcEventChannel, ipcInvokeChannel } from './ipc-channels.js';
import { appHost, appOrigin, appScheme } from './protocol.js';

export { ipcEventChannel, ipcInvokeChannel } from './ipc-channels.js';

/** The parts of an IPC event the sender check reads. */
export interface SenderInfo {
  senderFrame: { url: string; origin: string; parent: unknown } | null;
  sender: { mainFrame: unknown };
}

/** Is `url` exactly on our origin (`app://nimbus/…`: no lookalike host, no credentials, no port)? */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === `${appScheme}:` && parsed.host === appHost && parsed.username === '' && parsed.password === '';
}

/**
 * Only our own pages' top frames may call into main (Electron security checklist, "Validate the
 * sender of all IPC messages"): the frame still exists, it is its page's main frame (no iframe),
 * Chromium's origin for it is exactly `app://nimbus`, and so is its URL.
 */
export function isTrustedSender(event: SenderInfo): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  if (frame.parent !== null || frame !== event.sender.mainFrame) return false;
  return frame.origin === appOrigin && isAppUrl(frame.url);
}

/**
 * Answers the invoke channel. `handlers` resolves once the phone has started (the window opens
 * before that; its first requests wait); the returned function removes the handler.
 */
export function registerInvokeHandler(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, handlers: Promise<ChannelHandlers>): () => void {
  ipcMain.handle(ipcInvokeChannel, (event: IpcMainInvokeEvent, channel: unknown, request: unknown) => handleInvoke(event, handlers, channel, request));
  return () => ipcMain.removeHandler(ipcInvokeChannel);
}

/** One invoke: sender check, then the contract's validation and handler. Never throws. */
export async function handleInvoke(event: SenderInfo, handlers: Promise<ChannelHandlers>, channel: unknown, request: unknown): Promise<Result<unknown>> {
  if (!isTrustedSender(event)) return { ok: false, error: 'untrusted sender' };
  let ready: ChannelHandlers;
  try {
    ready = await handlers;
  } catch (e) {
    return { ok: false, error: `the phone could not start: ${(e as Error).message}` };
  }
  return dispatch(ready, channel, request);
}

type EventTarget = Pick<WebContents, 'send' | 'isDestroyed' | 'getURL'>;

/**
 * Sends every phone event to our pages; a page leaves the set when destroyed, and a page that is
 * (somehow) not on our origin any more gets nothing.
 */
export class EventForwarder {
  readonly #targets = new Set<EventTarget>();

  add(contents: EventTarget & { once(event: 'destroyed', listener: () => void): unknown }): void {
    this.#targets.add(contents);
    contents.once('destroyed', () => this.#targets.delete(contents));
  }

  send(event: PhoneEvent): void {
    for (const contents of this.#targets) {
      if (contents.isDestroyed()) this.#targets.delete(contents);
      else if (isAppUrl(contents.getURL())) contents.send(ipcEventChannel, event);
    }
  }

  get size(): number {
    return this.#targets.size;
  }
}
