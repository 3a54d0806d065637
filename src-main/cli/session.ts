/** One run of the CLI host: the SIP stack, the media engine and the call manager, driven by flags and stdin. */
import { createInterface } from 'node:readline';
import { isIP } from 'node:net';
import { accountDefaults, type AccountConfig } from '../sip/ua/account.js';
import { createSipStack, type SipStack } from '../sip/ua/stack.js';
import { MediaEngine } from '../media/engine/media-engine.js';
import { CallManager, defaultSettings } from '../calls/call-manager.js';
import type { Call } from '../calls/call.js';
import type { CallEvent } from '../contract/calls.js';
import { NetworkWatch } from '../util/network-watch.js';
import { systemClock } from '../util/clock.js';
import { createOutput, type CliEvent } from './output.js';
import type { CliOptions } from './options.js';
import { deviceSelection } from './media-setup.js';
import { runEchoTest } from './echo-test.js';
import { instanceIdFor } from './instance-id.js';
import { parseStdinCommand } from './stdin-commands.js';

const userAgent = 'NimbusPhone/0.1.0';
/** Manager states the CLI reports as such; otherwise it reports the SIP session's state. */
const callControlStates = new Set(['held', 'remote-held', 'transferring', 'conference']);

export class CliSession {
  private readonly out: (e: CliEvent) => void;
  private stack: SipStack | undefined;
  private engine!: MediaEngine;
  private manager: CallManager | undefined;
  private account: AccountConfig | undefined;
  private bindAddress = '127.0.0.1';
  private nextRtpPort: number | undefined;
  private network: NetworkWatch | undefined;
  private firstCall: string | undefined;
  private shuttingDown = false;
  private stopRequested!: () => void;
  private readonly stopped = new Promise<void>((resolve) => (this.stopRequested = resolve));
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
    if (o.command === 'list-devices') return this.listDevices();
    if (!(await this.openDevices())) return 1;
    this.engine.on('device', (event, detail) => this.out({ event: 'notice', message: `audio device ${event}: ${detail}` }));
    this.engine.on('no-rtp', (stream, seconds) => this.out({ event: 'notice', message: `stream ${stream}: no RTP for ${seconds} s` }));
    this.readStdin();
    process.once('SIGINT', () => void this.shutdown(0));
    process.once('SIGTERM', () => void this.shutdown(0));
    if (o.command === 'echo-test') {
      const code = await runEchoTest(this.engine, { ...o, bindAddress: o.bindAddress ?? '127.0.0.1' }, this.out, this.stopped);
      await this.engine.shutdown();
      return code;
    }
    if (!(await this.startStack())) return 1;
    const registered = this.register();
    if (o.command === 'call') {
      if (!(await registered)) return this.shutdown(1);
      const result = await this.manager!.dial(o.target!, this.account?.key);
      if (!result.ok) {
        this.out({ event: 'error', message: result.error });
        return this.shutdown(2);
      }
      this.firstCall = result.value;
    }
    return this.done;
  }

  private async listDevices(): Promise<number> {
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

  private async openDevices(): Promise<boolean> {
    const devices = deviceSelection(this.options);
    try {
      await this.engine.openDevices(devices);
      return true;
    } catch (e) {
      if (devices.kind !== 'portaudio') {
        this.out({ event: 'error', message: `cannot open audio files: ${(e as Error).message}` });
        await this.engine.shutdown();
        return false;
      }
      // No sound device (a server, a locked-down VM): calls still work, silently.
      this.out({ event: 'notice', message: `no audio device (${(e as Error).message}): continuing without audio` });
      await this.engine.openDevices({ kind: 'null' });
      return true;
    }
  }

  private async startStack(): Promise<boolean> {
    const o = this.options;
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
          if (e.kind === 'keepalive-timeout') this.stack?.ua.networkChanged();
        },
      });
    } catch (e) {
      this.out({ event: 'error', message: `cannot listen on ${this.bindAddress}:${o.localPort}: ${(e as Error).message}` });
      await this.engine.shutdown();
      return false;
    }
    const ua = this.stack.ua;
    const udp = this.stack.transport.localAddress('udp');
    this.out({ event: 'ready', transport: 'udp', address: udp.address, port: udp.port });
    ua.on('notice', (message) => this.out({ event: 'notice', message }));
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
    this.manager = new CallManager({
      ua,
      engine: this.engine,
      mediaOptions: () => this.mediaOptions(),
    }, { ...defaultSettings, autoHold: o.autoHold, forward: o.forward });
    this.manager.on('event', (e) => this.onManagerEvent(e));
    this.manager.on('call', (call) => this.onCall(call));
    this.network = new NetworkWatch(systemClock(), () => {
      this.out({ event: 'notice', message: 'network changed: registering again' });
      ua.networkChanged();
    });
    this.network.start();
    return true;
  }

  private mediaOptions() {
    const rtpPort = this.nextRtpPort;
    if (this.nextRtpPort !== undefined) this.nextRtpPort += 2;
    return {
      address: this.bindAddress === '0.0.0.0' ? this.stack!.transport.localAddress('udp').address : this.bindAddress,
      srtp: this.options.srtp,
      ...(rtpPort !== undefined ? { rtpPort } : {}),
      ...(this.options.codecs ? { codecs: this.options.codecs } : {}),
    };
  }

  /** Resolves true when registered (or nothing to register), false on the first failure. */
  private register(): Promise<boolean> {
    const account = this.account;
    if (!account?.register) return Promise.resolve(true);
    return new Promise((resolve) => {
      this.stack!.ua.on('registration', (key, status) => {
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
      this.stack!.ua.register();
    });
  }

  /** Per-call behaviour from the flags: auto-answer, duration, DTMF after answer. */
  private onCall(call: Call): void {
    const o = this.options;
    if (call.direction === 'incoming' && o.autoAnswer !== undefined) {
      setTimeout(() => void this.manager!.answer(call.id), o.autoAnswer).unref();
    }
    let durationTimer: NodeJS.Timeout | undefined;
    let answered = false;
    call.on('change', () => {
      if (call.signalling !== 'confirmed' || answered) return;
      answered = true;
      if (o.duration !== undefined) durationTimer = setTimeout(() => call.session.hangup(), o.duration * 1000);
      if (call.media.failure) {
        this.out({ event: 'notice', message: `call ${call.id}: ${call.media.failure}` });
        call.session.hangup();
      } else if (o.dtmf) {
        this.manager!.sendDtmf(call, o.dtmf);
      }
    });
    call.on('ended', () => {
      clearTimeout(durationTimer);
      if (call.stats && call.answeredAt !== undefined) this.out({ event: 'stats', id: call.id, ...call.stats });
      if (call.id === this.firstCall) {
        // Transferred away or replaced (RFC 5589): the run goes on with the call that took its place.
        const next = [...this.manager!.calls.values()].at(-1);
        if (next && call.outcomeOverride === 'transferred') {
          this.firstCall = next.id;
          return;
        }
        const cause = call.endCause?.cause;
        const normal = call.answeredAt !== undefined && (cause === 'local-hangup' || cause === 'remote-hangup');
        void this.shutdown(normal ? 0 : 1);
      }
    });
  }

  private readonly reported = new Map<string, string>();

  private onManagerEvent(e: CallEvent): void {
    switch (e.type) {
      case 'call': {
        const call = this.manager!.calls.get(e.call.id);
        const state = callControlStates.has(e.call.state) ? e.call.state : e.call.state === 'ended' ? 'ended' : call?.signalling ?? e.call.state;
        if (this.reported.get(e.call.id) === state) return;
        this.reported.set(e.call.id, state);
        const base = { event: 'call' as const, id: e.call.id, direction: e.call.direction, remote: e.call.peer.uri, state };
        if (state === 'ended') {
          this.reported.delete(e.call.id);
          const reason = call?.endCause?.reason;
          this.out({ ...base, ...(e.call.cause ? { cause: e.call.cause } : {}), ...(e.call.status ? { status: e.call.status } : {}), ...(reason ? { reason } : {}) });
        } else {
          this.out({ ...base, ...(state === 'confirmed' && e.call.codec ? { codec: e.call.codec } : {}) });
        }
        return;
      }
      case 'history':
        return;
      case 'dtmf':
        this.out({ event: 'dtmf', id: e.callId, digit: e.digit, via: e.via });
        return;
      case 'transfer':
        this.out({ event: 'transfer', id: e.callId, status: e.status, ...(e.sipfrag ? { sipfrag: e.sipfrag } : {}) });
        return;
      case 'notice':
        this.out({ event: 'notice', message: e.message });
        return;
    }
  }

  private readStdin(): void {
    const rl = createInterface({ input: process.stdin, terminal: false });
    rl.on('line', (line) => void this.command(line));
  }

  private async command(line: string): Promise<void> {
    const parsed = parseStdinCommand(line);
    if (!parsed) return;
    switch (parsed.kind) {
      case 'error':
        this.out({ event: 'error', message: parsed.message });
        return;
      case 'quit':
        this.stopRequested();
        if (this.stack) await this.shutdown(0);
        return;
      case 'calls':
        this.out({ event: 'calls', calls: this.manager?.getState().calls ?? [] });
        return;
      case 'manager': {
        if (!this.manager) {
          this.out({ event: 'error', message: `${parsed.command.type}: no SIP stack in this mode` });
          return;
        }
        const result = await this.manager.execute({ ...parsed.command, ...(parsed.command.type === 'dial' && this.account ? { account: this.account.key } : {}) });
        if (!result.ok) this.out({ event: 'error', message: result.error });
      }
    }
  }

  private async shutdown(code: number): Promise<number> {
    if (this.shuttingDown) return code;
    this.shuttingDown = true;
    this.stopRequested();
    this.network?.stop();
    const calls = this.manager?.calls.size ?? 0;
    this.manager?.hangupAll();
    // Give BYE/CANCEL a moment to leave, and unregister (bounded).
    await new Promise((r) => setTimeout(r, calls > 0 ? 300 : 0));
    if (this.stack) await Promise.race([this.stack.stop(), new Promise((r) => setTimeout(r, 4000))]);
    await this.engine.shutdown();
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
