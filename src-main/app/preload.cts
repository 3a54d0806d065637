/**
 * The preload of every app window (sandboxed, context-isolated). esbuild bundles it into one
 * CommonJS file, `out/src-main/app/preload.cjs` (a sandboxed preload can `require` only
 * `electron`). It exposes `window.nimbus` with exactly the two functions of the contract's
 * `PhoneTransport` — never `ipcRenderer`, never an IPC event object:
 * - `invoke(channel, request)`: names outside the channel map are refused here, before anything
 *   is sent (main checks the sender and validates the request again);
 * - `onEvent(listener)`: the phone's event stream; returns the function that unsubscribes.
 * The contract is imported for its types only: its zod schemas would add ~460 KB to every page.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- a sandboxed preload is CommonJS */
import electron = require('electron');
import names = require('./ipc-channels.js');
/* eslint-enable @typescript-eslint/no-require-imports */

type Channel = import('../contract/channels.js').Channel;
type PhoneEvent = import('../contract/channels.js').PhoneEvent;
type PhoneTransport = import('../contract/channels.js').PhoneTransport;

/**
 * The contract's channel names (its `channels`), put in by the bundler: scripts/build-preload.mjs
 * reads them from the contract at build time, so the list has one source and costs a few bytes.
 */
declare const NIMBUS_CHANNELS: readonly Channel[];

const { ipcEventChannel, ipcInvokeChannel } = names;
const known: ReadonlySet<string> = new Set(NIMBUS_CHANNELS);
const isChannel = (name: unknown): name is Channel => typeof name === 'string' && known.has(name);

const { contextBridge, ipcRenderer } = electron;

const nimbus: PhoneTransport = {
  invoke(channel, request) {
    if (!isChannel(channel)) return Promise.resolve({ ok: false, error: `unknown channel: ${String(channel).slice(0, 64)}` });
    return ipcRenderer.invoke(ipcInvokeChannel, channel, request);
  },
  onEvent(listener) {
    if (typeof listener !== 'function') throw new TypeError('onEvent expects a function');
    const forward = (_event: Electron.IpcRendererEvent, phoneEvent: PhoneEvent) => listener(phoneEvent);
    ipcRenderer.on(ipcEventChannel, forward);
    return () => {
      ipcRenderer.removeListener(ipcEventChannel, forward);
    };
  },
};

contextBridge.exposeInMainWorld('nimbus', nimbus);
