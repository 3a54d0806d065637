/** The one place that knows there are two hosts: the preload's bridge if present, else the web host. */
import { createElectronTransport, type NimbusBridge } from './electron-transport.js';
import type { HostLink } from './link.js';
import { createWsTransport, socketUrl } from './ws-transport.js';

declare global {
  interface Window { nimbus?: NimbusBridge }
}

export function pickTransport(): HostLink | undefined {
  if (window.nimbus) return createElectronTransport(window.nimbus);
  const url = socketUrl(window.location);
  return url ? createWsTransport({ url, open: (u) => new WebSocket(u) }) : undefined;
}
