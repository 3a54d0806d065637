/** One run of the CLI host: the core built by the factory, driven by flags and stdin, reported as lines. */
import { createInterface } from 'node:readline';
import { createPhone, listAudioDevices, runEchoTest, type Phone } from '../core/phone.js';
import { dispatch, type PhoneEvent } from '../contract/channels.js';
import { createOutput, echoAdviceEvent, type CliEvent } from './output.js';
import type { CliOptions } from './options.js';
import { deviceSelection, phoneOptionsFrom } from './phone-options.js';
import { parseStdinCommand, type PresenceCommand } from './stdin-commands.js';

/** Where a session reads commands and writes lines (the process's own by default; tests pass theirs). */
export interface CliIo {
  input?: NodeJS.ReadableStream;
  write?: (line: string) => void;
  /** Stop on SIGINT/SIGTERM (default true). */
  signals?: boolean;
}

/** Manager states the CLI reports as such; otherwise it reports the SIP session's progress. */
const callControlStates = new Set(['held', 'remote-held', 'transferring', 'conference']);

export class CliSession {
  private readonly out: (e: CliEvent) => void;
  private phone: Phone | undefined;
  private firstCall: string | undefined;
  private readonly reported = new Map<string, string>();
  /** Calls not yet ended, in the order they appeared, and why ended ones ended. */
  private readonly live = new Set<string>();
  private readonly causes = new Map<string, string | undefined>();
  private shuttingDown = false;
  private stopRequested!: () => void;
  private readonly stopped = new Promise<void>((resolve) => (this.stopRequested = resolve));
  private finish!: (code: number) => void;
  private readonly done = new Promise<number>((resolve) => (this.finish = resolve));

  constructor(private readonly options: CliOptions, private readonly io: CliIo = {}) {
    this.out = createOutput(options.json, io.write);
  }

  async run(): Promise<number> {
    const o = this.options;
    for (const message of o.warnings) this.out({ event: 'notice', message });
    const devices = deviceSelection(o);
    // PortAudio prints to stdout from native code: keep it in a child process, off our JSON lines.
    const isolation = devices.kind === 'portaudio' || o.command === 'list-devices' ? 'process' : 'thread';
    if (o.command === 'list-devices') return this.listDevices(isolation);
    this.readStdin();
    if (this.io.signals !== false) {
      process.once('SIGINT', () => void this.shutdown(0));
      process.once('SIGTERM', () => void this.shutdown(0));
    }
    if (o.command === 'echo-test') return this.echoTest(isolation);

    const register = o.registrar !== undefined || o.password !== undefined;
    try {
      this.phone = await createPhone(phoneOptionsFrom(o, 'cli', isolation));
    } catch (e) {
      this.out({ event: 'error', message: (e as Error).message });
      return 1;
    }
    const registered = register ? this.registration() : Promise.resolve(true);
    this.phone.onEvent((e) => this.onEvent(e));
    const sip = this.phone.sipAddress;
    this.out({ event: 'ready', transport: sip.transport, address: sip.address, port: sip.port });
    if (o.command === 'call') {
      if (!(await registered)) return this.shutdown(1);
      const result = await this.phone.handlers['calls.command']({ type: 'dial', uri: o.target!, ...(this.phone.accountKey ? { account: this.phone.accountKey } : {}) });
      if (!result.ok) {
        this.out({ event: 'error', message: result.error });
        return this.shutdown(2);
      }
      this.firstCall = result.value as string;
    }
    return this.done;
  }

  private async listDevices(isolation: 'thread' | 'process'): Promise<number> {
    try {
      this.out({ event: 'devices', devices: await listAudioDevices(isolation) });
      return 0;
    } catch (e) {
      this.out({ event: 'error', message: `cannot list audio devices: ${(e as Error).message}` });
      return 1;
    }
  }

  private async echoTest(isolation: 'thread' | 'process'): Promise<number> {
    const o = this.options;
    const timer = o.duration !== undefined ? new Promise<void>((r) => setTimeout(r, o.duration! * 1000)) : new Promise<void>(() => {});
    try {
      const stats = await runEchoTest({
        devices: deviceSelection(o), isolation, address: o.bindAddress ?? '127.0.0.1',
        ...(o.codecs?.[0] ? { codec: o.codecs[0] } : {}),
        ...(o.rtpPort !== undefined ? { rtpPort: o.rtpPort } : {}),
        ...(o.processing ? { processing: o.processing } : {}),
        until: Promise.race([timer, this.stopped]),
        notice: (message) => this.out({ event: 'notice', message }),
      });
      if (stats) this.out({ event: 'stats', id: 'echo', ...stats });
      return 0;
    } catch (e) {
      this.out({ event: 'error', message: (e as Error).message });
      return 1;
    }
  }

  /** Resolves true when registered, false on the first failure. */
  private registration(): Promise<boolean> {
    return new Promise((resolve) => {
      this.phone!.onEvent((e) => {
        if (e.type !== 'registration' || e.state === 'registering') return;
        if (e.state === 'registered') resolve(true);
        if (e.state === 'failed') resolve(false);
      });
    });
  }

  private onEvent(e: PhoneEvent): void {
    switch (e.type) {
      case 'registration':
        if (e.state === 'registering') return;
        this.out({
          event: 'registration', account: e.account, state: e.state,
          ...(e.reason ? { reason: e.reason } : {}), ...(e.status ? { status: e.status } : {}), ...(e.expires ? { expires: e.expires } : {}),
        });
        return;
      case 'call': {
        const c = e.call;
        const state = callControlStates.has(c.state) ? c.state : c.state === 'ended' ? 'ended' : c.progress;
        if (state === 'ended') {
          this.live.delete(c.id);
          this.causes.set(c.id, c.cause);
        } else {
          this.live.add(c.id);
        }
        if (this.reported.get(c.id) === state) return;
        this.reported.set(c.id, state);
        const base = { event: 'call' as const, id: c.id, direction: c.direction, remote: c.peer.uri, state, ...(c.autoAnswered ? { autoAnswered: true as const } : {}) };
        if (state !== 'ended') {
          this.out({ ...base, ...(state === 'confirmed' && c.codec ? { codec: c.codec } : {}) });
          return;
        }
        this.reported.delete(c.id);
        this.out({ ...base, ...(c.cause ? { cause: c.cause } : {}), ...(c.status ? { status: c.status } : {}), ...(c.reason ? { reason: c.reason } : {}) });
        return;
      }
      case 'stats':
        this.out({ event: 'stats', id: e.callId, ...e.stats });
        return;
      case 'history':
        this.onCallEnded(e.record.callId, e.record.outcome, e.record.answeredAt !== undefined);
        return;
      case 'dtmf':
        this.out({ event: 'dtmf', id: e.callId, digit: e.digit, via: e.via });
        return;
      case 'transfer':
        this.out({ event: 'transfer', id: e.callId, status: e.status, ...(e.sipfrag ? { sipfrag: e.sipfrag } : {}) });
        return;
      case 'transfer-request':
        this.out({
          event: 'transfer-request', id: e.callId, target: e.target, policy: e.policy, action: e.action,
          ...(e.reason ? { reason: e.reason } : {}), ...(e.referredBy ? { referredBy: e.referredBy } : {}), ...(e.timeoutS ? { timeoutS: e.timeoutS } : {}),
        });
        return;
      case 'notice':
        this.out({ event: 'notice', message: e.message });
        return;
      case 'sip-mapping': {
        const { type: _type, ...rest } = e;
        this.out({ event: 'sip-mapping', ...rest });
        return;
      }
      case 'echo-advice':
        this.out(echoAdviceEvent(e));
        return;
      case 'blf':
        this.out({ event: 'blf', uri: e.uri, state: e.state });
        return;
      case 'presence':
        this.out({ event: 'presence', uri: e.uri, status: e.presence.status, note: e.presence.note ?? null });
        return;
      case 'mwi':
        this.out({ event: 'mwi', account: e.mwi.account, waiting: e.mwi.waiting, new: e.mwi.new, old: e.mwi.old });
        return;
      case 'message':
        this.out({ event: 'message', from: e.message.peer, text: e.message.text });
        return;
      case 'message-status':
        this.out({ event: 'message-status', id: e.id, status: e.status, code: e.code });
        return;
    }
  }

  /** `call` mode ends with the first call: 0 when it was answered and hung up normally. */
  private onCallEnded(callId: string, outcome: string, answered: boolean): void {
    if (callId !== this.firstCall) return;
    // Transferred away or replaced (RFC 5589): the run goes on with the call that took its place.
    if (outcome === 'transferred' && this.live.size > 0) {
      this.firstCall = [...this.live].at(-1);
      return;
    }
    const cause = this.causes.get(callId);
    this.causes.delete(callId);
    void this.shutdown(answered && (cause === 'local-hangup' || cause === 'remote-hangup') ? 0 : 1);
  }

  private readStdin(): void {
    const rl = createInterface({ input: this.io.input ?? process.stdin, terminal: false });
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
        if (this.phone) await this.shutdown(0);
        return;
      case 'calls': {
        const r = await this.phone?.handlers['calls.snapshot']({});
        this.out({ event: 'calls', calls: r?.ok ? r.value.calls : [] });
        return;
      }
      case 'subscribe':
      case 'unsubscribe':
      case 'pickup':
      case 'message':
      case 'status':
        await this.presenceCommand(parsed);
        return;
      case 'manager': {
        if (!this.phone) {
          this.out({ event: 'error', message: `${parsed.command.type}: no SIP stack in this mode` });
          return;
        }
        const command = { ...parsed.command, ...(parsed.command.type === 'dial' && this.phone.accountKey ? { account: this.phone.accountKey } : {}) };
        const result = await this.phone.handlers['calls.command'](command);
        if (!result.ok) this.out({ event: 'error', message: result.error });
      }
    }
  }

  /** Presence, messages and pickup go to the presence channels (contract/presence.ts). */
  private async presenceCommand(c: PresenceCommand): Promise<void> {
    const phone = this.phone;
    if (!phone) {
      this.out({ event: 'error', message: `${c.kind}: no SIP stack in this mode` });
      return;
    }
    // Through the contract's validation, as any host's requests.
    const [channel, request] = c.kind === 'message' ? ['messages.send', { uri: c.uri, text: c.text }]
      : c.kind === 'status' ? ['presence.setStatus', { status: c.status }]
      : [c.kind === 'pickup' ? 'calls.pickup' : `presence.${c.kind}`, { uri: c.uri }];
    const result = await dispatch(phone.handlers, channel, request);
    if (!result.ok) this.out({ event: 'error', message: result.error });
  }

  private async shutdown(code: number): Promise<number> {
    if (this.shuttingDown) return code;
    this.shuttingDown = true;
    this.stopRequested();
    await this.phone?.stop();
    this.finish(code);
    return code;
  }
}
