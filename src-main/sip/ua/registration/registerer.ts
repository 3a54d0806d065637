/**
 * Keeps one account registered (RFC 3261 §10): refresh before expiry, 423 Min-Expires, digest,
 * RFC 3263 failover, back-off with jitter on failure (RFC 5626 §4.5), unregister on exit.
 * Behind a NAT it rewrites its Contact to the address the registrar saw (contact-rewrite.ts),
 * removes the unreachable binding, and keeps the NAT binding open with keep-alives.
 *
 *   unregistered ─register()─► registering ─2xx─► registered ─(refresh timer / flow lost / network change)─► registering
 *        ▲                          │ failure                  │ flow lost again soon after recovering
 *        └──── 2xx to Expires: 0 ◄──┴──► failed ◄─────────────┘
 *                                          └─(back-off / network change)─► registering
 *
 * Flow lost (RFC 5626 §4.4, `flowFailed`): registered or registering on it → registering at once;
 * lost again within stableFlowMs of the last loss's recovery → failed (back-off). A network change
 * while registering is queued (retryQueued) and runs when that REGISTER ends, or after
 * queuedRetryGraceMs at the latest (then the REGISTER in flight is abandoned).
 */
import { formatNameAddr, getContacts, Headers, parseUri } from '../../message/index.js';
import type { NameAddr, SipResponse, SipUri } from '../../message/index.js';
import type { Clock, TimerHandle } from '../../../util/clock.js';
import type { Destination } from '../../transport/types.js';
import type { StunBindingOptions, StunBindingOutcome, StunTarget } from '../../transport/udp-stun.js';
import { sameFlow, type FlowLoss } from './flow-recovery.js';
import { OutgoingRequest, type RequestContext } from '../core/outgoing-request.js';
import type { AccountConfig, RegistrationState } from '../core/account.js';
import type { DigestClient } from '../../message/digest.js';
import { OptionsKeepAlive } from './options-keepalive.js';
import { StunKeepAlive, type MappedAddress } from './stun-keepalive.js';
import { contactNeedsRewrite, observedAddress, rewriteContact, sameContact, type ObservedAddress } from './contact-rewrite.js';

export interface RegistrationStatus {
  state: RegistrationState;
  /** Why it failed, in words a person can act on. */
  reason?: string;
  /** SIP status of the last final response, when there was one. */
  status?: number;
  /** Granted lifetime in seconds while registered. */
  expires?: number;
}

export interface RegistererDeps {
  ctx: RequestContext;
  clock: Clock;
  auth: DigestClient;
  /** Our Contact for this account (the UA knows the transport's address). */
  contact(): NameAddr;
  userAgent: string;
  /** OPTIONS keep-alive interval over UDP while registered, ms (0 = off). */
  keepAliveMs?: number;
  onStatus(status: RegistrationStatus): void;
  /** The Contact moved to the address the registrar sees (a NAT in between). */
  onContactRewrite?(from: NameAddr, to: NameAddr): void;
  /**
   * A STUN Binding request from the SIP UDP socket (RFC 5626 §4.4.2 keep-alive). Without it, or
   * when the registrar never answers one, UDP flows are kept open with OPTIONS.
   */
  stunBinding?(to: StunTarget, options?: StunBindingOptions): Promise<StunBindingOutcome>;
  /** A STUN keep-alive showed the flow's mapping (each answer). */
  onMapping?(mapped: MappedAddress): void;
  /** A STUN keep-alive answer showed a new NAT mapping: the flow failed, registering again (RFC 5626 §4.4.2). */
  onRemapped?(previous: MappedAddress, current: MappedAddress): void;
  /** The registrar left a STUN keep-alive unanswered: OPTIONS keep the flow open from now on. */
  onStunUnanswered?(detail: string): void;
}

/** RFC 5626 §4.5 back-off: base 30 s (60 s when every flow failed), at most 1800 s. */
const backoffBaseS = 30;
const backoffMaxS = 1800;
/** Rewrites in a row without a stable 2xx before we keep the Contact as it is (a NAT that remaps every request). */
const maxRewritesInARow = 2;
/**
 * A queued retryNow() waits this long at most for the REGISTER in flight: after a network change
 * its answer may never come (a closed TCP flow has no retransmissions; Timer F is 32 s).
 */
export const queuedRetryGraceMs = 2000;
/** A recovered flow that fails again within this is "failing": back off instead of re-registering at once. */
export const stableFlowMs = 60_000;

export class Registerer {
  status: RegistrationStatus = { state: 'unregistered' };
  private readonly callId: string;
  private readonly fromTag: string;
  private seq = 0;
  private expires: number;
  private failures = 0;
  private timer: TimerHandle | undefined;
  private current: OutgoingRequest | undefined;
  private readonly registrar: SipUri;
  private readonly aor: SipUri;
  private wanted = false;
  private contact: NameAddr | undefined;
  /** A binding of ours nobody can reach any more: removed (expires=0) by the next REGISTER. */
  private staleContact: NameAddr | undefined;
  private rewritesInARow = 0;
  /** `contact` holds a NAT rewrite (not the local address the UA gave us). */
  private rewritten = false;
  /** Our address as the registrar saw it in its last 2xx (RFC 3581 §4); undefined without one. */
  private observed: ObservedAddress | undefined;
  private keepAlive: OptionsKeepAlive | StunKeepAlive | undefined;
  /** The registrar left a STUN keep-alive unanswered: OPTIONS keep this flow open instead. */
  private stunUnanswered = false;
  /** RFC 5626 §5.4 Flow-Timer [s] of the last 2xx, or §6 Require: outbound (STUN keep-alives promised). */
  private flowTimerS: number | undefined;
  private outboundInUse = false;
  /** Where the REGISTER that got our binding went: the flow to watch (RFC 5626 §4.4). */
  private flow: Destination | undefined;
  /** When the current flow got its 2xx (undefined until one after the last flow failure). */
  private flowUpSince: number | undefined;
  /** Flow failures in a row without the flow staying up for stableFlowMs. */
  private flowFailures = 0;
  /** retryNow() came while a REGISTER was in flight: start over when it ends. */
  private retryQueued = false;

  constructor(private readonly account: AccountConfig, private readonly deps: RegistererDeps) {
    this.callId = deps.ctx.random.token(120);
    this.fromTag = deps.ctx.random.token(64);
    this.expires = account.expires;
    this.aor = parseUri(account.aor);
    this.registrar = account.registrar
      ? parseUri(account.registrar)
      : { scheme: this.aor.scheme, host: this.aor.host, ...(this.aor.port ? { port: this.aor.port } : {}), params: new Map(), headers: new Map() };
  }

  register(): void {
    this.wanted = true;
    this.send(this.expires);
  }

  /**
   * The Contact we registered after rewriting it to the address the registrar sees (a NAT in
   * between): in-dialog requests and 2xx responses carry the same one. Undefined while our local
   * Contact is the one that works.
   */
  get rewrittenContact(): NameAddr | undefined {
    return this.rewritten ? this.contact : undefined;
  }

  /**
   * Our public address as the registrar sees it, once learnt (and contact rewrite is on): what SDP
   * advertises. Never an address to bind to: it may belong to the NAT, not to this machine.
   */
  get publicAddress(): ObservedAddress | undefined {
    return this.rewriteEnabled ? this.observed : undefined;
  }

  private get rewriteEnabled(): boolean {
    return this.account.contactRewrite ?? true;
  }

  /** Remove our binding (Expires: 0); resolves when the registrar answered or gave up. */
  unregister(): Promise<void> {
    this.wanted = false;
    this.retryQueued = false;
    this.deps.clock.clearTimeout(this.timer);
    this.keepAlive?.stop();
    this.keepAlive = undefined;
    this.current?.abandon();
    // A REGISTER still in flight may yet succeed: remove the binding in that case too.
    if (this.status.state !== 'registered' && this.status.state !== 'registering') {
      this.setStatus({ state: 'unregistered' });
      return Promise.resolve();
    }
    return new Promise((resolve) => this.send(0, () => {
      this.setStatus({ state: 'unregistered' });
      resolve();
    }));
  }

  /**
   * The network came back or changed, or the machine woke up: register again now, from our local
   * address (the learnt public one may be gone). During a REGISTER in flight this is queued and
   * runs as soon as that one ends (at the latest after queuedRetryGraceMs), so it is never lost.
   */
  retryNow(): void {
    if (!this.wanted) return;
    if (this.status.state === 'registering') {
      if (!this.retryQueued) this.schedule(queuedRetryGraceMs, () => this.restart(true));
      this.retryQueued = true;
      return;
    }
    this.restart(this.status.state === 'registered');
  }

  /**
   * A TCP/TLS connection closed or failed. When it is the flow we registered over (same protocol,
   * address and port), RFC 5626 §4.4: form a new flow and register again at once; a flow that
   * keeps failing backs off as failed registrations do (§4.5). Returns whether it was ours.
   */
  flowFailed(loss: FlowLoss): boolean {
    if (!this.wanted) return false;
    const state = this.status.state;
    // While failed, the back-off timer decides. While registering, only the REGISTER's own flow
    // closing counts: a failed connect is that request's own transport error (it fails over itself).
    const watched = state === 'registered' ? this.flow
      : state === 'registering' && loss.established ? this.current?.destination : undefined;
    if (!watched || !sameFlow(watched, loss.flow)) return false;
    if (this.retryQueued) {
      this.restart(true); // a network change was waiting for this REGISTER anyway
      return true;
    }
    const now = this.deps.clock.now();
    if (this.flowUpSince !== undefined && now - this.flowUpSince >= stableFlowMs) this.flowFailures = 0;
    this.flowUpSince = undefined;
    this.flowFailures++;
    this.current?.abandon();
    this.current = undefined;
    if (this.flowFailures === 1) {
      this.deps.clock.clearTimeout(this.timer);
      this.send(this.expires);
      return true;
    }
    // The second failure in a row waits out the first back-off step, and so on.
    this.failures = Math.max(this.failures, this.flowFailures - 2);
    this.fail(`connection to the registrar lost again (${loss.detail})`);
    return true;
  }

  /** Start over from the local Contact; `bound`: the registrar may hold our current Contact (remove it). */
  private restart(bound: boolean): void {
    this.retryQueued = false;
    this.deps.clock.clearTimeout(this.timer);
    this.current?.abandon();
    // Re-learn from scratch: local address first, then whatever the registrar sees now.
    if (bound && this.contact) this.staleContact = this.contact;
    this.contact = undefined;
    this.rewritten = false;
    this.observed = undefined;
    this.rewritesInARow = 0;
    this.flow = undefined;
    this.flowUpSince = undefined;
    this.flowFailures = 0;
    // A new network: a new flow and mapping, learnt again by a keep-alive started at the next 2xx.
    this.keepAlive?.stop();
    this.keepAlive = undefined;
    this.stunUnanswered = false;
    this.send(this.expires);
  }

  private send(expires: number, done?: () => void): void {
    this.current?.abandon();
    if (expires > 0) this.setStatus({ state: 'registering' });
    const request = this.buildRequest(expires);
    const nextHop = this.account.outboundProxy ? parseUri(this.account.outboundProxy) : this.registrar;
    const outgoing = new OutgoingRequest(this.deps.ctx, request, {
      nextHop,
      protocol: this.account.transport,
      auth: this.deps.auth,
      nextSeq: () => ++this.seq,
    }, {
      onFinal: (response) => {
        if (done) done();
        // The network changed while this was in flight: whatever it got may be stale (a 2xx bound it).
        else if (this.retryQueued && this.wanted) this.restart(true);
        else this.onFinal(response, outgoing.destination);
      },
      onFailure: (_reason, detail) => {
        if (done) done();
        else if (this.retryQueued && this.wanted) this.restart(true);
        else this.fail(`no response from registrar (${detail})`);
      },
    });
    this.current = outgoing;
    void outgoing.start();
  }

  private buildRequest(expires: number) {
    const h = new Headers();
    const aor = formatNameAddr({ uri: this.aor, params: new Map(), ...(this.account.displayName ? { displayName: this.account.displayName } : {}) });
    h.append('Max-Forwards', '70');
    h.append('From', `${aor};tag=${this.fromTag}`);
    h.append('To', aor);
    h.append('Call-ID', this.callId);
    h.append('CSeq', `${++this.seq} REGISTER`);
    // The same Contact for refreshes and removal (§10.2.4); re-learned after a network change.
    this.contact ??= this.deps.contact();
    const contact: NameAddr = { ...this.contact, params: new Map(this.contact.params) };
    if (this.account.instanceId) contact.params.set('+sip.instance', `"<${this.account.instanceId}>"`);
    if (this.account.instanceId && this.account.outbound) contact.params.set('reg-id', '1');
    if (this.account.outboundProxy) {
      const route = parseUri(this.account.outboundProxy);
      route.params.set('lr', null);
      h.append('Route', formatNameAddr({ uri: route, params: new Map() }));
    }
    h.append('Contact', formatNameAddr(contact));
    // RFC 3261 §10.2.2: expires=0 on one Contact removes just that binding (no instance params,
    // so a registrar that matches bindings by +sip.instance does not drop the new one).
    if (this.staleContact && !sameContact(this.staleContact.uri, contact.uri)) {
      h.append('Contact', `${formatNameAddr({ uri: this.staleContact.uri, params: new Map() })};expires=0`);
    }
    h.append('Expires', String(expires));
    if (this.account.instanceId && this.account.outbound) h.append('Supported', 'outbound, path');
    h.append('User-Agent', this.deps.userAgent);
    return { kind: 'request' as const, method: 'REGISTER', uri: this.registrar, headers: h, body: Buffer.alloc(0) };
  }

  private onFinal(response: SipResponse, destination: Destination | undefined): void {
    if (response.status >= 200 && response.status < 300) {
      this.failures = 0;
      this.flow = destination;
      this.readFlowSupport(response);
      this.flowUpSince ??= this.deps.clock.now();
      if (this.rewriteContactFrom(response)) return;
      this.rewritesInARow = 0;
      this.staleContact = undefined;
      const granted = this.grantedExpires(response);
      this.setStatus({ state: 'registered', status: response.status, expires: granted });
      // Refresh well before expiry: halfway for short lifetimes, else a minute early.
      const refreshIn = granted > 120 ? granted - 60 : Math.max(1, granted / 2);
      this.schedule(refreshIn * 1000, () => this.send(this.expires));
      this.startKeepAlive();
      return;
    }
    if (response.status === 423) {
      const min = Number(response.headers.get('Min-Expires'));
      if (Number.isInteger(min) && min > this.expires && min <= 86400) {
        this.expires = min;
        this.send(this.expires);
        return;
      }
    }
    const reason = response.status === 401 || response.status === 407 || response.status === 403
      ? `authentication failed: ${response.status} ${response.reason} (check user name and password)`
      : `registrar refused: ${response.status} ${response.reason}`;
    this.fail(reason, response.status);
  }

  /**
   * Contact rewrite (pjsip's allow_contact_rewrite): when the registrar saw us at another address
   * (RFC 3581 §4 received/rport), register that one at once and drop the binding it cannot reach.
   * Returns true when a new REGISTER went out.
   */
  private rewriteContactFrom(response: SipResponse): boolean {
    const observed = observedAddress(response);
    if (observed) this.observed = observed;
    const current = this.contact;
    if (!observed || !current || !this.rewriteEnabled || !this.wanted) return false;
    if (!contactNeedsRewrite(current.uri, observed, this.account.transport)) return false;
    if (this.rewritesInARow >= maxRewritesInARow) return false;
    this.rewritesInARow++;
    this.staleContact = current;
    this.contact = rewriteContact(current, observed);
    this.rewritten = true;
    this.deps.onContactRewrite?.(current, this.contact);
    this.deps.clock.clearTimeout(this.timer);
    this.send(this.expires);
    return true;
  }

  /** §10.2.4: our binding's expires param, else the Expires header, else what we asked. */
  private grantedExpires(response: SipResponse): number {
    const mine = (this.contact ?? this.deps.contact()).uri;
    for (const c of getContacts(response).contacts) {
      if (c.uri.host === mine.host && (c.uri.port ?? 5060) === (mine.port ?? 5060) && c.uri.user === mine.user) {
        const e = Number(c.params.get('expires'));
        if (Number.isFinite(e) && e > 0) return e;
      }
    }
    const header = Number(response.headers.get('Expires'));
    return Number.isFinite(header) && header > 0 ? header : this.expires;
  }

  /** RFC 5626 §5.4 Flow-Timer (seconds, sane range only) and §6 `Require: outbound` in a 2xx. */
  private readFlowSupport(response: SipResponse): void {
    const timer = Number(response.headers.get('Flow-Timer'));
    this.flowTimerS = Number.isInteger(timer) && timer >= 5 && timer <= 3600 ? timer : undefined;
    this.outboundInUse = (response.headers.get('Require') ?? '').split(',').some((t) => t.trim().toLowerCase() === 'outbound');
  }

  /**
   * UDP only: stream flows have CRLF keep-alive in the transport (RFC 5626 §4.4.1). STUN Binding
   * requests on the registrar's flow when the stack can send them (§4.4.2), else (or once the
   * registrar left one unanswered) OPTIONS; `optionsNow`: the first OPTIONS at once.
   */
  private startKeepAlive(optionsNow = false): void {
    const base = this.deps.keepAliveMs ?? 25_000;
    if (this.keepAlive || base <= 0 || this.account.transport !== 'udp') return;
    // §4.4.1: at least as often as the registrar's Flow-Timer.
    const interval = this.flowTimerS !== undefined ? Math.min(base, this.flowTimerS * 1000) : base;
    const flow = this.flow;
    const stunBinding = this.deps.stunBinding;
    // A REGISTER too big for UDP went over TCP (§18.1.1): that flow has CRLF keep-alives instead.
    if (stunBinding && flow?.protocol === 'udp' && !this.stunUnanswered) {
      const keepAlive: StunKeepAlive = new StunKeepAlive({
        clock: this.deps.clock,
        random: this.deps.ctx.random,
        binding: (sends) => stunBinding({ address: flow.address, port: flow.port }, sends !== undefined ? { sends } : {}),
        intervalMs: interval,
        expected: this.outboundInUse || this.flowTimerS !== undefined,
        onMapped: (mapped) => this.deps.onMapping?.(mapped),
        onRemapped: (previous, current) => {
          if (!this.wanted || this.keepAlive !== keepAlive) return;
          // §4.4.2: the flow failed; register again on it so the registrar learns the new mapping
          // (its Via received/rport then rewrites our Contact, contact-rewrite.ts). Told after the
          // REGISTER left, so calls wait for its outcome before sending our new Contact.
          this.deps.clock.clearTimeout(this.timer);
          this.send(this.expires);
          this.deps.onRemapped?.(previous, current);
        },
        onUnanswered: (detail) => {
          if (this.keepAlive !== keepAlive) return;
          this.keepAlive = undefined;
          this.stunUnanswered = true;
          this.deps.onStunUnanswered?.(detail);
          // The flow is kept by OPTIONS from now on: the first goes at once to confirm it.
          if (this.wanted && this.status.state === 'registered') this.startKeepAlive(true);
        },
        onFailure: (detail) => {
          if (this.keepAlive !== keepAlive) return;
          this.keepAlive = undefined;
          if (this.wanted) this.fail(`registrar unreachable (STUN keep-alive: ${detail})`);
        },
      });
      this.keepAlive = keepAlive;
      keepAlive.start();
      return;
    }
    this.keepAlive = new OptionsKeepAlive({
      ctx: this.deps.ctx,
      clock: this.deps.clock,
      target: this.account.outboundProxy ? parseUri(this.account.outboundProxy) : this.registrar,
      protocol: this.account.transport,
      from: { uri: this.aor, params: new Map() },
      userAgent: this.deps.userAgent,
      intervalMs: interval,
      // The NAT may remap us between refreshes (router restart, binding timed out): re-learn now.
      onResponse: (response) => {
        if (this.status.state === 'registered') this.rewriteContactFrom(response);
      },
      onFailure: (detail) => {
        this.keepAlive = undefined;
        if (this.wanted) this.fail(`registrar unreachable (keep-alive: ${detail})`);
      },
    });
    this.keepAlive.start(optionsNow);
  }

  private fail(reason: string, status?: number): void {
    this.keepAlive?.stop();
    this.keepAlive = undefined;
    this.failures++;
    this.setStatus({ state: 'failed', reason, ...(status ? { status } : {}) });
    if (!this.wanted) return;
    const ceiling = Math.min(backoffMaxS, backoffBaseS * 2 ** Math.min(this.failures - 1, 10));
    const waitS = ceiling * (0.5 + this.deps.ctx.random.int(1000) / 2000);
    this.schedule(waitS * 1000, () => this.send(this.expires));
  }

  private schedule(ms: number, fn: () => void): void {
    this.deps.clock.clearTimeout(this.timer);
    this.timer = this.deps.clock.setTimeout(() => {
      if (this.wanted) fn();
    }, ms);
  }

  private setStatus(status: RegistrationStatus): void {
    this.status = status;
    this.deps.onStatus(status);
  }
}
