/**
 * The contract over the web host's WebSocket: JSON `WireRequest`s out, `WireFrame`s in. Requests
 * get a `Result` whatever happens (disconnected, dropped, timed out); after a drop it reconnects
 * with back-off and reports `open` again, and the app then re-queries the core's state.
 * No DOM types here: the socket comes from a factory (a real WebSocket in the page, a fake in tests).
 */
import { slowChannelTimeoutMs, type PhoneEvent, type WireFrame, type WireRequest } from '../../src-main/contract/channels.js';
import type { Result } from '../../src-main/contract/calls.js';
import { reconnectDelay } from './backoff.js';
import { DISCONNECTED, TIMED_OUT, listeners, type HostLink, type LinkStatus } from './link.js';

/** The part of a WebSocket used here (handler parameters typed `never` so a DOM WebSocket fits). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
  onmessage: ((message: never) => void) | null;
}

export interface WsOptions {
  url: string;
  open(url: string): SocketLike;
  timers?: { set(fn: () => void, ms: number): unknown; clear(handle: unknown): void };
  random?: () => number;
  requestTimeoutMs?: number;
}

const OPEN = 1;

/** The socket URL for a page served at http(s)://host/#token=TOKEN, or undefined without a token. */
export function socketUrl(location: { protocol: string; host: string; hash: string }): string | undefined {
  // Not URLSearchParams: it would read a '+' in the token as a space.
  const raw = /(?:^#|&)token=([^&]*)/.exec(location.hash)?.[1];
  const token = raw ? decodeURIComponent(raw) : undefined;
  if (!token) return undefined;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/ws?token=${encodeURIComponent(token)}`;
}

function parseFrame(data: unknown): WireFrame | undefined {
  if (typeof data !== 'string') return undefined;
  try {
    const frame = JSON.parse(data) as Partial<WireFrame> | null;
    if (frame?.kind === 'reply' && typeof frame.id === 'number' && typeof frame.reply === 'object') return frame as WireFrame;
    if (frame?.kind === 'event' && typeof frame.event === 'object' && frame.event !== null) return frame as WireFrame;
  } catch { /* not JSON: ignored */ }
  return undefined;
}

export function createWsTransport(options: WsOptions): HostLink & { close(): void } {
  const timers = options.timers ?? { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as number) };
  const random = options.random ?? Math.random;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const events = listeners<PhoneEvent>();
  const statuses = listeners<LinkStatus>();
  const pending = new Map<number, { resolve(r: Result<unknown>): void; timer: unknown }>();
  let status: LinkStatus = 'connecting';
  let socket: SocketLike | undefined;
  let nextId = 1;
  let failures = 0;
  let retry: unknown;
  let closed = false;

  const setStatus = (next: LinkStatus): void => {
    if (next !== status) { status = next; statuses.emit(next); }
  };
  const settle = (id: number, reply: Result<unknown>): void => {
    const waiting = pending.get(id);
    if (!waiting) return;
    pending.delete(id);
    timers.clear(waiting.timer);
    waiting.resolve(reply);
  };

  const connect = (): void => {
    retry = undefined;
    setStatus('connecting');
    const ws = options.open(options.url);
    socket = ws;
    ws.onopen = () => { failures = 0; setStatus('open'); };
    ws.onmessage = (message: { data: unknown }) => {
      const frame = parseFrame(message.data);
      if (frame?.kind === 'reply') settle(frame.id, frame.reply);
      else if (frame?.kind === 'event') events.emit(frame.event);
    };
    ws.onerror = () => { /* onclose follows */ };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = undefined;
      for (const id of [...pending.keys()]) settle(id, { ok: false, error: DISCONNECTED });
      setStatus('closed');
      if (!closed) retry = timers.set(connect, reconnectDelay(failures++, random()));
    };
  };
  connect();

  return {
    invoke(channel, request) {
      const ws = socket;
      if (!ws || ws.readyState !== OPEN || status !== 'open') return Promise.resolve({ ok: false, error: DISCONNECTED });
      const id = nextId++;
      const frame: WireRequest = { id, channel, request };
      return new Promise((resolve) => {
        const timer = timers.set(() => settle(id, { ok: false, error: TIMED_OUT }), slowChannelTimeoutMs[channel] ?? timeoutMs);
        pending.set(id, { resolve: resolve as (r: Result<unknown>) => void, timer });
        ws.send(JSON.stringify(frame));
      });
    },
    onEvent: (listener) => events.add(listener),
    onStatus(listener) {
      listener(status);
      return statuses.add(listener);
    },
    close() {
      closed = true;
      if (retry !== undefined) timers.clear(retry);
      socket?.close();
    },
  };
}
