/** The contract over the Electron preload's bridge (`window.nimbus`); IPC is always up. */
import type { PhoneEvent } from '../../src-main/contract/channels.js';
import type { Result } from '../../src-main/contract/calls.js';
import type { HostLink } from './link.js';

/** What the sandboxed preload exposes (generated there from the channel map). */
export interface NimbusBridge {
  invoke(channel: string, request: unknown): Promise<Result<unknown>>;
  onEvent(listener: (event: PhoneEvent) => void): (() => void) | undefined;
}

export function createElectronTransport(bridge: NimbusBridge): HostLink {
  return {
    invoke: (channel, request) =>
      bridge.invoke(channel, request).catch((e: unknown) => ({ ok: false, error: String(e) })) as never,
    onEvent: (listener) => bridge.onEvent(listener) ?? (() => undefined),
    onStatus(listener) {
      listener('open');
      return () => undefined;
    },
  };
}
