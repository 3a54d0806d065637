/**
 * A stranger on the network for the hostile-SIP tests: raw UDP from any loopback address (the
 * whole of 127/8 is local on Linux, so 127.0.0.2 is "another host"), SIP written by hand, every
 * datagram kept. Plus the few things the tests measure about the CLI process.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readRawSip, type RawSip } from './raw-sip.js';

export interface Datagram extends RawSip {
  from: RemoteInfo;
  at: number;
}

function parse(text: string, from: RemoteInfo): Datagram {
  return { ...readRawSip(text), from, at: Date.now() };
}

export const token = () => randomBytes(6).toString('hex');

export class Stranger {
  readonly received: Datagram[] = [];
  private constructor(readonly socket: Socket, readonly address: string, readonly port: number) {}

  static async open(address: string): Promise<Stranger> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, address, resolve));
    socket.setRecvBufferSize(4 * 1024 * 1024);
    const s = new Stranger(socket, address, socket.address().port);
    socket.on('message', (data, from) => s.received.push(parse(data.toString('latin1'), from)));
    socket.on('error', () => {});
    return s;
  }

  send(text: string, port: number, host = '127.0.0.1'): void {
    this.socket.send(Buffer.from(text, 'latin1'), port, host);
  }

  responses(callId: string): Datagram[] {
    return this.received.filter((d) => d.status !== undefined && d.header('Call-ID') === callId);
  }

  requests(method: string): Datagram[] {
    return this.received.filter((d) => d.method === method);
  }

  async waitFor(match: (d: Datagram) => boolean, what: string, ms = 10_000): Promise<Datagram> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.received.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got:\n${this.received.map((d) => d.startLine).join('\n')}`);
      await sleep(10);
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  /** For a test scope. */
  stop(): Promise<void> {
    return this.close().catch(() => {});
  }
}

export interface InviteOptions {
  /** Request-URI user (default 1001, our user: the old policy let that ring from anywhere). */
  user?: string;
  callId?: string;
  branch?: string;
  extra?: string[];
  fromTag?: string;
}

/** An INVITE with a PCMU offer from the stranger to the phone at 127.0.0.1:`port`. */
export function invite(s: Stranger, port: number, o: InviteOptions = {}): { text: string; callId: string; fromTag: string; branch: string } {
  const callId = o.callId ?? `${token()}@${s.address}`;
  const fromTag = o.fromTag ?? token();
  const branch = o.branch ?? `z9hG4bK${token()}`;
  const user = o.user ?? '1001';
  const body = [
    'v=0', `o=- 1 1 IN IP4 ${s.address}`, 's=-', `c=IN IP4 ${s.address}`, 't=0 0',
    `m=audio ${s.port + 2} RTP/AVP 0`, 'a=rtpmap:0 PCMU/8000', '',
  ].join('\r\n');
  const text = [
    `INVITE sip:${user}@127.0.0.1:${port} SIP/2.0`,
    `Via: SIP/2.0/UDP ${s.address}:${s.port};branch=${branch};rport`,
    'Max-Forwards: 70',
    `From: <sip:stranger@${s.address}>;tag=${fromTag}`,
    `To: <sip:${user}@127.0.0.1:${port}>`,
    `Call-ID: ${callId}`,
    'CSeq: 1 INVITE',
    `Contact: <sip:stranger@${s.address}:${s.port}>`,
    ...(o.extra ?? []),
    'Content-Type: application/sdp',
    `Content-Length: ${Buffer.byteLength(body)}`,
    '', body,
  ].join('\r\n');
  return { text, callId, fromTag, branch };
}

/** The auto-answer requests a PBX intercom call carries (RFC 5373, Call-Info, Alert-Info). */
export const autoAnswerHeaders = [
  'Call-Info: <sip:127.0.0.1>;answer-after=0',
  'Answer-Mode: Auto',
  'Alert-Info: <http://127.0.0.1/x>;info=alert-autoanswer',
];

/** Resident set size of a process, MiB (Linux /proc). */
export function rssMiB(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (!kb) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) / 1024;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
