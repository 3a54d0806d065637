// Preload (sandboxed, CommonJS): exposes a curated API, never ipcRenderer itself.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a sandboxed preload must be CommonJS
import electron = require('electron');

electron.contextBridge.exposeInMainWorld('nimbus', {
  appInfo: (): Promise<{ name: string; version: string }> => electron.ipcRenderer.invoke('app:info'),
});
