/** Raw one-shot SIP requests over UDP/TCP/TLS for readiness pings and harness checks (no SIP stack). */
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { isIP } from 'node:net';

export type SipTransport = 'udp' | 'tcp' | 'tls';

export interface RawTarget { host: string; port: number; transport: SipTransport; timeoutMs?: number }

const hex = (n: number) => randomBytes(n).toString('hex');

/** Builds a minimal out-of-dialog request (OPTIONS to the server itself, or REGISTER for `user`). */
export function buildRequest(method: 'OPTIONS' | 'REGISTER', t: RawTarget, localPort: number, user = 'ping'): string {
  const proto = t.transport.toUpperCase();
  const tp = t.transport === 'udp' ? '' : `;transport=${t.transport}`;
  const v6 = isIP(t.host) === 6;
  const host = v6 ? `[${t.host}]` : t.host;
  const local = v6 ? '[::1]' : '127.0.0.1';
  const ruri = `sip:${host}:${t.port}${tp}`;
  const aor = `sip:${user}@${host}`;
  return [
    `${method} ${ruri} SIP/2.0`,
    `Via: SIP/2.0/${proto} ${local}:${localPort};branch=z9hG4bK${hex(8)};rport`,
    'Max-Forwards: 70',
    `From: <${aor}>;tag=${hex(4)}`,
    `To: <${method === 'REGISTER' ? aor : ruri}>`,
    `Call-ID: ${hex(8)}@127.0.0.1`,
    `CSeq: 1 ${method}`,
    `Contact: <sip:${user}@${local}:${localPort}${tp}>`,
    ...(method === 'REGISTER' ? ['Expires: 60'] : []),
    'Content-Length: 0',
    '', '',
  ].join('\r\n');
}

/** Sends one request (built by `build` from the local port) and resolves with the first final response text, or undefined on timeout/error. */
export function sendRaw(t: RawTarget, build: (localPort: number) => string): Promise<string | undefined> {
  const timeoutMs = t.timeoutMs ?? 1000;
  return new Promise((resolve) => {
    let done = false;
    let cleanup = () => {};
    const finish = (v: string | undefined) => { if (!done) { done = true; clearTimeout(timer); cleanup(); resolve(v); } };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    const isFinal = (s: string) => /^SIP\/2\.0 [2-6]\d\d/.test(s);
    if (t.transport === 'udp') {
      const v6 = isIP(t.host) === 6;
      const sock = createSocket(v6 ? 'udp6' : 'udp4');
      cleanup = () => { try { sock.close(); } catch { /* closed */ } };
      sock.on('error', () => finish(undefined));
      sock.on('message', (m) => { const s = m.toString('utf8'); if (isFinal(s)) finish(s); });
      sock.bind(0, v6 ? '::1' : '127.0.0.1', () => sock.send(build(sock.address().port), t.port, t.host));
      return;
    }
    const onConnect = (sock: Socket) => () => sock.write(build(sock.localPort ?? 0));
    const sock: Socket = t.transport === 'tcp'
      ? tcpConnect({ host: t.host, port: t.port })
      : tlsConnect({ host: t.host, port: t.port, rejectUnauthorized: false, servername: 'localhost' });
    cleanup = () => sock.destroy();
    let buf = '';
    sock.once(t.transport === 'tcp' ? 'connect' : 'secureConnect', onConnect(sock));
    sock.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      const end = buf.indexOf('\r\n\r\n');
      if (end >= 0 && isFinal(buf)) finish(buf);
    });
    sock.on('error', () => finish(undefined));
  });
}

/** True when the server answers OPTIONS with 200. */
export async function sipPing(t: RawTarget): Promise<boolean> {
  const res = await sendRaw(t, (lp) => buildRequest('OPTIONS', t, lp));
  return res?.startsWith('SIP/2.0 200') ?? false;
}
