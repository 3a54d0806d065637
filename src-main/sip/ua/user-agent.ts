/**
 * The user agent core (RFC 3261 §8, §12.2.2): owns accounts and their registrations, routes
 * incoming requests to dialogs and sessions, answers OPTIONS, and rejects what it cannot serve.
 */
import { EventEmitter } from 'node:events';
import { createResponse, formatHost, getCallId, getCSeq, getFrom, getTo, parseUri } from '../message/index.js';
import type { NameAddr, SipRequest, SipResponse, SipUri } from '../message/index.js';
import { DigestClient } from '../message/digest.js';
import { TransactionLayer, type InviteServerTransaction, type ServerTransaction } from '../transaction/index.js';
import type { Destination, Source, Transport, TransportProtocol } from '../transport/types.js';
import type { TransportEvent } from '../transport/events.js';
import type { StunBindingOptions, StunBindingOutcome, StunTarget } from '../transport/udp-stun.js';
import type { Clock } from '../../util/clock.js';
import type { Random } from '../../util/random.js';
import { dialogKey } from '../dialog/dialog.js';
import type { AccountConfig, TransferPolicy } from './core/account.js';
import { accept, allow, knownMethods, supported, supportedOptions } from './core/capabilities.js';
import { checkIncomingInvite, type PolicyAccount, type PolicyVerdict } from './core/incoming-policy.js';
import { IncomingScreen } from './core/incoming-screen.js';
import { AccountServerSet } from './core/account-servers.js';
import { bareHost, BoundCredentials } from './core/bound-credentials.js';
import { InviteServerSession } from './session/invite-server-session.js';
import { noMedia, type InviteSession, type SessionHost, type SessionMedia } from './session/invite-session.js';
import { InviteClientSession } from './session/invite-client-session.js';
import type { RequestContext } from './core/outgoing-request.js';
import { Registerer, type RegistrationStatus } from './registration/registerer.js';
import { DialogRecovery, lostFlow } from './registration/flow-recovery.js';
import { checkReplaces, fromReplacedParty, parseReplaces, type Replaces } from './session/replaces.js';
import { intervalTooSmall, negotiateAsUas } from './session/session-timer.js';
import type { RequestUsage, UsageAccount, UsageHost } from './core/usage.js';

/** How many ended dialogs we remember, to answer a late Replaces with 603 rather than 481. */
const endedDialogMemory = 256;

export interface UserAgentOptions {
  transport: Transport;
  clock: Clock;
  random: Random;
  resolve(uri: SipUri, protocol: TransportProtocol): Promise<Destination[]>;
  userAgent: string;
  timers?: { T1?: number; T2?: number; T4?: number };
  /** Open a TCP listener on demand (an account uses TCP); without it accounts register at once. */
  listen?(protocol: 'tcp'): Promise<void>;
  /** Server transactions at most (default 1,000). */
  maxServerTransactions?: number;
  /** Close every TCP/TLS connection and forget learnt addresses (the network changed). */
  resetFlows?(): void;
  /** STUN Binding from the SIP UDP socket: RFC 5626 §4.4.2 keep-alives to UDP registrars (else OPTIONS). */
  stunBinding?(to: StunTarget, options?: StunBindingOptions): Promise<StunBindingOutcome>;
}

export interface UserAgentEvents {
  registration: [account: string, status: RegistrationStatus];
  /** `replaces`: the session this call replaces (RFC 3891); the host ends it once it answers. */
  incoming: [call: InviteServerSession, account: string | undefined, replaces?: InviteSession];
  /** Something refused or dropped that a person debugging would want to see. */
  notice: [message: string];
  /**
   * A STUN keep-alive showed the public mapping of the account's UDP flow to its registrar: the
   * first one, and each change (RFC 5626 §4.4.2; a change also re-registers).
   */
  mapping: [account: string, mapped: { address: string; port: number }, previous: { address: string; port: number } | undefined];
  /** The account's registrar left a STUN keep-alive unanswered: its UDP flow is kept open with OPTIONS. */
  'stun-unanswered': [account: string, detail: string];
}

interface Account {
  config: AccountConfig;
  aor: SipUri;
  auth: DigestClient;
  registerer: Registerer | undefined;
  /** Addresses of the account's registrar and outbound proxy (servers.addresses). */
  trusted: Set<string>;
  servers: AccountServerSet;
  /** Settles when the account's transport listens (a TCP listener opened for it). */
  ready: Promise<void> | undefined;
  /** The flow's public mapping from the latest STUN keep-alive answer. */
  mapping?: { address: string; port: number };
}

export class UserAgent extends EventEmitter<UserAgentEvents> {
  readonly transactions: TransactionLayer;
  private readonly ctx: RequestContext;
  private readonly accounts = new Map<string, Account>();
  private readonly dialogs = new Map<string, InviteSession>();
  private readonly endedDialogs = new Set<string>();
  private readonly outgoingByCallId = new Map<string, InviteClientSession>();
  private readonly incomingByTx = new Map<ServerTransaction, InviteServerSession>();
  /** Subscriptions, publications, MESSAGE (usage.ts): offered each request before the INVITE usage. */
  private readonly usages: RequestUsage[] = [];
  private readonly t1: number;
  private readonly t2: number;
  private readonly screening: IncomingScreen;
  /** The account each dialog's session belongs to (flow-recovery.ts refreshes them by account). */
  private readonly sessionAccounts = new WeakMap<InviteSession, string | undefined>();
  private readonly recovery: DialogRecovery;

  constructor(private readonly options: UserAgentOptions) {
    super();
    this.t1 = options.timers?.T1 ?? 500;
    this.t2 = options.timers?.T2 ?? 4000;
    this.transactions = new TransactionLayer({
      transport: options.transport,
      clock: options.clock,
      random: options.random,
      timers: { T1: this.t1, T2: this.t2, T4: options.timers?.T4 ?? 5000 },
      ...(options.maxServerTransactions !== undefined ? { maxServerTransactions: options.maxServerTransactions } : {}),
      user: {
        screen: (request, source) => this.screening.screen(request, source, () => this.verdict(request, source)),
        onRequest: (request, tx, source) => this.onRequest(request, tx, source),
        onStrayResponse: (response) => this.onStrayResponse(response),
      },
    });
    this.ctx = {
      transactions: this.transactions, transport: options.transport, random: options.random, resolve: options.resolve,
      notice: (m) => this.emit('notice', m),
    };
    this.screening = new IncomingScreen(options.clock, (m) => this.emit('notice', m));
    this.recovery = new DialogRecovery({
      sessions: () => [...new Set(this.dialogs.values())].map((session) => ({ session, account: this.sessionAccounts.get(session) })),
      awaitingRegistration: (key) => this.registrationStatus(key)?.state === 'registering',
      notice: (m) => this.emit('notice', m),
    });
  }

  addAccount(config: AccountConfig): void {
    const aor = parseUri(config.aor);
    const notice = (m: string) => this.emit('notice', m);
    const servers = new AccountServerSet(config, aor, config.transport, this.options.resolve, notice);
    // Credentials only ever answer the account's own servers, in the realm learnt at registration.
    const auth = config.password === undefined ? new DigestClient({ random: this.options.random }) : new BoundCredentials({
      random: this.options.random, username: config.username ?? aor.user ?? '', password: config.password,
      servers: () => servers, refused: (m) => notice(`${config.key}: ${m}`),
    });
    // A TCP account needs our TCP listener (opened only for it); TLS has no listener without a certificate.
    const ready = config.transport === 'tcp' && this.options.listen
      ? this.options.listen('tcp').catch((e: Error) => void notice(`${config.key}: cannot listen on TCP: ${e.message}`))
      : undefined;
    const account: Account = { config, aor, auth, registerer: undefined, trusted: servers.addresses, servers, ready };
    if (config.register) {
      account.registerer = new Registerer(config, {
        ctx: this.ctx,
        clock: this.options.clock,
        auth,
        contact: () => this.contactFor(account),
        userAgent: this.options.userAgent,
        onStatus: (status) => {
          // Follow DNS: the servers' addresses are looked up again at every registration.
          if (status.state === 'registered') void servers.refresh();
          this.recovery.registration(config.key, status.state);
          this.emit('registration', config.key, status);
        },
        onContactRewrite: (from, to) => this.emit('notice',
          `${config.key}: the registrar sees us at ${hostPort(to.uri)}, not ${hostPort(from.uri)} (NAT): registering that address`),
        ...(this.options.stunBinding ? { stunBinding: this.options.stunBinding } : {}),
        onMapping: (mapped) => {
          const previous = account.mapping;
          if (previous?.address === mapped.address && previous.port === mapped.port) return;
          account.mapping = mapped;
          this.emit('mapping', config.key, mapped, previous);
        },
        onRemapped: (previous, current) => {
          this.emit('notice', `${config.key}: NAT mapping of the flow to the registrar changed from ` +
            `${previous.address}:${previous.port} to ${current.address}:${current.port} (STUN keep-alive): registering again`);
          this.recovery.recover(config.key);
        },
        onStunUnanswered: (detail) => this.emit('stun-unanswered', config.key, detail),
      });
    }
    this.accounts.set(config.key, account);
    void servers.refresh();
  }

  /** Register every account, or only `key` (once its transport listens). */
  register(key?: string): void {
    for (const a of this.accounts.values()) {
      if (key !== undefined && a.config.key !== key) continue;
      if (a.ready) void a.ready.then(() => { if (this.accounts.get(a.config.key) === a) a.registerer?.register(); });
      else a.registerer?.register();
    }
  }

  /** Unregister (bounded by the request's own timers) and forget an account. */
  async removeAccount(key: string): Promise<void> {
    const account = this.accounts.get(key);
    if (!account) return;
    this.accounts.delete(key);
    await account.registerer?.unregister();
  }

  async unregisterAll(): Promise<void> {
    await Promise.all([...this.accounts.values()].map((a) => a.registerer?.unregister()));
  }

  /**
   * Connectivity changed or the machine woke up: close the old connections, re-register at once
   * from the new address, then tell every call our new Contact (flow-recovery.ts).
   */
  networkChanged(): void {
    this.options.resetFlows?.();
    for (const a of this.accounts.values()) a.registerer?.retryNow();
    this.recovery.recover();
  }

  /** A transport event: a lost flow re-registers the account that registered over it (RFC 5626 §4.4). */
  transportEvent(e: TransportEvent): void {
    const loss = lostFlow(e);
    if (!loss) return;
    for (const a of this.accounts.values()) {
      if (!a.registerer?.flowFailed(loss)) continue;
      this.emit('notice', `${a.config.key}: connection to the registrar lost (${loss.detail}): registering again`);
      this.recovery.recover(a.config.key);
    }
  }

  registrationStatus(key: string): RegistrationStatus | undefined {
    return this.accounts.get(key)?.registerer?.status;
  }

  /**
   * The account's public address as its registrar sees it (RFC 3581 received), once learnt: what
   * SDP advertises behind a NAT. An address to advertise, never to bind: it may be the router's.
   */
  publicAddress(accountKey?: string): string | undefined {
    return this.account(accountKey)?.registerer?.publicAddress?.address;
  }

  /** The local address SIP uses for the account's transport (a concrete one, also for a wildcard bind). */
  localAddress(accountKey?: string): string {
    return this.options.transport.localAddress(this.account(accountKey)?.config.transport ?? 'udp').address;
  }

  /**
   * The account's transfer policy and the hosts `domain` accepts: its SIP domain, its registrar's
   * and its proxy's. Without an account there is no domain (only `any`/`ask` could follow).
   */
  transferScope(accountKey?: string): { policy: TransferPolicy; domains: string[] } {
    const a = this.account(accountKey);
    if (!a) return { policy: 'domain', domains: [] };
    return { policy: a.config.transferPolicy ?? 'domain', domains: [...new Set([bareHost(a.aor.host), ...a.servers.hosts])] };
  }

  private account(key: string | undefined): Account | undefined {
    return key ? this.accounts.get(key) : this.accounts.values().next().value;
  }

  /** Place a call from an account (or an anonymous direct call when no account is given). */
  call(target: SipUri, media: SessionMedia, accountKey?: string, headers?: Array<[string, string]>): InviteClientSession {
    const account = accountKey ? this.accounts.get(accountKey) : this.accounts.values().next().value;
    const from: NameAddr = account
      ? { uri: account.aor, params: new Map(), ...(account.config.displayName ? { displayName: account.config.displayName } : {}) }
      : { uri: { scheme: 'sip', user: 'anonymous', host: 'anonymous.invalid', params: new Map(), headers: new Map() }, params: new Map() };
    const call = new InviteClientSession(this.options.random.token(), this.sessionHost(account, target), media, {
      target,
      from,
      ...(account?.servers.outboundProxy ? { outboundProxy: account.servers.outboundProxy } : {}),
      // Out of dialog, a registered account's calls go through its registrar unless a proxy is set.
      ...(account?.config.register && !account.servers.outboundProxy ? { firstHop: account.servers.registrar } : {}),
      ...(headers ? { headers } : {}),
    });
    const callId = call.callId;
    this.outgoingByCallId.set(callId, call);
    call.on('ended', () => this.outgoingByCallId.delete(callId));
    call.start();
    return call;
  }

  private sessionHost(account: Account | undefined, target?: SipUri): SessionHost {
    const protocol = account?.config.transport ?? protocolOf(target);
    return {
      ctx: this.ctx,
      clock: this.options.clock,
      t1: this.t1,
      t2: this.t2,
      auth: account?.auth ?? new DigestClient({ credentials: [], random: this.options.random }),
      userAgent: this.options.userAgent,
      protocol,
      allow,
      contact: () => account ? this.contactFor(account) : this.anonymousContact(protocol),
      addDialog: (dialog, session) => {
        this.dialogs.set(dialog.key, session);
        this.sessionAccounts.set(session, account?.config.key);
      },
      removeDialog: (dialog) => {
        this.dialogs.delete(dialog.key);
        this.endedDialogs.add(dialog.key);
        if (this.endedDialogs.size > endedDialogMemory) this.endedDialogs.delete(this.endedDialogs.values().next().value!);
      },
    };
  }

  /** The Contact the registrar rewrote us to behind a NAT, so dialogs use the same; else our local one. */
  private contactFor(account: Account): NameAddr {
    return account.registerer?.rewrittenContact ?? this.anonymousContact(account.config.transport, account.aor.user);
  }

  private anonymousContact(protocol: TransportProtocol, user?: string): NameAddr {
    const local = this.options.transport.localAddress(protocol);
    const params = new Map<string, string | null>();
    if (protocol !== 'udp') params.set('transport', protocol);
    // Port 0: no listener for this protocol (TLS without a certificate); the peer uses our flow.
    const port = local.port > 0 ? { port: local.port } : {};
    return { uri: { scheme: 'sip', ...(user ? { user } : {}), host: formatHost(local.address), ...port, params, headers: new Map() }, params: new Map() };
  }

  private policyAccounts(): PolicyAccount[] {
    return [...this.accounts.values()].map((a) => ({ policy: a.config.incomingCallPolicy, user: a.aor.user, trustedAddresses: a.trusted }));
  }

  /**
   * The incoming-call policy for a new INVITE (run before any transaction exists). RFC 3891 §3: an
   * INVITE with Replaces may also come from the party of the dialog it replaces.
   */
  private verdict(request: SipRequest, source: Source): PolicyVerdict {
    const policy = checkIncomingInvite(request, source, this.policyAccounts());
    if (policy.accept) return policy;
    const value = request.headers.get('Replaces');
    if (value === undefined) return policy;
    try {
      const match = this.findReplaced(parseReplaces(value));
      const original = match.ok && match.session instanceof InviteServerSession ? match.session.source.address : undefined;
      if (match.ok && match.session.dialog && fromReplacedParty(match.session.dialog, request, source, original)) return { accept: true };
    } catch {
      // An unreadable Replaces vouches for nothing.
    }
    return { accept: false, reason: `${policy.reason}; its Replaces names no dialog of that party` };
  }

  /** Attach a usage (usage.ts); it sees incoming requests before the INVITE usage. */
  use(usage: RequestUsage): void {
    this.usages.push(usage);
  }

  /** What usages need from us: accounts, credentials, the incoming policy. */
  usageHost(): UsageHost {
    const view = (a: Account | undefined): UsageAccount | undefined => a && {
      key: a.config.key,
      aor: a.aor,
      displayName: a.config.displayName,
      auth: a.auth,
      protocol: a.config.transport,
      outboundProxy: a.servers.outboundProxy,
      // As for calls: out of dialog, a registered account goes through its registrar unless a proxy is set.
      firstHop: a.config.register && !a.servers.outboundProxy ? a.servers.registrar : undefined,
      registrar: a.config.registrar ? parseUri(a.config.registrar)
        : { scheme: a.aor.scheme, host: a.aor.host, ...(a.aor.port ? { port: a.aor.port } : {}), params: new Map(), headers: new Map() },
      contact: () => this.contactFor(a),
    };
    return {
      ctx: this.ctx,
      clock: this.options.clock,
      userAgent: this.options.userAgent,
      t1: this.t1,
      account: (key) => view(this.account(key)),
      accountFor: (request) => view([...this.accounts.values()].find((a) => a.aor.user === request.uri.user) ?? this.account(undefined)),
      checkPolicy: (request, source) => checkIncomingInvite(request, source, this.policyAccounts()),
      fromServer: (source) => [...this.accounts.values()].some((a) => a.trusted.has(source.address)),
      notice: (message) => this.emit('notice', message),
    };
  }

  private onRequest(request: SipRequest, tx: ServerTransaction | undefined, source: Source): void {
    try {
      this.dispatch(request, tx, source);
    } catch (e) {
      // A header the parser accepted but this layer cannot use: answer 400, never crash.
      this.emit('notice', `bad ${request.method}: ${(e as Error).message}`);
      if (tx && request.method !== 'ACK') tx.respond(createResponse(request, 400, `Bad Request (${(e as Error).message})`.slice(0, 120)));
    }
  }

  private dispatch(request: SipRequest, tx: ServerTransaction | undefined, source: Source): void {
    const callId = getCallId(request);
    const toTag = getTo(request).params.get('tag');
    const fromTag = getFrom(request).params.get('tag') ?? '';
    if (request.method === 'CANCEL') {
      this.onCancel(request, tx);
      return;
    }
    if (this.usages.some((u) => u.receive(request, tx, source))) return;
    if (toTag) {
      const session = this.dialogs.get(dialogKey(callId, toTag, fromTag));
      if (session) session.receiveInDialog(request, tx);
      else if (tx && request.method !== 'ACK') tx.respond(createResponse(request, 481));
      return;
    }
    if (!tx) return; // a stray ACK
    if (request.uri.scheme !== 'sip' && request.uri.scheme !== 'sips') {
      tx.respond(createResponse(request, 416));
      return;
    }
    const unsupported = request.headers.getAll('Require').filter((o) => !supportedOptions.includes(o.trim().toLowerCase()));
    if (unsupported.length > 0 && request.method !== 'ACK') {
      const r = createResponse(request, 420);
      r.headers.append('Unsupported', unsupported.join(', '));
      tx.respond(r);
      return;
    }
    switch (request.method) {
      case 'INVITE':
        if (tx.kind === 'ist') this.onInvite(request, tx, source); // the layer makes an IST for every INVITE (§17.2.1)
        return;
      case 'OPTIONS': {
        const r = createResponse(request, 200, undefined, { toTag: this.options.random.token(64) });
        r.headers.append('Allow', allow).append('Accept', accept).append('Supported', supported);
        r.headers.append('User-Agent', this.options.userAgent);
        tx.respond(r);
        return;
      }
      case 'BYE':
        tx.respond(createResponse(request, 481));
        return;
      case 'NOTIFY':
        // Unsolicited message-summary (MWI without SUBSCRIBE) is common: 200; any other: no such
        // subscription (RFC 6665 §4.1.3).
        tx.respond(createResponse(request, /^\s*message-summary\b/i.test(request.headers.get('Event') ?? '') ? 200 : 481));
        return;
      default: {
        const r = createResponse(request, knownMethods.has(request.method) ? 405 : 501);
        r.headers.append('Allow', allow);
        tx.respond(r);
      }
    }
  }

  private onInvite(request: SipRequest, tx: InviteServerTransaction, source: Source): void {
    const type = request.headers.get('Content-Type');
    if (request.body.length > 0 && type && !type.toLowerCase().startsWith('application/sdp')) {
      const r = createResponse(request, 415);
      r.headers.append('Accept', accept);
      tx.respond(r);
      return;
    }
    // RFC 4028 §9: a Session-Expires below our Min-SE is refused before anything rings.
    if (negotiateAsUas(request, undefined).kind === 'too-small') {
      tx.respond(intervalTooSmall(request));
      return;
    }
    const replacesValue = request.headers.get('Replaces');
    let replaced: InviteSession | undefined;
    if (replacesValue !== undefined) {
      const match = this.findReplaced(parseReplaces(replacesValue));
      if (!match.ok) {
        this.emit('notice', `refused INVITE with Replaces: ${match.status}`);
        tx.respond(createResponse(request, match.status));
        return;
      }
      replaced = match.session;
    }
    // The policy already ran (screen, before the transaction existed). The call belongs to the
    // account whose server sent it, else the one it is addressed to, else the first.
    const all = [...this.accounts.values()];
    const viaServer = all.find((a) => a.trusted.has(source.address));
    const account = viaServer ?? all.find((a) => a.aor.user === request.uri.user) ?? all[0];
    const call = new InviteServerSession(this.options.random.token(), this.sessionHost(account, request.uri), noMedia, request, tx, source);
    // Auto-answer requests count only from the account's own server, and only if it allows them.
    call.autoAnswerAllowed = viaServer !== undefined && (viaServer.config.autoAnswerRequests ?? 'pbx') === 'pbx';
    this.incomingByTx.set(tx, call);
    call.on('ended', () => this.incomingByTx.delete(tx));
    if (replaced) this.emit('incoming', call, account?.config.key, replaced);
    else this.emit('incoming', call, account?.config.key);
  }

  /** RFC 3891 §3: the dialog a Replaces names; its to-tag is our local tag. */
  private findReplaced(r: Replaces): { ok: true; session: InviteSession } | { ok: false; status: 481 | 486 | 603 } {
    const key = dialogKey(r.callId, r.toTag, r.fromTag);
    const session = this.dialogs.get(key);
    const state = session ? (session.dialog?.key === key ? session.dialog.state : 'early') : this.endedDialogs.has(key) ? 'terminated' : undefined;
    const verdict = checkReplaces(r, state ? { state, weInitiated: session?.direction === 'outgoing' } : undefined);
    return verdict.ok && session ? { ok: true, session } : { ok: false, status: verdict.ok ? 481 : verdict.status };
  }

  /** §9.2: match the INVITE server transaction; 200 to the CANCEL, 487 to the INVITE. */
  private onCancel(cancel: SipRequest, tx: ServerTransaction | undefined): void {
    if (!tx) return;
    const ist = this.transactions.findInviteServerTransaction(cancel);
    const call = ist ? this.incomingByTx.get(ist) : undefined;
    if (!ist || !call) {
      tx.respond(createResponse(cancel, 481));
      return;
    }
    tx.respond(createResponse(cancel, 200));
    call.cancelled(cancel);
  }

  private onStrayResponse(response: SipResponse): void {
    if (response.status < 200 || response.status >= 300 || getCSeq(response).method !== 'INVITE') return;
    this.outgoingByCallId.get(getCallId(response))?.onStray2xx(response);
  }

  /** Current sessions, for hosts that list calls. */
  get sessions(): InviteSession[] {
    return [...new Set([...this.dialogs.values(), ...this.outgoingByCallId.values(), ...this.incomingByTx.values()])];
  }
}

function hostPort(uri: SipUri): string {
  return uri.port ? `${uri.host}:${uri.port}` : uri.host;
}

function protocolOf(uri: SipUri | undefined): TransportProtocol {
  const t = uri?.params.get('transport')?.toLowerCase();
  if (uri?.scheme === 'sips' || t === 'tls') return 'tls';
  return t === 'tcp' ? 'tcp' : 'udp';
}

