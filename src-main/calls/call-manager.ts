/**
 * The call manager every host drives (CLI, Electron main, web host): lines, one active call at a
 * time with automatic hold, DND, call waiting, and a snapshot + events model over the contract in
 * src-main/contract/calls.ts. Commands are validated there; nothing here throws across a host.
 */
import { EventEmitter } from 'node:events';
import { parseUri } from '../sip/message/index.js';
import type { InviteServerSession } from '../sip/ua/session/invite-server-session.js';
import type { InviteSession } from '../sip/ua/session/invite-session.js';
import { formatDtmfRelay, parseDtmfRelay, DTMF_RELAY_CONTENT_TYPE } from '../sip/ua/session/dtmf-relay.js';
import { systemClock, systemWallClock, type Clock } from '../util/clock.js';
import { cryptoBytes, cryptoRandom, type Random } from '../util/random.js';
import { parseCommand, type CallEvent, type CallSnapshot, type Command, type Result } from '../contract/calls.js';
import { Call } from './call.js';
import { CallMedia, MediaOpenError, type CallMediaOptions } from './call-media.js';
import { renewedAddresses, resolveMediaAddresses } from './media-addresses.js';
import { attendedTransfer, transferCall, type TransferHost } from './transfers.js';
import { TransferRequests } from './transfer-requests.js';
import { honourAutoAnswer } from './auto-answer.js';
import { holdCall, resumeCall } from './hold.js';
import { Alerting } from './alerting.js';
import { decideIncoming } from './incoming-rules.js';
import type { CallEngine, CallSession, CallSignalling, MediaRandom } from './ports.js';

export interface CallManagerSettings {
  /** Simultaneous calls (lines). */
  maxLines: number;
  /** Answering or dialling while a call is active puts that call on hold first. */
  autoHold: boolean;
  /** Do not disturb: incoming calls are refused with this status (486 Busy Here or 603 Decline). */
  dnd: false | 486 | 603;
  /** Call forwarding by 302 (RFC 3261 §21.3.3): always, when busy, or after noAnswerSeconds. */
  forward: { mode: 'always' | 'busy' | 'no-answer'; target: string; noAnswerSeconds: number } | undefined;
  /** Answer by themselves when the PBX asks (Call-Info answer-after, Alert-Info intercom, RFC 5373). */
  honorAutoAnswerRequests: boolean;
  /** A second incoming call during a call rings with a beep; off: it is refused with 486. */
  callWaiting: boolean;
}

export interface CallManagerDeps {
  ua: CallSignalling;
  engine: CallEngine;
  /**
   * Bind address, first RTP port, codecs and SRTP policy for a new call's media. The advertised
   * address defaults to what the user agent learnt for the account (a NAT's public address).
   */
  mediaOptions(account: string | undefined): CallMediaOptions;
  /** Wall-clock time, ms since the epoch, for the times in snapshots and history (default Date.now). */
  now?: () => number;
  /** Timers: busy tone, forwarding on no answer, SIP INFO digit spacing, transfers, auto-answer. */
  clock?: Clock;
  /** The SDP session ids of new calls; with `randomBytes`, their SDES keys. */
  random?: Random;
  randomBytes?: (length: number) => Uint8Array;
  /** Caller identification for snapshots: the address-book contact a peer URI belongs to. */
  identifyContact?: (uri: string, account: string | undefined) => { id: number; name: string } | undefined;
}

export interface CallManagerEvents {
  event: [CallEvent];
  /** A new call appeared (hosts attach per-call behaviour such as auto-answer). */
  call: [Call];
}

/** How long the busy signal plays after a busy reply. */
const busyToneMs = 3000;

export const defaultSettings: CallManagerSettings = { maxLines: 4, autoHold: true, dnd: false, forward: undefined, honorAutoAnswerRequests: true, callWaiting: true };

export class CallManager extends EventEmitter<CallManagerEvents> {
  readonly calls = new Map<string, Call>();
  private readonly streams = new Map<string, Call>();
  private streamCounter = 0;
  private muted = false;
  private lastDialed: { uri: string; account: string | undefined } | undefined;
  private readonly now: () => number;
  private readonly clock: Clock;
  private readonly mediaRandom: MediaRandom;
  private readonly alerting: Alerting;
  private readonly transferHost: TransferHost = {
    emit: (e) => this.emit('event', e),
    later: (fn, ms) => void this.clock.setTimeout(fn, ms),
    dial: async (uri, account, transferred) => {
      const r = await this.dial(uri, account, undefined, undefined, transferred);
      return r.ok ? this.calls.get(r.value)! : r.error;
    },
    hold: (c) => this.hold(c),
    resume: (c) => this.resume(c),
  };

  /** REFERs from our peers, under each account's transfer policy. */
  private readonly transferRequests: TransferRequests;

  constructor(private readonly deps: CallManagerDeps, readonly settings: CallManagerSettings = { ...defaultSettings }) {
    super();
    this.now = deps.now ?? systemWallClock;
    this.clock = deps.clock ?? systemClock();
    const random = deps.random ?? cryptoRandom;
    this.mediaRandom = { int: (max) => random.int(max), bytes: deps.randomBytes ?? cryptoBytes };
    this.transferRequests = new TransferRequests(this.transferHost, (account) => deps.ua.transferScope(account), this.clock);
    this.alerting = new Alerting(deps.engine);
    deps.ua.on('incoming', (call, account, replaces) => void this.onIncoming(call, account, replaces));
    deps.engine.on('dtmf', (stream, digit) => {
      const call = this.streams.get(stream);
      if (call) this.emit('event', { type: 'dtmf', callId: call.id, digit, via: 'rfc4733' });
    });
    // Live quality (RFC 3550 loss and jitter, RTCP round trip, MOS) every few seconds of a call.
    deps.engine.on('stats', (stream, stats) => {
      const call = this.streams.get(stream);
      if (!call || call.endedAt !== undefined) return;
      call.stats = stats;
      this.emit('event', { type: 'call', call: call.snapshot() });
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
        return this.dial(command.uri, command.account, undefined, command.consultFor);
      case 'answer':
        return this.answer(command.callId);
      case 'reject': {
        const call = this.find(command.callId, (c) => c.state === 'incoming');
        if (call?.session.direction !== 'incoming') return fail('reject: no ringing call');
        call.session.reject(command.status ?? 486);
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
      case 'redial':
        return this.lastDialed ? this.dial(this.lastDialed.uri, this.lastDialed.account) : fail('redial: nothing dialled yet');
      case 'accept-transfer':
      case 'reject-transfer':
        return this.transferRequests.answer(command.callId, command.type === 'accept-transfer');
      case 'hold':
      case 'resume': {
        const call = this.find(command.callId, (c) => c.signalling === 'confirmed' && (command.type === 'hold' ? !c.onHold : c.onHold));
        if (!call) return fail(`${command.type}: no call to ${command.type}`);
        if (command.type === 'resume') await this.holdActive(call);
        const done = command.type === 'hold' ? await this.hold(call) : await this.resume(call);
        return done ? ok() : fail(`${command.type}: the far end refused the re-INVITE`);
      }
      case 'swap': {
        const call = this.calls.get(command.callId);
        if (!call || call.signalling !== 'confirmed') return fail('swap: no such answered call');
        await this.holdActive(call);
        if (call.onHold) await this.resume(call);
        return ok();
      }
      case 'transfer': {
        const call = this.find(command.callId, (c) => c.signalling === 'confirmed');
        if (!call) return fail('transfer: no answered call');
        await transferCall(this.transferHost, call, `<${command.uri}>`);
        return ok();
      }
      case 'attended-transfer': {
        const a = this.calls.get(command.callId);
        const b = this.calls.get(command.targetCallId);
        if (!a || !b || a === b) return fail('attended-transfer: needs two different calls');
        const started = attendedTransfer(this.transferHost, a, b);
        if (typeof started === 'string') return fail(started);
        await started;
        return ok();
      }
      case 'conference':
        return this.conference(command.callIds);
      case 'split': {
        const call = this.calls.get(command.callId);
        if (!call?.inConference) return fail('split: that call is not in a conference');
        for (const c of this.calls.values()) c.inConference = false;
        this.deps.engine.conference([]);
        await this.holdActive(call);
        for (const c of this.calls.values()) this.changed(c);
        return ok();
      }
    }
  }

  /** A local 3-way conference mixed in the engine: both calls active, each hears the other. */
  private async conference(ids: [string, string]): Promise<Result<unknown>> {
    const members = ids.map((id) => this.calls.get(id));
    if (members.some((c) => !c || c.signalling !== 'confirmed')) return fail('conference: needs two answered calls');
    for (const c of members as Call[]) {
      if (c.onHold && !(await this.resume(c))) return fail(`conference: could not resume ${c.id}`);
      c.inConference = true;
      this.changed(c);
    }
    this.deps.engine.conference((members as Call[]).map((c) => c.media.stream));
    return ok();
  }

  /** A desk phone's busy signal after a busy reply, unless another call is in progress. */
  private busyTone(): void {
    if (this.busy()) return;
    this.deps.engine.tone('local-busy', 'busy');
    this.clock.setTimeout(() => this.deps.engine.tone('local-busy', 'none'), busyToneMs);
  }

  /** One leg of the conference hung up: the other party stays on as an ordinary active call. */
  private dropConferenceLeg(): void {
    const rest = [...this.calls.values()].filter((c) => c.inConference);
    if (rest.length >= 2) {
      this.deps.engine.conference(rest.map((c) => c.media.stream));
      return;
    }
    this.deps.engine.conference([]);
    for (const c of rest) {
      c.inConference = false;
      this.changed(c);
    }
  }

  async hold(call: Call): Promise<boolean> {
    const done = await holdCall(call);
    if (done) this.changed(call);
    return done;
  }

  async resume(call: Call): Promise<boolean> {
    const done = await resumeCall(call);
    if (done) this.changed(call);
    return done;
  }

  /** `headers` go into the INVITE (e.g. Replaces for a call pickup, RFC 3891). */
  /** `consultFor`: the held call this one consults about (attended transfer), kept in snapshots. */
  /** `transferred`: the call whose peer REFERred us to `uri`; it is not held first (it ends when the transfer succeeds). */
  async dial(uri: string, account?: string, headers?: Array<[string, string]>, consultFor?: string, transferred?: Call): Promise<Result<string>> {
    if (this.liveCalls().length >= this.settings.maxLines) return fail(`dial: all ${this.settings.maxLines} lines are busy`);
    let target;
    try {
      target = parseUri(uri);
    } catch (e) {
      return fail(`dial: bad URI ${JSON.stringify(uri)}: ${(e as Error).message}`);
    }
    await this.holdActive(transferred);
    this.lastDialed = { uri, account };
    let media: CallMedia;
    try {
      media = await this.openMedia(account);
    } catch (e) {
      const message = `call to ${uri} not placed: ${(e as Error).message}`;
      this.emit('event', { type: 'notice', message });
      return fail(`dial: ${message}`);
    }
    const session = this.deps.ua.call(target, media, account, headers);
    const call = this.track(session, media, account);
    if (consultFor && this.calls.has(consultFor)) {
      call.consultFor = consultFor;
      this.changed(call);
    }
    return ok(call.id);
  }

  async answer(callId?: string): Promise<Result<unknown>> {
    const call = this.find(callId, (c) => c.state === 'incoming');
    if (call?.session.direction !== 'incoming') return fail('answer: no ringing call');
    await this.holdActive(call);
    // After a network change the answer carries the renewed media (its new path must be ready).
    await call.media.pendingRenewal();
    call.session.answer();
    return ok();
  }

  /**
   * The network changed (issue 13): every call's media renews on the current addresses (ICE/TURN
   * path re-opened with new credentials, or a new c= address), so the target refresh the user
   * agent sends next carries a new offer. Calls not answered yet renew too: an incoming one answers
   * from the new addresses (answer() waits for the renewal); an outgoing one sends its new offer
   * once the 2xx arrives (InviteClientSession). Call this before the user agent's networkChanged().
   */
  networkChanged(): void {
    for (const call of this.calls.values()) {
      if (call.session.state === 'ended') continue;
      const account = call.account;
      const current = call.media.addresses;
      void call.media.renew(() => renewedAddresses(current, {
        publicAddress: this.deps.ua.publicAddress(account), localAddress: this.deps.ua.localAddress(account),
      }));
    }
  }

  /** Hosts call this on exit: hang up everything. */
  hangupAll(): void {
    for (const c of this.calls.values()) c.session.hangup();
  }

  /** Never rejects: a call we cannot serve is refused, with a notice (the phone keeps running). */
  private async onIncoming(session: InviteServerSession, account: string | undefined, replaces?: InviteSession): Promise<void> {
    try {
      await this.takeIncoming(session, account, replaces);
    } catch (e) {
      const message = (e as Error).message;
      // RFC 3261 §21.5.1: we cannot fulfil the request for a reason of our own.
      const cause = e instanceof MediaOpenError ? 'media-failure' : 'rejected';
      session.refuse(500, 'Server Internal Error', { cause, status: 500, reason: message });
      this.emit('event', { type: 'notice', message: `call from ${session.remoteIdentity.uri.user ?? 'unknown'} refused: ${message}` });
    }
  }

  private async takeIncoming(session: InviteServerSession, account: string | undefined, replaces?: InviteSession): Promise<void> {
    const replaced = replaces ? [...this.calls.values()].find((c) => c.session === replaces) : undefined;
    if (replaced) {
      // RFC 3891 §3: the new dialog takes the replaced call's place at once.
      const media = await this.openMedia(account);
      session.setMedia(media);
      const call = this.track(session, media, account);
      session.answer();
      replaced.outcomeOverride = 'transferred';
      replaced.session.hangup();
      this.emit('event', { type: 'notice', message: `call ${replaced.id} replaced by ${call.id}` });
      return;
    }
    const decision = decideIncoming(this.settings, { busy: this.busy(), liveCalls: this.liveCalls().length });
    if (decision.action === 'forward') {
      session.redirect([decision.target]);
      return;
    }
    if (decision.action === 'reject') {
      session.reject(decision.status);
      if (decision.reason === 'dnd') {
        this.emit('event', { type: 'notice', message: `do not disturb: refused a call from ${session.remoteIdentity.uri.user ?? 'unknown'}` });
      }
      return;
    }
    const media = await this.openMedia(account);
    session.setMedia(media);
    const call = this.track(session, media, account);
    session.ring();
    const later = decision.forwardAfter;
    if (later) this.clock.setTimeout(() => { if (call.state === 'incoming') session.redirect([later.target]); }, later.seconds * 1000);
    if (this.settings.honorAutoAnswerRequests) {
      honourAutoAnswer({
        engine: this.deps.engine, clock: this.clock, busy: () => this.busy(), answer: (c) => void this.answer(c.id),
        notice: (message) => this.emit('event', { type: 'notice', message }),
      }, call, session);
    }
  }

  /** Another call is in progress (not on hold). */
  private busy(): boolean {
    return [...this.calls.values()].some((c) => c.signalling === 'confirmed' && !c.onHold);
  }

  /** Binds the call's RTP socket; rejects with a MediaOpenError that says where and why it could not. */
  private openMedia(account: string | undefined): Promise<CallMedia> {
    const options = resolveMediaAddresses(this.deps.mediaOptions(account), {
      publicAddress: this.deps.ua.publicAddress(account),
      localAddress: this.deps.ua.localAddress(account),
    });
    return CallMedia.open(this.deps.engine, `m${++this.streamCounter}`, options, this.mediaRandom);
  }

  private track(session: CallSession, media: CallMedia, account: string | undefined): Call {
    const call = new Call(session, media, account, this.now, this.deps.identifyContact);
    this.calls.set(call.id, call);
    this.streams.set(media.stream, call);
    call.muted = this.muted;
    call.on('change', () => this.changed(call));
    call.on('ended', (record) => {
      this.report(call); // the call's one `ended` snapshot
      this.calls.delete(call.id);
      this.streams.delete(media.stream);
      if (call.inConference) this.dropConferenceLeg();
      if (call.direction === 'outgoing' && (call.endCause?.cause === 'busy' || call.endCause?.status === 486)) this.busyTone();
      this.emit('event', { type: 'history', record });
      this.alerting.update(this.calls.values());
    });
    session.on('refer', (refer) => this.transferRequests.offer(call, refer));
    session.on('info', (type, body) => {
      const relay = type.toLowerCase().startsWith(DTMF_RELAY_CONTENT_TYPE) ? parseDtmfRelay(body) : undefined;
      if (relay) this.emit('event', { type: 'dtmf', callId: call.id, digit: relay.signal, via: 'info' });
    });
    this.emit('call', call);
    this.changed(call);
    return call;
  }

  /** A call changed; once its session has ended, only its `ended` handler reports it (exactly once). */
  private changed(call: Call): void {
    if (call.state !== 'ended') this.report(call);
  }

  private report(call: Call): void {
    if (call.direction === 'outgoing') call.media.ringback(call.signalling === 'ringing');
    this.alerting.update(this.calls.values());
    this.emit('event', { type: 'call', call: call.snapshot() });
  }

  /** One active call at a time (RFC 3264 §8.4 hold for the one that was active). */
  private async holdActive(except?: Call): Promise<void> {
    if (!this.settings.autoHold) return;
    for (const c of this.calls.values()) {
      if (c !== except && (c.state === 'active' || c.state === 'remote-held')) await this.hold(c);
    }
  }

  /** RFC 4733 when negotiated, SIP INFO (application/dtmf-relay) otherwise. */
  sendDtmf(call: Call, digits: string): void {
    if (call.media.canSendRfc4733) {
      call.media.sendDtmf(digits);
      return;
    }
    let delay = 0;
    for (const digit of digits) {
      this.clock.setTimeout(() => call.session.sendInfo(DTMF_RELAY_CONTENT_TYPE, formatDtmfRelay(digit, 160)), delay);
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
