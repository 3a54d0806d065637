/**
 * The web host: serves the real renderer over HTTP on loopback and carries the channel map over a
 * WebSocket to the same handlers Electron uses. A page must present the per-run token and come
 * from our own origin; the Host header must name us (DNS rebinding). Frames are bounded.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { timingSafeEqual, randomBytes } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { dispatch, wireRequestSchema, type PhoneEvent, type WireFrame } from '../contract/channels.js';
import type { Phone } from '../core/phone.js';
import { securityHeaders, serveStatic } from './static-files.js';

export interface WebHostOptions {
  /** Interface for HTTP (loopback by default). */
  bind: string;
  port: number;
  rendererDir: string;
  /** Fixed token (tests); random per run otherwise. */
  token?: string;
}

/** Largest WebSocket message a page may send, bytes: a contact import (≤ 32 MiB as base64) fits. */
const maxFrameBytes = 48 * 1024 * 1024;
/** Requests a page may have in flight at once; more are refused. */
const maxInFlight = 32;
/** Pages connected at once. */
const maxClients = 8;
/** Above this much unsent data to a page, level meters are skipped (never call state). */
const slowClientBytes = 1024 * 1024;

export interface WebHost {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

export async function startWebHost(phone: Phone, options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const http: Server = createServer((req, res) => {
    if (!hostAllowed(req, port())) {
      res.writeHead(421, securityHeaders).end('misdirected request\n');
      return;
    }
    void serveStatic(options.rendererDir, req, res);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes, perMessageDeflate: false });
  http.on('upgrade', (req, socket: Socket, head) => {
    const refusal = checkUpgrade(req, token, port(), wss.clients.size);
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveClient(phone, ws));
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.bind, () => resolve());
  });
  const port = () => (http.address() as AddressInfo).port;
  const host = options.bind.includes(':') ? `[${options.bind}]` : options.bind;
  return {
    url: `http://${host}:${port()}/#token=${token}`,
    token,
    port: port(),
    async close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** The Host header must name this server (loopback names only), or a rebinding page could reach us. */
function hostAllowed(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host ?? '';
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(host.toLowerCase());
}

/** Why an upgrade is refused (an HTTP status line), or undefined to accept it. */
export function checkUpgrade(req: IncomingMessage, token: string, port: number, clients: number): string | undefined {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname !== '/ws') return '404 Not Found';
  if (!hostAllowed(req, port)) return '421 Misdirected Request';
  const origin = req.headers.origin;
  if (origin === undefined || origin.toLowerCase() !== `http://${req.headers.host?.toLowerCase()}`) return '403 Forbidden';
  if (!sameSecret(url.searchParams.get('token') ?? '', token)) return '403 Forbidden';
  if (clients >= maxClients) return '503 Service Unavailable';
  return undefined;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function serveClient(phone: Phone, ws: WebSocket): void {
  let inFlight = 0;
  const send = (frame: WireFrame) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };
  const unsubscribe = phone.onEvent((event: PhoneEvent) => {
    if (event.type === 'levels' && ws.bufferedAmount > slowClientBytes) return;
    send({ kind: 'event', event });
  });
  ws.on('close', unsubscribe);
  ws.on('error', () => ws.terminate());
  ws.on('message', (data, isBinary) => {
    if (isBinary) return ws.close(1003, 'text frames only');
    let parsed;
    try {
      parsed = wireRequestSchema.safeParse(JSON.parse(data.toString()));
    } catch {
      return ws.close(1007, 'not JSON');
    }
    if (!parsed.success) return ws.close(1008, 'not a request frame');
    const { id, channel, request } = parsed.data;
    if (inFlight >= maxInFlight) return send({ kind: 'reply', id, reply: { ok: false, error: 'too many requests in flight' } });
    inFlight++;
    void dispatch(phone.handlers, channel, request).then((reply) => {
      inFlight--;
      send({ kind: 'reply', id, reply });
    });
  });
}
