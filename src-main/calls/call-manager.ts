/**
 * The call manager every host drives (CLI, Electron main, web host): lines, one active call at a
 * time with automatic hold, DND, call waiting, and a snapshot + events model over the contract in
 * src-main/contract/calls.ts. Commands are validated there; nothing here throws across a host.
 */
import { EventEmitter } from 'node:events';
import { parseUri } from '../sip/message/index.js';
import type { UserAgent } from '../sip/ua/user-agent.js';
import type { IncomingCall } from '../sip/ua/incoming-call.js';
import type { InviteSession } from '../sip/ua/invite-session.js';
import type { MediaEngine } from '../media/engine/media-engine.js';
import { formatDtmfRelay, parseDtmfRelay, DTMF_RELAY_CONTENT_TYPE } from '../media/dtmf/sip-info.js';
import { parseCommand, type CallEvent, type CallSnapshot, type Command, type Result } from '../contract/calls.js';
import { Call } from './call.js';
import { CallMedia, type CallMediaOptions } from './call-media.js';

export interface CallManagerSettings {
  /** Simultaneous calls (lines). */
  maxLines: number;
  /** Answering or dialling while a call is active puts that call on hold first. */
  autoHold: boolean;
  /** Do not disturb: incoming calls are refused with this status (486 Busy Here or 603 Decline). */
  dnd: false | 486 | 603;
}

export interface CallManagerDeps {
  ua: UserAgent;
  engine: MediaEngine;
  /** RTP address, port, codecs and SRTP policy for a new call's media. */
  mediaOptions(account: string | undefined): CallMediaOptions;
  now?: () => number;
}

export interface CallManagerEvents {
  event: [CallEvent];
  /** A new call appeared (hosts attach per-call behaviour such as auto-answer). */
  call: [Call];
}

export const defaultSettings: CallManagerSettings = { maxLines: 4, autoHold: true, dnd: false };

export class CallManager extends EventEmitter<CallManagerEvents> {
  readonly calls = new Map<string, Call>();
  private readonly streams = new Map<string, Call>();
  private streamCounter = 0;
  private muted = false;
  private readonly now: () => number;

  constructor(private readonly deps: CallManagerDeps, readonly settings: CallManagerSettings = { ...defaultSettings }) {
    super();
    this.now = deps.now ?? Date.now;
    deps.ua.on('incoming', (call, account) => void this.onIncoming(call, account));
    deps.engine.on('dtmf', (stream, digit) => {
      const call = this.streams.get(stream);
      if (call) this.emit('event', { type: 'dtmf', callId: call.id, digit, via: 'rfc4733' });
    });
  }

  /** Every call, as a person would see them. */
  getState(): { calls: CallSnapshot[]; muted: boolean; dnd: CallManagerSettings['dnd'] } {
    return { calls: [...this.calls.values()].map((c) => c.snapshot()), muted: this.muted, dnd: this.settings.dnd };
  }

  /** Validate and run a command from any host. */
  async execute(input: unknown): Promise<Result<unknown>> {
    const parsed = parseCommand(input);
    if (!parsed.ok) return parsed;
    try {
      return await this.run(parsed.value);
    } catch (e) {
      return { ok: false, error: (e as Error).message };
    }
  }

  private async run(command: Command): Promise<Result<unknown>> {
    switch (command.type) {
      case 'dial':
        return this.dial(command.uri, command.account);
      case 'answer':
        return this.answer(command.callId);
      case 'reject': {
        const call = this.find(command.callId, (c) => c.state === 'incoming');
        if (!call) return fail('reject: no ringing call');
        (call.session as IncomingCall).reject(command.status ?? 486);
        return ok();
      }
      case 'hangup': {
        const call = this.find(command.callId, (c) => c.state !== 'ended');
        if (!call) return fail('hangup: no call');
        call.session.hangup();
        return ok();
      }
      case 'mute':
      case 'unmute':
        this.muted = command.type === 'mute';
        this.deps.engine.mute(this.muted);
        for (const c of this.calls.values()) {
          c.muted = this.muted;
          this.changed(c);
        }
        return ok();
      case 'dtmf': {
        const call = this.find(command.callId, (c) => c.signalling === 'confirmed');
        if (!call) return fail('dtmf: no answered call');
        this.sendDtmf(call, command.digits.toUpperCase());
        return ok();
      }
      case 'dnd':
        this.settings.dnd = command.on ? this.settings.dnd || 486 : false;
        return ok();
      default:
        return fail(`${command.type}: not available yet`);
    }
  }

  async dial(uri: string, account?: string): Promise<Result<string>> {
    if (this.liveCalls().length >= this.settings.maxLines) return fail(`dial: all ${this.settings.maxLines} lines are busy`);
    let target;
    try {
      target = parseUri(uri);
    } catch (e) {
      return fail(`dial: bad URI ${JSON.stringify(uri)}: ${(e as Error).message}`);
    }
    await this.holdActive();
    const media = await this.openMedia(account);
    const session = this.deps.ua.call(target, media, account);
    return ok(this.track(session, media, account).id);
  }

  async answer(callId?: string): Promise<Result<unknown>> {
    const call = this.find(callId, (c) => c.state === 'incoming');
    if (!call) return fail('answer: no ringing call');
    await this.holdActive(call);
    (call.session as IncomingCall).answer();
    return ok();
  }

  /** Hosts call this on exit: hang up everything. */
  hangupAll(): void {
    for (const c of this.calls.values()) c.session.hangup();
  }

  private async onIncoming(session: IncomingCall, account: string | undefined): Promise<void> {
    if (this.settings.dnd) {
      session.reject(this.settings.dnd);
      this.emit('event', { type: 'notice', message: `do not disturb: refused a call from ${session.remoteIdentity.uri.user ?? 'unknown'}` });
      return;
    }
    if (this.liveCalls().length >= this.settings.maxLines) {
      session.reject(486);
      return;
    }
    const media = await this.openMedia(account);
    session.setMedia(media);
    this.track(session, media, account);
    session.ring();
  }

  private async openMedia(account: string | undefined): Promise<CallMedia> {
    return CallMedia.open(this.deps.engine, `m${++this.streamCounter}`, this.deps.mediaOptions(account));
  }

  private track(session: InviteSession, media: CallMedia, account: string | undefined): Call {
    const call = new Call(session, media, account, this.now);
    this.calls.set(call.id, call);
    this.streams.set(media.stream, call);
    call.muted = this.muted;
    call.on('change', () => this.changed(call));
    call.on('ended', (record) => {
      this.calls.delete(call.id);
      this.streams.delete(media.stream);
      this.emit('event', { type: 'history', record });
      this.updateAlerting();
    });
    session.on('info', (type, body) => {
      const relay = type.toLowerCase().startsWith(DTMF_RELAY_CONTENT_TYPE) ? parseDtmfRelay(body) : undefined;
      if (relay) this.emit('event', { type: 'dtmf', callId: call.id, digit: relay.signal, via: 'info' });
    });
    this.emit('call', call);
    this.changed(call);
    return call;
  }

  private changed(call: Call): void {
    if (call.direction === 'outgoing') call.media.ringback(call.signalling === 'ringing');
    this.updateAlerting();
    this.emit('event', { type: 'call', call: call.snapshot() });
  }

  private alerting: 'none' | 'ring' | 'waiting' = 'none';

  /** Ring when idle; a call-waiting beep in the earpiece when another call is in progress. */
  private updateAlerting(): void {
    const ringing = [...this.calls.values()].filter((c) => c.state === 'incoming');
    const busy = [...this.calls.values()].some((c) => c.signalling === 'confirmed' && c.state !== 'held');
    const next = ringing.length === 0 ? 'none' : busy ? 'waiting' : 'ring';
    if (next === this.alerting) return;
    this.deps.engine.ring(next === 'ring');
    const active = [...this.calls.values()].find((c) => c.signalling === 'confirmed' && c.state !== 'held');
    if (active) this.deps.engine.tone(active.media.stream, next === 'waiting' ? 'call-waiting' : 'none');
    this.alerting = next;
  }

  /** One active call at a time (RFC 3264 §8.4 hold for the one that was active). */
  private async holdActive(except?: Call): Promise<void> {
    if (!this.settings.autoHold) return;
    for (const c of this.calls.values()) {
      if (c !== except && c.state === 'active') await this.hold(c);
    }
  }

  /** Filled in with re-INVITE support; until then a second call simply runs alongside. */
  protected async hold(_call: Call): Promise<void> {}

  /** RFC 4733 when negotiated, SIP INFO (application/dtmf-relay) otherwise. */
  sendDtmf(call: Call, digits: string): void {
    if (call.media.canSendRfc4733) {
      call.media.sendDtmf(digits);
      return;
    }
    let delay = 0;
    for (const digit of digits) {
      setTimeout(() => call.session.sendInfo(DTMF_RELAY_CONTENT_TYPE, formatDtmfRelay(digit, 160)), delay).unref();
      delay += 250;
    }
  }

  private liveCalls(): Call[] {
    return [...this.calls.values()].filter((c) => c.state !== 'ended');
  }

  /** The named call, or the most recent one matching `filter`. */
  private find(callId: string | undefined, filter: (c: Call) => boolean): Call | undefined {
    if (callId) {
      const c = this.calls.get(callId);
      return c && filter(c) ? c : undefined;
    }
    return [...this.calls.values()].reverse().find(filter);
  }
}

function ok<T>(value?: T): Result<T> {
  return { ok: true, value: value as T };
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}
