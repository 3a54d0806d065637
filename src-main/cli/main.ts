/**
 * `softphone`: the headless host. Runs the same core as the app for scripting, automation and
 * interop tests (pjsua-like). Exit codes: 0 success, 1 call/registration failed, 2 usage error.
 */
import { createInterface } from 'node:readline';
import { isIP } from 'node:net';
import { formatUri, parseUri } from '../sip/message/index.js';
import { accountDefaults, type AccountConfig } from '../sip/ua/account.js';
import { createSipStack, type SipStack } from '../sip/ua/stack.js';
import type { InviteSession } from '../sip/ua/invite-session.js';
import type { IncomingCall } from '../sip/ua/incoming-call.js';
import { createOutput, type CliEvent } from './output.js';
import { parseCli, usage, UsageError, type CliOptions } from './options.js';
import { MediaEngine } from '../media/engine/media-engine.js';
import { parseDtmfRelay, formatDtmfRelay, DTMF_RELAY_CONTENT_TYPE } from '../media/dtmf/sip-info.js';
import { CallMedia } from '../calls/call-media.js';
import { deviceSelection } from './media-setup.js';
import { runEchoTest } from './echo-test.js';
import { NetworkWatch } from '../util/network-watch.js';
import { systemClock } from '../util/clock.js';
import { instanceIdFor } from './instance-id.js';

const userAgent = 'NimbusPhone/0.1.0';

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write(usage + '\n');
    return 0;
  }
  let options: CliOptions;
  try {
    options = parseCli(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`softphone: ${e.message}\n${usage}\n`);
      return 2;
    }
    throw e;
  }
  return new CliSession(options).run();
}

class CliSession {
  private readonly out: (e: CliEvent) => void;
  private stack!: SipStack;
  private readonly calls = new Map<string, { session: InviteSession; media: CallMedia; answeredAt?: number }>();
  private engine: MediaEngine | undefined;
  private nextRtpPort: number | undefined;
  private stopRequested!: () => void;
  private readonly stopped = new Promise<void>((resolve) => (this.stopRequested = resolve));
  private account: AccountConfig | undefined;
  private bindAddress = '127.0.0.1';
  private finish!: (code: number) => void;
  private readonly done = new Promise<number>((resolve) => (this.finish = resolve));

  constructor(private readonly options: CliOptions) {
    this.out = createOutput(options.json);
  }

  async run(): Promise<number> {
    const o = this.options;
    this.bindAddress = o.bindAddress ?? guessBindAddress(o);
    this.nextRtpPort = o.rtpPort;
    const devices = deviceSelection(o);
    // PortAudio prints to stdout from native code: keep it in a child process, off our JSON lines.
    this.engine = new MediaEngine(devices.kind === 'portaudio' || o.command === 'list-devices' ? 'process' : 'thread');
    this.engine.on('error', (e) => this.out({ event: 'error', message: `media engine: ${e.message}` }));
    if (o.command === 'list-devices') {
      try {
        this.out({ event: 'devices', devices: await this.engine.listDevices() });
        return 0;
      } catch (e) {
        this.out({ event: 'error', message: `cannot list audio devices: ${(e as Error).message}` });
        return 1;
      } finally {
        await this.engine.shutdown();
      }
    }
    try {
      await this.engine.openDevices(devices);
    } catch (e) {
      if (devices.kind !== 'portaudio') {
        this.out({ event: 'error', message: `cannot open audio files: ${(e as Error).message}` });
        await this.engine.shutdown();
        return 1;
      }
      // No sound device (a server, a locked-down VM): calls still work, silently.
      this.out({ event: 'notice', message: `no audio device (${(e as Error).message}): continuing without audio` });
      await this.engine.openDevices({ kind: 'null' });
    }
    this.engine.on('device', (event, detail) => this.out({ event: 'notice', message: `audio device ${event}: ${detail}` }));
    this.engine.on('no-rtp', (stream, seconds) => this.out({ event: 'notice', message: `call ${this.streamIds.get(stream) ?? stream}: no RTP for ${seconds} s` }));
    this.engine.on('dtmf', (stream, digit) => this.out({ event: 'dtmf', id: this.streamIds.get(stream) ?? stream, digit, via: 'rfc4733' }));
    if (o.command === 'echo-test') {
      if (o.bindAddress === undefined) this.bindAddress = '127.0.0.1';
      this.readStdin();
      process.once('SIGINT', () => this.stopRequested());
      process.once('SIGTERM', () => this.stopRequested());
      const code = await runEchoTest(this.engine, { ...o, bindAddress: this.bindAddress }, this.out, this.stopped);
      await this.engine.shutdown();
      return code;
    }
    try {
      this.stack = await createSipStack({
        bindAddress: this.bindAddress,
        port: o.localPort,
        userAgent,
        ...(o.tlsCa ? { tlsCa: o.tlsCa } : {}),
        ...(o.sipTrace ? { trace: (line: string) => process.stderr.write(line) } : {}),
        onTransportEvent: (e) => {
          this.out({ event: 'notice', message: `${e.kind}: ${e.message}` });
          // A stream flow to the registrar died: re-register (RFC 5626 §4.4.1).
          if (e.kind === 'keepalive-timeout') this.stack.ua.networkChanged();
        },
      });
    } catch (e) {
      this.out({ event: 'error', message: `cannot listen on ${this.bindAddress}:${o.localPort}: ${(e as Error).message}` });
      return 1;
    }
    const ua = this.stack.ua;
    const udp = this.stack.transport.localAddress('udp');
    this.out({ event: 'ready', transport: 'udp', address: udp.address, port: udp.port });
    ua.on('notice', (message) => this.out({ event: 'notice', message }));
    ua.on('incoming', (call) => void this.onIncoming(call));

    if (o.id) {
      this.account = accountDefaults({
        aor: o.id,
        transport: o.transport,
        register: o.registrar !== undefined || o.password !== undefined,
        expires: o.expires,
        incomingCallPolicy: o.incomingCallPolicy,
        instanceId: instanceIdFor(o.id),
        ...(o.username ? { username: o.username } : {}),
        ...(o.password !== undefined ? { password: o.password } : {}),
        ...(o.registrar ? { registrar: o.registrar } : {}),
        ...(o.outboundProxy ? { outboundProxy: o.outboundProxy } : {}),
      });
      ua.addAccount(this.account);
    }
    const registered = this.register();
    this.network = new NetworkWatch(systemClock(), () => {
      this.out({ event: 'notice', message: 'network changed: registering again' });
      ua.networkChanged();
    });
    this.network.start();
    this.readStdin();
    process.once('SIGINT', () => void this.shutdown(0));
    process.once('SIGTERM', () => void this.shutdown(0));

    if (o.command === 'call') {
      if (!(await registered)) return this.shutdown(1);
      this.placeCall(o.target!, true);
    }
    return this.done;
  }

  /** Resolves true when registered (or nothing to register), false on the first failure. */
  private register(): Promise<boolean> {
    const account = this.account;
    if (!account?.register) return Promise.resolve(true);
    return new Promise((resolve) => {
      this.stack.ua.on('registration', (key, status) => {
        if (status.state === 'registering') return;
        this.out({
          event: 'registration', account: key, state: status.state,
          ...(status.reason ? { reason: status.reason } : {}),
          ...(status.status ? { status: status.status } : {}),
          ...(status.expires ? { expires: status.expires } : {}),
        });
        if (status.state === 'registered') resolve(true);
        if (status.state === 'failed') resolve(false);
      });
      this.stack.ua.register();
    });
  }

  private async placeCall(target: string, exitWhenEnded: boolean): Promise<void> {
    let uri;
    try {
      uri = parseUri(target);
    } catch (e) {
      this.out({ event: 'error', message: `call: bad URI ${JSON.stringify(target)}: ${(e as Error).message}` });
      if (exitWhenEnded) void this.shutdown(2);
      return;
    }
    const media = await this.openMedia();
    const session = this.stack.ua.call(uri, media, this.account?.key);
    this.track(session, media, formatUri(uri), exitWhenEnded);
  }

  private async onIncoming(call: IncomingCall): Promise<void> {
    const media = await this.openMedia();
    call.setMedia(media);
    this.track(call, media, formatUri(call.remoteIdentity.uri), false);
    call.ring();
    if (this.options.autoAnswer !== undefined) {
      setTimeout(() => call.answer(), this.options.autoAnswer).unref();
    }
  }

  private streamCounter = 0;

  /** A media stream for a new call: its RTP port, keys and offer/answer. */
  private async openMedia(): Promise<CallMedia> {
    const rtpPort = this.nextRtpPort;
    if (this.nextRtpPort !== undefined) this.nextRtpPort += 2;
    return CallMedia.open(this.engine!, `m${++this.streamCounter}`, {
      address: this.bindAddress === '0.0.0.0' ? this.stack.transport.localAddress('udp').address : this.bindAddress,
      srtp: this.options.srtp,
      ...(rtpPort !== undefined ? { rtpPort } : {}),
      ...(this.options.codecs ? { codecs: this.options.codecs } : {}),
    });
  }

  private track(session: InviteSession, media: CallMedia, remote: string, exitWhenEnded: boolean): void {
    const entry: { session: InviteSession; media: CallMedia; answeredAt?: number } = { session, media };
    this.streamIds.set(media.stream, session.id);
    this.calls.set(session.id, entry);
    const emit = (state: string, extra: Partial<CliEvent & { event: 'call' }> = {}) =>
      this.out({ event: 'call', id: session.id, direction: session.direction, remote, state, ...extra });
    emit(session.state);
    this.updateRinger();
    let durationTimer: NodeJS.Timeout | undefined;
    session.on('state', (state) => {
      this.updateRinger();
      if (state === 'ended') return;
      // Local ringback while the far end rings without early media (a 183 with SDP plays its own).
      if (session.direction === 'outgoing') media.ringback(state === 'ringing');
      if (state === 'confirmed') {
        entry.answeredAt = Date.now();
        if (this.options.duration !== undefined) durationTimer = setTimeout(() => session.hangup(), this.options.duration * 1000);
        if (media.failure) {
          this.out({ event: 'notice', message: `call ${session.id}: ${media.failure}` });
          session.hangup();
        } else if (this.options.dtmf) {
          this.sendDtmf(session, media, this.options.dtmf);
        }
      }
      emit(state, state === 'confirmed' && media.negotiated ? { codec: media.negotiated.codec.name } : {});
    });
    session.on('info', (type, body) => {
      const relay = type.toLowerCase().startsWith(DTMF_RELAY_CONTENT_TYPE) ? parseDtmfRelay(body) : undefined;
      if (relay) this.out({ event: 'dtmf', id: session.id, digit: relay.signal, via: 'info' });
    });
    session.on('ended', (cause) => {
      clearTimeout(durationTimer);
      this.calls.delete(session.id);
      emit('ended', { cause: cause.cause, ...(cause.status ? { status: cause.status } : {}), ...(cause.reason ? { reason: cause.reason } : {}) });
      void media.stop().then((stats) => {
        this.streamIds.delete(media.stream);
        if (stats && entry.answeredAt !== undefined) this.out({ event: 'stats', id: session.id, ...stats });
        if (exitWhenEnded) {
          const normal = entry.answeredAt !== undefined && (cause.cause === 'local-hangup' || cause.cause === 'remote-hangup');
          void this.shutdown(normal ? 0 : 1);
        }
      });
    });
  }

  private readStdin(): void {
    const rl = createInterface({ input: process.stdin, terminal: false });
    rl.on('line', (line) => this.command(line.trim()));
  }

  private command(line: string): void {
    const [verb, ...args] = line.split(/\s+/);
    const latest = [...this.calls.values()].at(-1)?.session;
    switch (verb) {
      case '':
        return;
      case 'call':
        if (args.length !== 1) this.out({ event: 'error', message: 'usage: call <uri>' });
        else void this.placeCall(args[0]!, false);
        return;
      case 'answer': {
        const ringing = [...this.calls.values()].map((c) => c.session).find((s) => s.direction === 'incoming' && s.state === 'ringing');
        if (ringing) (ringing as IncomingCall).answer();
        else this.out({ event: 'error', message: 'answer: no ringing call' });
        return;
      }
      case 'dtmf': {
        const entry = [...this.calls.values()].reverse().find((c) => c.session.state === 'confirmed');
        if (!entry || args.length !== 1 || !/^[0-9*#A-Da-d]+$/.test(args[0]!)) {
          this.out({ event: 'error', message: entry ? 'usage: dtmf DIGITS (0-9 * # A-D)' : 'dtmf: no answered call' });
        } else {
          this.sendDtmf(entry.session, entry.media, args[0]!.toUpperCase());
        }
        return;
      }
      case 'hangup':
        if (latest) latest.hangup();
        else this.out({ event: 'error', message: 'hangup: no call' });
        return;
      case 'quit':
        this.stopRequested();
        if (this.stack) void this.shutdown(0);
        return;
      default:
        this.out({ event: 'error', message: `unknown command ${JSON.stringify(verb)} (call <uri> | answer | hangup | quit)` });
    }
  }

  private shuttingDown = false;
  private ringing = false;

  /** The ringer sounds while any incoming call rings. */
  private updateRinger(): void {
    const ringing = [...this.calls.values()].some((c) => c.session.direction === 'incoming' && c.session.state === 'ringing');
    if (ringing !== this.ringing) this.engine?.ring(ringing);
    this.ringing = ringing;
  }
  /** Media stream id → call id, for events from the engine. */
  private readonly streamIds = new Map<string, string>();

  /** RFC 4733 when the peer negotiated telephone-event, else SIP INFO (application/dtmf-relay). */
  private sendDtmf(session: InviteSession, media: CallMedia, digits: string): void {
    if (media.canSendRfc4733) {
      media.sendDtmf(digits);
      return;
    }
    let delay = 0;
    for (const digit of digits) {
      setTimeout(() => session.sendInfo(DTMF_RELAY_CONTENT_TYPE, formatDtmfRelay(digit, 160)), delay).unref();
      delay += 250;
    }
  }
  private network: NetworkWatch | undefined;

  private async shutdown(code: number): Promise<number> {
    if (this.shuttingDown) return code;
    this.shuttingDown = true;
    this.network?.stop();
    for (const { session } of this.calls.values()) session.hangup();
    // Give BYE/CANCEL a moment to leave, and unregister (bounded).
    await new Promise((r) => setTimeout(r, this.calls.size > 0 ? 300 : 0));
    await Promise.race([this.stack.stop(), new Promise((r) => setTimeout(r, 4000))]);
    await this.engine?.shutdown();
    this.finish(code);
    return code;
  }
}

/** Loopback peers get a loopback bind; anything else binds all interfaces. */
function guessBindAddress(o: CliOptions): string {
  for (const uri of [o.outboundProxy, o.registrar, o.target, o.id]) {
    const host = uri?.replace(/^sips?:/i, '').replace(/^[^@]*@/, '').replace(/[;?].*$/, '');
    const ip = host?.startsWith('[') ? host.slice(1, host.indexOf(']')) : host?.split(':')[0];
    if (ip && isIP(ip)) return ip.startsWith('127.') ? '127.0.0.1' : ip === '::1' ? '::1' : '0.0.0.0';
  }
  return '0.0.0.0';
}
