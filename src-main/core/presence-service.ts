/**
 * Presence in the core (issue 11): the colleagues a user watches (presence RFC 3856 and busy lamp
 * RFC 4235 per URI, kept across restarts), our own state published per registered account
 * (RFC 3903, "on the phone" while a call is up, do-not-disturb in step with the DND setting),
 * message waiting per account (RFC 3842, subscribed or unsolicited from the registrar), call
 * pickup from a ringing lamp and the voicemail call. Hosts see it through contract/presence.ts.
 */
import { z } from 'zod';
import { formatNameAddr, formatUri, parseUri } from '../sip/message/index.js';
import type { SipUri } from '../sip/message/index.js';
import type { UserAgent } from '../sip/ua/user-agent.js';
import type { UsageHost } from '../sip/ua/core/usage.js';
import { SubscriptionManager } from '../sip/ua/subscription/subscription-manager.js';
import type { NotifyContent, Subscription } from '../sip/ua/subscription/subscription.js';
import { UnsolicitedMwi } from '../sip/ua/subscription/unsolicited-notify.js';
import { Publication } from '../sip/ua/subscription/publication.js';
import { dialogInfoType, parseDialogInfo } from '../sip/ua/event-package/dialog-info.js';
import { DialogView, type LampState } from '../sip/ua/event-package/dialog-view.js';
import { buildPidf, onThePhone, parsePidf, pidfType, presenceStatus } from '../sip/ua/event-package/pidf.js';
import { messageSummaryType, parseMessageSummary, voiceCounts, type MessageSummary } from '../sip/ua/event-package/message-summary.js';
import { pickupByFeatureCode, pickupByReplaces, type PickupTarget } from '../sip/ua/session/pickup.js';
import type { CallManager } from '../calls/call-manager.js';
import type { Result } from '../contract/calls.js';
import type { PhoneEvent } from '../contract/channels.js';
import type { AccountSettings, Settings, SettingsPatch } from '../contract/settings.js';
import type { MonitoredEntry, MwiState, OwnPresence, OwnStatus, PeerPresence, PresenceSnapshot } from '../contract/presence.js';
import type { JsonRows } from '../store/json-rows.js';
import type { AccountService, AccountServiceEvents } from './accounts.js';

/** Subscription and publication lifetimes we ask for (seconds). */
const subscribeExpires = 600;
const publishExpires = 600;
/** [ms] How long a pickup waits for a ringing lamp's dialog tags (the next NOTIFY). */
const pickupDetailsWaitMs = 3000;
/** Colleagues watched at most (two subscriptions each, under the manager's bound). */
export const maxMonitored = 150;

/** The stored list of watched colleagues (settings row `presence.monitored`). */
export const monitoredRowSchema = z.array(z.strictObject({ uri: z.string().max(512), account: z.string().max(128).optional() })).max(maxMonitored);
export type MonitoredRow = z.output<typeof monitoredRowSchema>;
const monitoredKey = 'presence.monitored';

/** What presence needs of the accounts: their settings, the default one, and when they register or change. */
export interface PresenceAccounts extends Pick<AccountService, 'get' | 'defaultKey'> {
  on<K extends keyof AccountServiceEvents>(event: K, listener: (...args: AccountServiceEvents[K]) => void): unknown;
}

export interface PresenceServiceDeps {
  ua: UserAgent;
  /** Pickup and calls from a lamp place calls. */
  manager: Pick<CallManager, 'dial'>;
  accounts: PresenceAccounts;
  rows: Pick<JsonRows<MonitoredRow>, 'get' | 'put'>;
  settings(): Settings;
  saveSettings(patch: SettingsPatch): void;
  emit(e: PhoneEvent): void;
  notice(message: string): void;
}

interface Monitor {
  uri: string;
  target: SipUri;
  account: string | undefined;
  dialog: Subscription | undefined;
  presenceSub: Subscription | undefined;
  view: DialogView;
  lamp: LampState;
  presence: PeerPresence | undefined;
}

interface AccountPresence {
  publication: Publication | undefined;
  mwi: Subscription | undefined;
  state: MwiState;
  /** Message-Account of the last summary (RFC 3842 §5.2): the voicemail server when none is configured. */
  messageAccount: string | undefined;
  /** The UA account's credentials when we started: a new object means the account was edited (re-added). */
  auth: unknown;
  /** Our Contact at the last registration: when it moves (network change), subscriptions follow. */
  contact: string;
}

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });

export class PresenceService {
  private readonly host: UsageHost;
  private readonly subs: SubscriptionManager;
  private readonly monitors = new Map<string, Monitor>();
  private readonly perAccount = new Map<string, AccountPresence>();
  private own: OwnPresence = { status: 'available', note: undefined, onThePhone: false };
  /** The status to return to when DND is turned off elsewhere. */
  private beforeDnd: OwnStatus = 'available';
  private stopped = false;

  constructor(private readonly deps: PresenceServiceDeps) {
    this.host = deps.ua.usageHost();
    this.subs = new SubscriptionManager(this.host);
    deps.ua.use(this.subs);
    deps.ua.use(new UnsolicitedMwi(this.host, (account, summary) => this.onSummary(account, summary)));
    deps.accounts.on('registration', (key, status) => {
      if (status.state === 'registered') this.accountUp(key);
    });
    deps.accounts.on('changed', (views) => {
      const live = new Set(views.map((v) => v.key));
      for (const key of [...this.perAccount.keys()]) if (!live.has(key)) void this.accountGone(key);
    });
    if (deps.settings().dnd) this.own = { ...this.own, status: 'dnd' };
  }

  /** Watch the colleagues stored from earlier runs. */
  start(): void {
    for (const row of this.deps.rows.get(monitoredKey) ?? []) this.watch(row.uri, row.account);
  }

  snapshot(): PresenceSnapshot {
    return {
      own: { ...this.own },
      monitored: [...this.monitors.values()].map((m) => this.entry(m)),
      mwi: [...this.perAccount.values()].map((a) => ({ ...a.state })),
    };
  }

  subscribe(uri: string, account?: string): Result<undefined> {
    if (this.monitors.has(uri)) return ok(undefined);
    if (this.monitors.size >= maxMonitored) return fail(`presence.subscribe: at most ${maxMonitored} colleagues`);
    const error = this.watch(uri, account);
    if (error) return fail(`presence.subscribe: ${error}`);
    this.store();
    return ok(undefined);
  }

  async unsubscribe(uri: string): Promise<Result<undefined>> {
    const m = this.monitors.get(uri);
    if (!m) return fail('presence.unsubscribe: not watched');
    this.monitors.delete(uri);
    this.store();
    await Promise.all([m.dialog?.stop(), m.presenceSub?.stop()]);
    return ok(undefined);
  }

  /** My status; dnd also turns on do not disturb (and leaving dnd turns it off). */
  setStatus(status: OwnStatus, note: string | undefined): OwnPresence {
    this.own = { ...this.own, status, note: note || undefined };
    if (status !== 'dnd') this.beforeDnd = status;
    const dnd = this.deps.settings().dnd;
    if ((status === 'dnd') !== dnd) this.deps.saveSettings({ dnd: status === 'dnd' });
    this.ownChanged();
    return { ...this.own };
  }

  /** Everything the phone reports: calls (on the phone) and settings (DND) drive our own state. */
  observe(e: PhoneEvent): void {
    if (e.type === 'calls') {
      const busy = e.state.calls.some((c) => c.state !== 'ended');
      if (busy !== this.own.onThePhone) {
        this.own = { ...this.own, onThePhone: busy };
        this.ownChanged();
      }
    } else if (e.type === 'settings') {
      if (e.settings.dnd && this.own.status !== 'dnd') {
        this.beforeDnd = this.own.status;
        this.own = { ...this.own, status: 'dnd' };
        this.ownChanged();
      } else if (!e.settings.dnd && this.own.status === 'dnd') {
        this.own = { ...this.own, status: this.beforeDnd };
        this.ownChanged();
      }
    }
  }

  /** Take the call ringing at a watched colleague: Replaces from their dialog state, else the account's feature code. */
  async pickup(uri: string, account?: string): Promise<Result<string>> {
    const m = this.monitors.get(uri);
    const from = account ?? m?.account ?? this.deps.accounts.defaultKey();
    let ringing = m?.view.ringing();
    let target: PickupTarget | undefined = ringing ? pickupByReplaces(ringing) : undefined;
    // A lamp can go ringing before the NOTIFY that names the dialog's tags (RFC 4235 §4.1.6.2):
    // a click in between waits briefly for them rather than failing.
    for (let waited = 0; m && !target && m.lamp === 'ringing' && waited < pickupDetailsWaitMs; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ringing = m.view.ringing();
      target = ringing ? pickupByReplaces(ringing) : undefined;
    }
    if (!target) {
      const code = from ? this.deps.accounts.get(from)?.pickupCode : undefined;
      if (m && !ringing && m.lamp !== 'unknown') return fail(`calls.pickup: no call is ringing at ${uri}`);
      if (!code) return fail(`calls.pickup: ${uri} shows no call to replace and the account has no pickup code`);
      target = pickupByFeatureCode(code, parseUri(uri));
      if (!target) return fail(`calls.pickup: cannot build a feature-code call for ${uri}`);
    }
    return this.deps.manager.dial(formatUri(target.uri), from, target.headers);
  }

  /** Dial the account's voicemail (its setting, else the Message-Account its summaries name). */
  async callVoicemail(account?: string): Promise<Result<string>> {
    const key = account ?? this.deps.accounts.defaultKey();
    const settings = key ? this.deps.accounts.get(key) : undefined;
    if (!key || !settings) return fail('voicemail.call: no account');
    const target = voicemailTarget(settings, this.perAccount.get(key)?.messageAccount);
    if (!target) return fail('voicemail.call: the account has no voicemail number');
    return this.deps.manager.dial(target, key);
  }

  /** Unsubscribe everything and remove our published state (bounded). */
  async stop(timeoutMs = 3000): Promise<void> {
    this.stopped = true;
    const removals = [...this.perAccount.values()].map((a) => a.publication?.remove());
    await Promise.race([
      Promise.all([this.subs.stopAll(timeoutMs), ...removals]),
      new Promise((resolve) => setTimeout(resolve, timeoutMs).unref()),
    ]);
  }

  // ---- watched colleagues ----

  private watch(uri: string, account: string | undefined): string | undefined {
    let target: SipUri;
    try {
      target = parseUri(uri);
    } catch (e) {
      return `bad URI ${JSON.stringify(uri)}: ${(e as Error).message}`;
    }
    const from = this.host.account(account ?? this.deps.accounts.defaultKey());
    if (!from) return 'no account to subscribe from';
    const m: Monitor = { uri, target, account, dialog: undefined, presenceSub: undefined, view: new DialogView(), lamp: 'unknown', presence: undefined };
    this.monitors.set(uri, m);
    const dialog = this.subs.subscribe({ account: from, target, event: 'dialog', accept: [dialogInfoType], expires: subscribeExpires });
    const presence = this.subs.subscribe({ account: from, target, event: 'presence', accept: [pidfType], expires: subscribeExpires });
    if ('error' in dialog || 'error' in presence) {
      this.monitors.delete(uri);
      if (!('error' in dialog)) void dialog.stop();
      if (!('error' in presence)) void presence.stop();
      return 'error' in dialog ? dialog.error : (presence as { error: string }).error;
    }
    m.dialog = dialog;
    m.presenceSub = presence;
    dialog.on('notify', (c) => this.onDialogInfo(m, c));
    // Unsubscribing (unwatched, or the phone stops) reports nothing.
    const live = () => !this.stopped && this.monitors.get(uri) === m;
    dialog.on('state', (state, detail) => {
      if (state === 'subscribing') m.view.reset();
      if ((state === 'waiting' || state === 'terminated') && live()) {
        if (detail) this.deps.notice(`busy lamp ${uri}: ${detail}`);
        this.setLamp(m, 'unknown');
      }
    });
    presence.on('notify', (c) => this.onPresence(m, c));
    presence.on('state', (state) => {
      if ((state === 'waiting' || state === 'terminated') && m.presence && live()) {
        m.presence = undefined;
        this.deps.emit({ type: 'presence', uri, presence: { status: 'offline', note: undefined, onThePhone: false } });
      }
    });
    return undefined;
  }

  private onDialogInfo(m: Monitor, c: NotifyContent): void {
    if (c.substate === 'pending' || this.stopped) return;
    if (c.body.length === 0) {
      m.view.empty();
    } else {
      const parsed = parseDialogInfo(c.body);
      if (!parsed.ok) {
        this.deps.notice(`busy lamp ${m.uri}: ignored a dialog-info body (${parsed.reason})`);
        return;
      }
      // RFC 4235 §4.1: a version gap means lost state; a refresh brings full state.
      if (m.view.apply(parsed.info) === 'gap') m.dialog?.refreshNow();
    }
    this.setLamp(m, m.view.lamp());
  }

  private setLamp(m: Monitor, lamp: LampState): void {
    if (m.lamp === lamp) return;
    m.lamp = lamp;
    if (this.monitors.get(m.uri) === m) this.deps.emit({ type: 'blf', uri: m.uri, state: lamp });
  }

  private onPresence(m: Monitor, c: NotifyContent): void {
    if (c.substate === 'pending' || this.stopped) return;
    let presence: PeerPresence;
    if (c.body.length === 0) {
      // Nothing published for the presentity (what Kamailio sends then): offline.
      presence = { status: 'offline', note: undefined, onThePhone: false };
    } else {
      const parsed = parsePidf(c.body);
      if (!parsed.ok) {
        this.deps.notice(`presence ${m.uri}: ignored a PIDF body (${parsed.reason})`);
        return;
      }
      presence = { status: presenceStatus(parsed.doc), note: parsed.doc.note, onThePhone: onThePhone(parsed.doc) };
    }
    const before = m.presence;
    m.presence = presence;
    if (before && before.status === presence.status && before.note === presence.note && before.onThePhone === presence.onThePhone) return;
    this.deps.emit({ type: 'presence', uri: m.uri, presence });
  }

  private entry(m: Monitor): MonitoredEntry {
    const ringing = m.view.ringing();
    const code = this.deps.accounts.get(m.account ?? this.deps.accounts.defaultKey() ?? '')?.pickupCode;
    return {
      uri: m.uri, lamp: m.lamp, presence: m.presence ? { ...m.presence } : undefined,
      pickup: ringing && pickupByReplaces(ringing) ? 'replaces' : code ? 'feature-code' : 'none',
    };
  }

  private store(): void {
    this.deps.rows.put(monitoredKey, [...this.monitors.values()].map((m) => ({ uri: m.uri, ...(m.account ? { account: m.account } : {}) })));
  }

  // ---- per account: our publication and message waiting ----

  private accountUp(key: string): void {
    if (this.stopped) return;
    const account = this.host.account(key);
    const settings = this.deps.accounts.get(key);
    if (!account || !settings) return;
    const known = this.perAccount.get(key);
    const contact = formatNameAddr(account.contact());
    if (known) {
      if (known.auth === account.auth) {
        if (known.contact !== contact) {
          known.contact = contact;
          this.subs.refreshAll();
        }
        return;
      }
      // The account was saved again (new server, password…): start over from it.
      void this.accountGone(key);
      this.rewatch();
    }
    const a: AccountPresence = {
      auth: account.auth,
      contact,
      publication: new Publication(this.host, { account, event: 'presence', contentType: pidfType, expires: publishExpires }),
      mwi: undefined,
      state: { account: key, waiting: false, new: 0, old: 0, voicemail: voicemailTarget(settings, undefined) },
      messageAccount: undefined,
    };
    this.perAccount.set(key, a);
    a.publication!.on('state', (state, detail) => {
      // A PBX without presence (405/501) is normal, not news for the user: publishing just stops.
      if ((state === 'waiting' || state === 'idle') && detail && !/\b(405|501)\b/.test(detail)) this.deps.notice(`presence for ${key} not published: ${detail}`);
    });
    this.publish(key, a);
    // RFC 3842 §3: the subscriber subscribes to its own address (the mailbox's account).
    if (settings.mwi !== 'unsolicited') {
      const sub = this.subs.subscribe({ account, target: account.aor, event: 'message-summary', accept: [messageSummaryType], expires: subscribeExpires });
      if ('error' in sub) this.deps.notice(`message waiting for ${key}: ${sub.error}`);
      else {
        a.mwi = sub;
        sub.on('notify', (c) => {
          if (c.body.length === 0) return;
          const parsed = parseMessageSummary(c.body);
          if (parsed.ok) this.onSummary(key, parsed.summary);
          else this.deps.notice(`message waiting for ${key}: ignored a body (${parsed.reason})`);
        });
      }
    }
  }

  /** Subscribe every watched colleague again (their account changed under them). */
  private rewatch(): void {
    for (const m of [...this.monitors.values()]) {
      this.monitors.delete(m.uri);
      void m.dialog?.stop();
      void m.presenceSub?.stop();
      const error = this.watch(m.uri, m.account);
      if (error) this.deps.notice(`presence ${m.uri}: ${error}`);
    }
  }

  private async accountGone(key: string): Promise<void> {
    const a = this.perAccount.get(key);
    if (!a) return;
    this.perAccount.delete(key);
    await Promise.all([a.mwi?.stop(), a.publication?.remove()]);
  }

  private onSummary(account: string | undefined, summary: MessageSummary): void {
    const key = account ?? this.deps.accounts.defaultKey();
    if (!key) return;
    const a = this.perAccount.get(key);
    const counts = voiceCounts(summary);
    const settings = this.deps.accounts.get(key);
    if (a) a.messageAccount = summary.account;
    const state: MwiState = {
      account: key, waiting: summary.waiting, new: counts.new, old: counts.old,
      voicemail: settings ? voicemailTarget(settings, summary.account) : undefined,
    };
    if (a) a.state = state;
    this.deps.emit({ type: 'mwi', mwi: state });
  }

  private ownChanged(): void {
    this.deps.emit({ type: 'own-presence', presence: { ...this.own } });
    for (const [key, a] of this.perAccount) this.publish(key, a);
  }

  private publish(key: string, a: AccountPresence): void {
    const account = this.host.account(key);
    if (!account || !a.publication || this.stopped) return;
    const { status, note, onThePhone: phone } = this.own;
    a.publication.publish(buildPidf({ entity: formatUri(account.aor), status, note, onThePhone: phone }, { tuple: 't-nimbus', person: 'p-nimbus' }));
  }
}

/** The account's voicemail as a URI: a number at the account's domain, a SIP address as it is, else the Message-Account. */
export function voicemailTarget(a: AccountSettings, messageAccount: string | undefined): string | undefined {
  const v = a.voicemail;
  if (v && /^sips?:/i.test(v)) return v;
  if (v) {
    const aor = parseUri(a.aor);
    return `${aor.scheme}:${v}@${aor.host}${aor.port ? `:${aor.port}` : ''}`;
  }
  return messageAccount && /^sips?:/i.test(messageAccount) ? messageAccount : undefined;
}
