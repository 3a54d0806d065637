/**
 * A hand-made SIP + RTP peer for the hostile-media tests: raw UDP on loopback, messages written
 * by hand (so they can carry SDP no real stack would send), G.711 µ-law tones, and SRTP with keys
 * the test chooses. It plays UAC (INVITE, re-INVITE, ACK, BYE) or UAS (answers an INVITE).
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { requireBinary, spawnManaged, waitFor } from '../interop/harness/process.js';
import { codecs } from '../../src-main/media/codecs/registry.js';
import { parseRtp, writeRtp } from '../../src-main/media/rtp/rtp-packet.js';
import { SrtpContext } from '../../src-main/media/srtp/srtp-context.js';
import assert from 'node:assert/strict';
import { callWindow, toneDbfs } from '../interop/support/tone-check.js';
import { dominantFrequency, rmsDbfs } from '../support/audio-analysis.js';
import type { MonoPcm } from '../support/wav.js';
import { readRawSip, type RawSip } from './raw-sip.js';

export interface SipMessage extends RawSip {
  from: RemoteInfo;
}

function parse(text: string, from: RemoteInfo): SipMessage {
  return { ...readRawSip(text), from };
}

async function udp(address = '127.0.0.1'): Promise<Socket> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, address, resolve));
  s.setRecvBufferSize(4 * 1024 * 1024);
  return s;
}

export interface RtpArrival { data: Buffer; from: RemoteInfo; atMs: number }

/** A dialog as the peer sees it (enough to send in-dialog requests). */
export interface PeerDialog {
  callId: string;
  localTag: string;
  remoteTag: string;
  /** The phone's SIP port (its Contact is on loopback). */
  remotePort: number;
  cseq: number;
  /** Branch of our last INVITE: the ACK for a non-2xx final response reuses it (RFC 3261 §17.1.1.3). */
  inviteBranch: string;
}

export class ScriptedPeer {
  readonly messages: SipMessage[] = [];
  readonly rtp: RtpArrival[] = [];
  private waiters = new Set<() => void>();

  private constructor(readonly sip: Socket, readonly media: Socket) {
    sip.on('message', (d, from) => {
      this.messages.push(parse(d.toString('latin1'), from));
      for (const w of this.waiters) w();
    });
    media.on('message', (data, from) => this.rtp.push({ data, from, atMs: performance.now() }));
  }

  static async open(): Promise<ScriptedPeer> {
    return new ScriptedPeer(await udp(), await udp());
  }

  get sipPort(): number { return this.sip.address().port; }
  get mediaPort(): number { return this.media.address().port; }

  send(text: string, port: number): void {
    this.sip.send(Buffer.from(text, 'latin1'), port, '127.0.0.1');
  }

  /** The first message (already received or to come) matching, or throws after `ms`. */
  waitFor(match: (m: SipMessage) => boolean, what: string, ms = 10_000): Promise<SipMessage> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.messages.find(match);
        if (!found) return;
        done();
        resolve(found);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${what}; got:\n${this.messages.map((m) => m.startLine).join('\n')}`));
      }, ms);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** An out-of-dialog INVITE to the phone; returns the dialog (remote tag filled in from the answer). */
  invite(phonePort: number, sdp: string): PeerDialog {
    const dialog: PeerDialog = { callId: `${token()}@hostile`, localTag: token(), remoteTag: '', remotePort: phonePort, cseq: 1, inviteBranch: '' };
    this.sendInvite(dialog, sdp);
    return dialog;
  }

  /** (Re-)INVITE in the dialog with the dialog's current CSeq. */
  sendInvite(d: PeerDialog, sdp: string): void {
    d.inviteBranch = `z9hG4bK${token()}`;
    this.send(this.request('INVITE', d, sdp, d.cseq, d.inviteBranch), d.remotePort);
  }

  /** Learns the phone's tag from a response to our INVITE. */
  confirm(d: PeerDialog, response: SipMessage): void {
    d.remoteTag = /;tag=([^;\s]+)/.exec(response.header('To') ?? '')?.[1] ?? '';
  }

  /** A request in (or, for the initial INVITE, creating) the dialog (From = us). */
  request(method: string, d: PeerDialog, sdp = '', cseq = d.cseq, branch = `z9hG4bK${token()}`): string {
    const us = `<sip:hostile@127.0.0.1:${this.sipPort}>;tag=${d.localTag}`;
    const them = `<sip:alice@127.0.0.1:${d.remotePort}>${d.remoteTag ? `;tag=${d.remoteTag}` : ''}`;
    return message([
      `${method} sip:alice@127.0.0.1:${d.remotePort} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${this.sipPort};branch=${branch};rport`,
      'Max-Forwards: 70', `From: ${us}`, `To: ${them}`, `Call-ID: ${d.callId}`, `CSeq: ${cseq} ${method}`,
      `Contact: <sip:hostile@127.0.0.1:${this.sipPort}>`, 'User-Agent: hostile-media-peer',
    ], sdp);
  }

  /** ACK for a 2xx (a new transaction, §13.2.2.4) or for a non-2xx (the INVITE's branch, §17.1.1.3). */
  ack(d: PeerDialog, final: SipMessage): void {
    const ok = final.status! < 300;
    this.send(this.request('ACK', d, '', d.cseq, ok ? undefined : d.inviteBranch), d.remotePort);
  }

  nextCseq(d: PeerDialog): number {
    return ++d.cseq;
  }

  /** Answers `request` (an INVITE, BYE, ...) with `status`, echoing the dialog headers; adds our tag. */
  respond(request: SipMessage, status: number, reason: string, sdp = '', toTag = 'hostile'): void {
    const to = request.header('To')!;
    this.send(message([
      `SIP/2.0 ${status} ${reason}`,
      ...request.text.split('\r\n').filter((l) => /^Via\s*:/i.test(l)),
      `From: ${request.header('From')}`, `To: ${/;tag=/.test(to) ? to : `${to};tag=${toTag}`}`,
      `Call-ID: ${request.header('Call-ID')}`, `CSeq: ${request.header('CSeq')}`,
      `Contact: <sip:hostile@127.0.0.1:${this.sipPort}>`,
    ], sdp), request.from.port);
  }

  /** An audio SDP for our media port (override any line with `edit`). */
  sdp(opts: { connection?: string; port?: number; attrs?: string[]; protocol?: string; version?: number } = {}): string {
    return sdpText({ connection: opts.connection ?? 'IN IP4 127.0.0.1', port: opts.port ?? this.mediaPort, attrs: opts.attrs ?? [],
      protocol: opts.protocol ?? 'RTP/AVP', version: opts.version ?? 1 });
  }

  /** RTP that arrived from the phone, as parsed packets (optionally after SRTP). */
  rtpFrom(filter: (a: RtpArrival) => boolean = () => true): RtpArrival[] {
    return this.rtp.filter((a) => !isRtcpPacket(a.data) && filter(a));
  }

  close(): void {
    this.sip.close();
    this.media.close();
  }
}

export function sdpText(o: { connection: string; port: number; attrs: string[]; protocol: string; version: number }): string {
  return ['v=0', `o=- 4242 ${o.version} IN IP4 127.0.0.1`, 's=hostile', `c=${o.connection}`, 't=0 0',
    `m=audio ${o.port} ${o.protocol} 0`, 'a=rtpmap:0 PCMU/8000', ...o.attrs.map((a) => `a=${a}`), ''].join('\r\n');
}

function message(lines: string[], body: string): string {
  return [...lines, ...(body ? ['Content-Type: application/sdp'] : []), `Content-Length: ${Buffer.byteLength(body, 'latin1')}`, '', body].join('\r\n');
}

const token = () => randomBytes(6).toString('hex');

export const isRtcpPacket = (d: Uint8Array) => d.length > 1 && d[1]! >= 192 && d[1]! <= 223;

/** A PCMU tone sender: 20 ms packets of `freqHz` at -6 dBFS peak, paced by a timer. */
export class ToneSender {
  private seq = Math.floor(Math.random() * 30000);
  private ts = Math.floor(Math.random() * 2 ** 31);
  private phase = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly encoder = codecs.PCMU.createEncoder();
  private readonly pcm = new Int16Array(160);
  sent = 0;

  constructor(
    private readonly socket: Socket,
    readonly ssrc = randomBytes(4).readUInt32BE(0),
  ) {}

  /** Sends to `port` on `address` every 20 ms; `srtp` protects when set; `freqHz` may change later. */
  start(target: () => { port: number; address?: string }, freqHz: () => number, srtp?: () => SrtpContext | undefined): void {
    const tick = () => {
      const f = freqHz();
      for (let i = 0; i < 160; i++) {
        this.pcm[i] = Math.round(16384 * Math.sin(this.phase));
        this.phase += (2 * Math.PI * f) / 8000;
      }
      this.phase %= 2 * Math.PI;
      const payload = new Uint8Array(160);
      this.encoder.encode(this.pcm, payload);
      const packet = new Uint8Array(12 + 160);
      writeRtp(packet, { marker: this.sent === 0, payloadType: 0, sequence: this.seq, timestamp: this.ts, ssrc: this.ssrc }, payload);
      this.seq = (this.seq + 1) & 0xffff;
      this.ts = (this.ts + 160) >>> 0;
      const ctx = srtp?.();
      const wire = ctx ? ctx.protectRtp(packet) : packet;
      const t = target();
      this.socket.send(wire, t.port, t.address ?? '127.0.0.1');
      this.sent++;
    };
    this.timer = setInterval(tick, 20);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** PCM of the PCMU payloads of `packets` (in arrival order), for tone checks. */
export function decodePcmu(payloads: Uint8Array[]): Int16Array {
  const dec = codecs.PCMU.createDecoder();
  const out = new Int16Array(payloads.reduce((n, p) => n + p.length, 0));
  let at = 0;
  const frame = new Int16Array(1920);
  for (const p of payloads) {
    const n = dec.decode(p, frame);
    out.set(frame.subarray(0, n), at);
    at += n;
  }
  return out.subarray(0, at);
}

export function rtpPayload(packet: Uint8Array): Uint8Array {
  const h = parseRtp(packet)!;
  return packet.subarray(h.payloadOffset, h.payloadOffset + h.payloadLength);
}

/** An SDES key||salt for AES_CM_128 suites (30 octets), base64. */
export const newSdesKey = () => randomBytes(30).toString('base64');

/** Our key from the phone's a=crypto line for `suite`. */
export function cryptoKeyOf(sdp: string, suite: string): { tag: string; key: string } | undefined {
  const m = new RegExp(`^a=crypto:(\\d+) ${suite} inline:([A-Za-z0-9+/=]+)`, 'm').exec(sdp);
  return m ? { tag: m[1]!, key: m[2]! } : undefined;
}

/**
 * "The call had audio": 2 s of `freq` (±5 Hz) near the test tones' level (±6 dB), from the first
 * sound on. Gaps are not judged here (the interop audio tests do that on a quiet machine): these
 * tests are about who gets the audio, and run beside other suites.
 */
export function assertHears(pcm: MonoPcm, freq: number, what: string): void {
  const window = callWindow(pcm, 2);
  const f = dominantFrequency(window, pcm.rate);
  const level = rmsDbfs(window);
  assert.ok(window.length >= 1.9 * pcm.rate, `${what}: only ${(window.length / pcm.rate).toFixed(2)} s of audio`);
  assert.ok(Math.abs(f - freq) < 5, `${what}: dominant ${f.toFixed(1)} Hz, expected ${freq}`);
  assert.ok(Math.abs(level - toneDbfs) < 6, `${what}: level ${level.toFixed(1)} dBFS, expected about ${toneDbfs}`);
}

export interface CapturedDatagram { srcPort: number; dstPort: number; payload: Buffer }

/**
 * UDP to or from `port` on loopback, captured with dumpcap while a test runs (to see what a peer
 * like baresip receives from us). `stop()` returns the datagrams in order.
 */
export async function captureUdp(dir: string, port: number): Promise<{ stop(): Promise<CapturedDatagram[]> }> {
  requireBinary('dumpcap', 'tshark');
  const file = join(dir, `udp-${port}.pcapng`);
  const proc = spawnManaged('dumpcap', ['-q', '-i', 'lo', '-f', `udp port ${port}`, '-w', file], { name: `dumpcap-${port}`, dir });
  await waitFor(() => proc.log().includes('File:'), { timeoutMs: 10_000, what: 'dumpcap to start', log: () => proc.log(),
    failIf: () => (proc.exitInfo() ? 'dumpcap exited' : undefined) });
  await new Promise((r) => setTimeout(r, 300));
  return {
    async stop() {
      await new Promise((r) => setTimeout(r, 300));
      await proc.stop();
      const out = execFileSync('tshark', ['-r', file, '-T', 'fields', '-e', 'udp.srcport', '-e', 'udp.dstport', '-e', 'udp.payload'],
        { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
      return out.split('\n').filter(Boolean).map((line) => {
        const [src, dst, hex] = line.split('\t');
        return { srcPort: Number(src), dstPort: Number(dst), payload: Buffer.from((hex ?? '').replace(/:/g, ''), 'hex') };
      });
    },
  };
}
