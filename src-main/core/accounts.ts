/**
 * Accounts as the user manages them: stored settings (database), passwords (secret store), the
 * live UA account and its registration state. Every change reaches the UA at once and is
 * announced as one `accounts` list (never with a password).
 */
import { EventEmitter } from 'node:events';
import { accountDefaults, type AccountConfig } from '../sip/ua/core/account.js';
import type { UserAgent } from '../sip/ua/user-agent.js';
import type { RegistrationStatus } from '../sip/ua/registration/registerer.js';
import {
  accountInputSchema, type AccountSettings, type AccountView, type RegistrationState,
} from '../contract/settings.js';
import type { Result } from '../contract/calls.js';
import type { JsonRows } from '../store/json-rows.js';
import type { SecretStore } from '../store/secrets.js';

export interface AccountServiceEvents {
  changed: [accounts: AccountView[]];
  registration: [key: string, status: RegistrationStatus];
}

export interface AccountServiceDeps {
  ua: UserAgent;
  rows: JsonRows<AccountSettings>;
  secrets: SecretStore;
  /** RFC 5626 instance URN for an account (stable per install and account). */
  instanceId(aor: string): string;
  /** Account settings the host adds for every account (e.g. the CLI's --expires). */
  extra?: Partial<AccountConfig>;
}

export class AccountService extends EventEmitter<AccountServiceEvents> {
  private readonly live = new Map<string, AccountSettings>();
  private readonly status = new Map<string, RegistrationStatus>();

  constructor(private readonly deps: AccountServiceDeps) {
    super();
    deps.ua.on('registration', (key, status) => {
      if (!this.live.has(key)) return;
      this.status.set(key, status);
      this.emit('registration', key, status);
      this.emit('changed', this.views());
    });
  }

  /** Load stored accounts into the UA and register the enabled ones. */
  start(): void {
    for (const { value } of this.deps.rows.all()) this.activate(value);
  }

  views(): AccountView[] {
    return [...this.live.values()].map((a) => this.view(a));
  }

  get(key: string): AccountSettings | undefined {
    return this.live.get(key);
  }

  /** The account calls are placed from: the one marked default, else the first. */
  defaultKey(): string | undefined {
    const all = [...this.live.values()];
    return (all.find((a) => a.isDefault) ?? all[0])?.key;
  }

  /** Saves an account; for an existing key, fields the request leaves out keep their stored values. */
  async save(input: unknown): Promise<Result<AccountView>> {
    const existing = isRecord(input) && typeof input.key === 'string' ? this.live.get(input.key) : undefined;
    const parsed = accountInputSchema.safeParse(existing && isRecord(input) ? { ...withoutUndefined(existing), ...input } : input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { ok: false, error: `${issue.path.join('.') || 'account'}: ${issue.message}` };
    }
    const { password, turnPassword, key: givenKey, ...rest } = parsed.data;
    const key = givenKey ?? this.newKey(rest.aor);
    const settings: AccountSettings = { ...rest, key };
    try {
      if (password !== undefined) {
        if (password === '') this.deps.secrets.delete(key);
        else this.deps.secrets.set(key, password);
      }
      if (turnPassword !== undefined) {
        if (turnPassword === '') this.deps.secrets.delete(turnSecretKey(key));
        else this.deps.secrets.set(turnSecretKey(key), turnPassword);
      }
    } catch (e) {
      return { ok: false, error: (e as Error).message };
    }
    if (settings.isDefault) this.clearDefaultExcept(key);
    this.deps.rows.put(key, settings);
    await this.deactivate(key);
    this.activate(settings);
    this.emit('changed', this.views());
    return { ok: true, value: this.view(settings) };
  }

  async remove(key: string): Promise<Result> {
    if (!this.live.has(key)) return { ok: false, error: 'key: no such account' };
    this.deps.rows.delete(key);
    this.deps.secrets.delete(key);
    this.deps.secrets.delete(turnSecretKey(key));
    await this.deactivate(key);
    this.emit('changed', this.views());
    return { ok: true, value: undefined };
  }

  /** The account's TURN password (secret store), for its calls' media (issue 13). */
  turnPassword(key: string): string | undefined {
    return this.deps.secrets.get(turnSecretKey(key));
  }

  /** The account as the UA needs it (with its password), or undefined. */
  private config(a: AccountSettings): AccountConfig {
    const password = this.deps.secrets.get(a.key);
    return accountDefaults({
      key: a.key,
      aor: a.aor,
      transport: a.transport,
      register: a.enabled,
      instanceId: this.deps.instanceId(a.aor),
      ...(a.displayName ? { displayName: a.displayName } : {}),
      ...(a.username ? { username: a.username } : {}),
      ...(password !== undefined ? { password } : {}),
      ...(a.registrar ? { registrar: a.registrar } : {}),
      ...(a.outboundProxy ? { outboundProxy: a.outboundProxy } : {}),
      ...(a.incomingCallPolicy ? { incomingCallPolicy: a.incomingCallPolicy } : {}),
      ...(a.transferPolicy ? { transferPolicy: a.transferPolicy } : {}),
      ...(a.autoAnswerRequests ? { autoAnswerRequests: a.autoAnswerRequests } : {}),
      ...this.deps.extra,
    });
  }

  private activate(a: AccountSettings): void {
    this.live.set(a.key, a);
    this.status.delete(a.key);
    this.deps.ua.addAccount(this.config(a));
    if (a.enabled) this.deps.ua.register(a.key);
  }

  private async deactivate(key: string): Promise<void> {
    if (!this.live.delete(key)) return;
    this.status.delete(key);
    await this.deps.ua.removeAccount(key);
  }

  private clearDefaultExcept(key: string): void {
    for (const a of this.live.values()) {
      if (a.key === key || !a.isDefault) continue;
      const updated = { ...a, isDefault: false };
      this.live.set(a.key, updated);
      this.deps.rows.put(a.key, updated);
    }
  }

  /** The AOR names its account (as in events); a second account for the same AOR gets `#2`. */
  private newKey(aor: string): string {
    let key = aor;
    for (let n = 2; this.live.has(key); n++) key = `${aor}#${n}`;
    return key;
  }

  private view(a: AccountSettings): AccountView {
    const s = this.status.get(a.key);
    const state: RegistrationState = !a.enabled ? 'disabled' : s?.state ?? 'registering';
    return {
      ...a, hasPassword: this.deps.secrets.get(a.key) !== undefined, hasTurnPassword: this.deps.secrets.get(turnSecretKey(a.key)) !== undefined,
      registration: { state, reason: s?.reason, status: s?.status },
    };
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function withoutUndefined(o: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** Where an account's TURN password is kept in the secret store, beside its SIP password. */
function turnSecretKey(key: string): string {
  return `${key}#turn`;
}
