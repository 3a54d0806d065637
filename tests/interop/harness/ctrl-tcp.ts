/** Client for baresip's ctrl_tcp module: JSON in netstrings (`LEN:{...},`), commands and events on one socket. */
import { connect, type Socket } from 'node:net';

export interface BaresipEvent {
  event: true;
  /** e.g. REGISTER_OK, CALL_INCOMING, CALL_RINGING, CALL_ESTABLISHED, CALL_CLOSED. */
  type: string;
  class?: string;
  accountaor?: string;
  direction?: string;
  peeruri?: string;
  id?: string;
  param?: string;
  [k: string]: unknown;
}

export interface BaresipResponse { response: true; ok: boolean; data: string; token?: string }

/** Incremental netstring decoder. */
export class NetstringDecoder {
  private buf = Buffer.alloc(0);
  push(chunk: Buffer): string[] {
    this.buf = Buffer.concat([this.buf, chunk]);
    const out: string[] = [];
    for (;;) {
      const colon = this.buf.indexOf(':');
      if (colon < 0) break;
      const len = Number(this.buf.subarray(0, colon).toString('ascii'));
      if (!Number.isInteger(len) || len < 0) throw new Error(`ctrl_tcp: bad netstring length '${this.buf.subarray(0, colon).toString()}'`);
      if (this.buf.length < colon + 1 + len + 1) break;
      out.push(this.buf.subarray(colon + 1, colon + 1 + len).toString('utf8'));
      this.buf = this.buf.subarray(colon + 1 + len + 1); // skip the trailing ','
    }
    return out;
  }
}

export const netstring = (s: string): string => `${Buffer.byteLength(s)}:${s},`;

export class CtrlTcpClient {
  /** Every event received, in order (kept so waiters never miss one). */
  readonly events: BaresipEvent[] = [];
  private readonly pending = new Map<string, (r: BaresipResponse) => void>();
  private readonly listeners = new Set<() => void>();
  private seq = 0;
  private closed = false;

  private constructor(private readonly sock: Socket) {
    const dec = new NetstringDecoder();
    sock.on('data', (d: Buffer) => {
      for (const text of dec.push(d)) this.onMessage(JSON.parse(text) as Record<string, unknown>);
    });
    sock.on('close', () => { this.closed = true; this.notify(); });
    sock.on('error', () => { /* surfaced through close */ });
  }

  /** Connects to 127.0.0.1:port, or to a unix socket bridged to it (a peer in another network namespace). */
  static connect(target: number | { path: string }, timeoutMs = 2000): Promise<CtrlTcpClient> {
    return new Promise((resolve, reject) => {
      const sock = typeof target === 'number' ? connect({ host: '127.0.0.1', port: target }) : connect({ path: target.path });
      const what = typeof target === 'number' ? String(target) : target.path;
      const timer = setTimeout(() => { sock.destroy(); reject(new Error(`ctrl_tcp connect to ${what} timed out`)); }, timeoutMs);
      sock.once('connect', () => { clearTimeout(timer); sock.setNoDelay(true); resolve(new CtrlTcpClient(sock)); });
      sock.once('error', (e) => { clearTimeout(timer); reject(e); });
    });
  }

  private onMessage(msg: Record<string, unknown>): void {
    if (msg.event === true) { this.events.push(msg as BaresipEvent); this.notify(); return; }
    if (msg.response === true) {
      const token = typeof msg.token === 'string' ? msg.token : undefined;
      const done = token !== undefined ? this.pending.get(token) : undefined;
      if (token !== undefined && done) { this.pending.delete(token); done(msg as unknown as BaresipResponse); }
    }
  }

  private notify(): void { for (const l of [...this.listeners]) l(); }

  /** Sends a command (e.g. `dial`, `accept`, `hangup`) and resolves with baresip's response. */
  command(cmd: string, params?: string, timeoutMs = 5000): Promise<BaresipResponse> {
    if (this.closed) return Promise.reject(new Error(`ctrl_tcp closed; cannot send '${cmd}'`));
    const token = `t${++this.seq}`;
    const body = JSON.stringify({ command: cmd, ...(params !== undefined ? { params } : {}), token });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.pending.delete(token); reject(new Error(`ctrl_tcp '${cmd}' got no response in ${timeoutMs} ms`)); }, timeoutMs);
      this.pending.set(token, (r) => { clearTimeout(timer); resolve(r); });
      this.sock.write(netstring(body));
    });
  }

  /**
   * Resolves with the first event of `type` (optionally matching `match`) at index >= `from`
   * in `events`; rejects after `timeoutMs` listing the events seen.
   */
  waitForEvent(type: string, timeoutMs: number, match?: (e: BaresipEvent) => boolean, from = 0): Promise<BaresipEvent> {
    return new Promise((resolve, reject) => {
      const find = () => this.events.slice(from).find((e) => e.type === type && (!match || match(e)));
      const check = () => {
        const hit = find();
        if (hit) { cleanup(); resolve(hit); return; }
        if (this.closed) { cleanup(); reject(new Error(`ctrl_tcp closed while waiting for ${type}`)); }
      };
      const timer = setTimeout(() => {
        cleanup();
        const seen = this.events.slice(from).map((e) => e.type).join(', ') || 'none';
        reject(new Error(`baresip event ${type} not seen within ${timeoutMs} ms (seen: ${seen})`));
      }, timeoutMs);
      const cleanup = () => { clearTimeout(timer); this.listeners.delete(check); };
      this.listeners.add(check);
      check();
    });
  }

  close(): void { this.closed = true; this.sock.destroy(); }
}
