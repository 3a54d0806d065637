/**
 * ICE agent (RFC 8445) for one component of the audio stream (1 = RTP, or RTP and RTCP with
 * rtcp-mux; 2 = RTCP without it), full implementation:
 * connectivity checks paced every Ta (§14.2) and retransmitted per §14.3, triggered checks and peer-reflexive candidates
 * (§7.3.1.3–4), role conflicts (§7.3.1.1), regular or aggressive nomination (§8.1.1), consent
 * freshness (RFC 7675) on the selected pair, ICE restart (§9). Sockets are "bases": whatever sends
 * for a local candidate (a host socket, or a TURN allocation for a relayed one). The agents of one
 * stream's two components share ufrag/pwd and the tie-breaker (§5.3, §7.3.1.1) and each checks and
 * nominates its own component's pairs (§8.1.1: a pair per component).
 *
 *   new ─start()─▶ checking ─valid pair─▶ connected ─nominated─▶ completed
 *                     └──────all pairs failed──────▶ failed ◀── consent lost (30 s)
 */
import type { Clock, TimerHandle } from '../../util/clock.js';
import type { Random } from '../../util/random.js';
import { decodeU32, decodeU64, decodeXorAddress, encodeErrorCode, encodeU32, encodeU64, encodeXorAddress, decodeErrorCode, type TransportAddress } from '../../net/stun/attributes.js';
import { Attr, StunClass, StunMethod } from '../../net/stun/constants.js';
import { shortTermKey } from '../../net/stun/credentials.js';
import { attribute, checkIntegrity, encodeStun, looksLikeStun, parseStun, type StunMessage } from '../../net/stun/message.js';
import { StunClient } from '../../net/stun/transaction.js';
import { candidatePriority, foundation, type Candidate } from './candidate.js';
import { Checklist, PairState, pairKey, type CandidatePair } from './checklist.js';

export interface Endpoint {
  address: string;
  port: number;
}

/** Whatever sends for a local candidate: a host socket or a TURN allocation. */
export interface IceBase {
  send(data: Buffer, to: Endpoint): void;
}

export type IceState = 'new' | 'checking' | 'connected' | 'completed' | 'failed' | 'closed';

export interface IceAgentOptions {
  controlling: boolean;
  clock: Clock;
  random: Random;
  nomination?: 'regular' | 'aggressive';
  /** [ms] §14.2 pacing of new checks (default 50). */
  ta?: number;
  /** [ms] Regular nomination: how long the controlling agent lets checks run after the first valid pair. */
  nominationDelay?: number;
  /** [ms] RFC 7675 §5.1: consent checks every 5 s ± 20 %, lost after 30 s. */
  consentInterval?: number;
  consentTimeout?: number;
  /** RFC 8445 §5.1.1: 1 = RTP (default), 2 = RTCP when it is not multiplexed. */
  component?: number;
  /** The stream's credentials and tie-breaker, shared with the agent of its other component. */
  credentials?: { ufrag: string; pwd: string };
  tieBreaker?: bigint;
}

export interface RemoteIce {
  ufrag: string;
  pwd: string;
  candidates: Candidate[];
  lite?: boolean;
}

export interface IceStats {
  state: IceState;
  role: 'controlling' | 'controlled';
  localCandidates: Candidate[];
  remoteCandidates: Candidate[];
  selectedPair?: { local: Candidate; remote: Candidate };
  checksSent: number;
  consentChecks: number;
}

const ICE_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Connectivity-check retransmissions (RFC 8445 §14.3 sets RTO; Rc and Rm are ours, RFC 8489
 * §6.2.1 lets an application lower them): 5 sends at 0, 1, 3, 7, 15 × RTO and a final wait of
 * 4 × RTO, so a dead pair fails after 19 × RTO (9.5 s at RTO = 500 ms) instead of 39.5 s.
 */
export const CHECK_RC = 5;
export const CHECK_RM = 4;
/** [ms] §14.3: the RTO floor. */
export const CHECK_MIN_RTO = 500;

export class IceAgent {
  state: IceState = 'new';
  localUfrag = '';
  localPwd = '';
  controlling: boolean;
  selected: CandidatePair | undefined;
  /** The selected pair changed (media moves to `pair.remote` through base `pair.baseId`). */
  onSelected: ((pair: CandidatePair) => void) | undefined;
  onStateChange: ((state: IceState) => void) | undefined;

  readonly tieBreaker: bigint;
  readonly component: number;
  private readonly locals: { candidate: Candidate; baseId: number }[] = [];
  private readonly bases: { base: IceBase; client: StunClient }[] = [];
  private remote: RemoteIce | undefined;
  private remoteCandidates: Candidate[] = [];
  private list = new Checklist();
  private pacer: TimerHandle | undefined;
  private nominationTimer: TimerHandle | undefined;
  /** The valid pair whose USE-CANDIDATE check (regular nomination) is in flight. */
  private nominating: CandidatePair | undefined;
  private consentTimer: TimerHandle | undefined;
  /** The pair selected before a restart: media stays on it until a new pair is valid (§9). */
  private previous: CandidatePair | undefined;
  private lastConsent = 0;
  private checksSent = 0;
  private consentChecks = 0;
  private readonly ta: number;

  constructor(private readonly o: IceAgentOptions) {
    this.controlling = o.controlling;
    this.ta = o.ta ?? 50;
    this.component = o.component ?? 1;
    this.tieBreaker = o.tieBreaker ?? (BigInt(o.random.int(0x1_0000_0000)) << 32n) | BigInt(o.random.int(0x1_0000_0000));
    this.newCredentials(o.credentials);
  }

  /** §5.3: ufrag ≥ 24 bits, pwd ≥ 128 bits of randomness (RFC 8839 §5.4 ice-chars); or the other component's. */
  private newCredentials(shared?: { ufrag: string; pwd: string }): void {
    if (shared) {
      this.localUfrag = shared.ufrag;
      this.localPwd = shared.pwd;
      return;
    }
    const token = (n: number) => Array.from({ length: n }, () => ICE_CHARS[this.o.random.int(64)]).join('');
    this.localUfrag = token(8);
    this.localPwd = token(24);
  }

  /** Register a sending base; returns its id for `addLocalCandidate` and `handlePacket`. */
  addBase(base: IceBase): number {
    const id = this.bases.length;
    this.bases.push({ base, client: this.checkClient(base) });
    return id;
  }

  /** Checks from `base`, each request's RTO taken when it is sent (§14.3). */
  private checkClient(base: IceBase): StunClient {
    return new StunClient({
      send: (d, to) => base.send(d, to), clock: this.o.clock, random: this.o.random, rto: () => this.checkRto(), rc: CHECK_RC, rm: CHECK_RM,
    });
  }

  /** §14.3: RTO = MAX(500 ms, Ta × (Num-Waiting + Num-In-Progress)). */
  private checkRto(): number {
    let pending = 0;
    for (const p of this.list.pairs) if (p.state === PairState.Waiting || p.state === PairState.InProgress) pending++;
    return Math.max(CHECK_MIN_RTO, this.ta * pending);
  }

  /** A gathered candidate (host, srflx learnt by STUN, relay from TURN) sent for by `baseId`. */
  addLocalCandidate(c: Omit<Candidate, 'priority' | 'foundation' | 'component' | 'transport'> & { localPreference?: number }, baseId: number, server = ''): Candidate {
    const candidate: Candidate = {
      foundation: foundation(c.type, c.relatedAddress ?? c.address, server), component: this.component, transport: 'udp',
      priority: candidatePriority(c.type, c.localPreference ?? 65535 - this.locals.length, this.component), address: c.address, port: c.port,
      type: c.type, relatedAddress: c.relatedAddress, relatedPort: c.relatedPort,
    };
    this.locals.push({ candidate, baseId });
    for (const r of this.remoteCandidates) this.pairUp(candidate, baseId, r);
    return candidate;
  }

  get localCandidates(): Candidate[] {
    return this.locals.map((l) => l.candidate);
  }

  /** The peer's ufrag, pwd and candidates (from its SDP); a full agent is controlling against ICE-lite (§6.1.1). */
  setRemote(remote: RemoteIce): void {
    this.remote = remote;
    if (remote.lite && !this.controlling) {
      this.controlling = true;
      this.list.reprioritize(true);
    }
    for (const c of remote.candidates) this.addRemoteCandidate(c);
  }

  addRemoteCandidate(c: Candidate): void {
    if (c.component !== this.component || this.remoteCandidates.length >= 32) return;
    if (this.remoteCandidates.some((r) => r.address === c.address && r.port === c.port)) return;
    this.remoteCandidates.push(c);
    for (const l of this.locals) this.pairUp(l.candidate, l.baseId, c);
  }

  private pairUp(local: Candidate, baseId: number, remote: Candidate): CandidatePair | undefined {
    // §6.1.2.4: a server-reflexive local candidate is replaced by its base: it adds no pair.
    if (local.type === 'srflx') return undefined;
    return this.list.add(local, remote, baseId, this.controlling);
  }

  /** Begin checks (§6.1.4); paced every Ta. */
  start(): void {
    if (this.state === 'closed') return;
    this.setState('checking');
    this.list.unfreeze();
    this.schedulePacer();
  }

  private schedulePacer(): void {
    if (this.pacer || this.state === 'closed' || this.state === 'failed') return;
    this.pacer = this.o.clock.setTimeout(() => {
      this.pacer = undefined;
      const pair = this.list.next();
      if (pair) {
        this.check(pair, this.o.nomination === 'aggressive' && this.controlling);
        this.schedulePacer();
      }
    }, this.ta);
  }

  /** §7.2.2: a connectivity check on `pair`. */
  private check(pair: CandidatePair, useCandidate: boolean, consent = false): void {
    if (!this.remote) return;
    // §8.1.1: a valid pair re-checked with USE-CANDIDATE stays valid (media keeps it) meanwhile.
    const renominating = useCandidate && pair.state === PairState.Succeeded;
    pair.state = consent || renominating ? pair.state : PairState.InProgress;
    pair.checks++;
    if (consent) this.consentChecks++;
    else this.checksSent++;
    const attributes: { type: number; value: Buffer }[] = [
      { type: Attr.Username, value: Buffer.from(`${this.remote.ufrag}:${this.localUfrag}`) },
      // §7.1.1: PRIORITY is what a peer-reflexive candidate from this check would get.
      { type: Attr.Priority, value: encodeU32(candidatePriority('prflx', (pair.local.priority >> 8) & 0xffff, this.component)) },
      { type: this.controlling ? Attr.IceControlling : Attr.IceControlled, value: encodeU64(this.tieBreaker) },
    ];
    if (useCandidate) attributes.push({ type: Attr.UseCandidate, value: Buffer.alloc(0) });
    const { client } = this.bases[pair.baseId]!;
    const remotePwd = shortTermKey(this.remote.pwd);
    const ufrag = this.remote.ufrag;
    void client.request({ method: StunMethod.Binding, attributes }, pair.remote, { integrity: remotePwd, fingerprint: true })
      .then((outcome) => {
        if (this.state === 'closed' || this.remote?.ufrag !== ufrag) return; // closed or restarted
        if (consent) return this.consentResult(pair, outcome.ok && outcome.response.cls === StunClass.SuccessResponse && checkIntegrity(outcome.response, remotePwd));
        if (!outcome.ok) return this.failPair(pair);
        this.checkResponse(pair, outcome.response, remotePwd, useCandidate);
      });
  }

  /** §7.2.5: process a check's response. */
  private checkResponse(pair: CandidatePair, r: StunMessage, remotePwd: Buffer, useCandidate: boolean): void {
    if (!checkIntegrity(r, remotePwd)) return this.failPair(pair);
    if (r.cls === StunClass.ErrorResponse) {
      const error = decodeErrorCode(attribute(r, Attr.ErrorCode) ?? Buffer.alloc(0));
      if (error?.code === 487) {
        // §7.2.5.1: role conflict: switch role and check the pair again.
        this.controlling = !this.controlling;
        this.list.reprioritize(this.controlling);
        this.nominating = undefined;
        pair.state = PairState.Waiting;
        this.list.triggered.push(pair);
        this.schedulePacer();
        return;
      }
      return this.failPair(pair);
    }
    const mapped = decodeXorAddress(attribute(r, Attr.XorMappedAddress) ?? Buffer.alloc(0), r.transactionId);
    if (!mapped) return this.failPair(pair);
    pair.state = PairState.Succeeded;
    // §6.1.2.6: success unfreezes pairs with the same foundation.
    for (const p of this.list.pairs) {
      if (p.state === PairState.Frozen && p.local.foundation === pair.local.foundation) p.state = PairState.Waiting;
    }
    if (this.state === 'checking') this.setState('connected');
    if (this.controlling) {
      if (useCandidate) this.nominate(pair);
      else if (this.o.nomination !== 'aggressive') this.scheduleNomination();
    } else if (pair.nominateOnSuccess) {
      this.nominate(pair);
    }
    if (!this.selected) this.onSelected?.(pair);
    this.schedulePacer();
  }

  /** Regular nomination (§8.1.1): after checks had time to find better pairs, nominate the best valid one. */
  private scheduleNomination(): void {
    if (this.nominationTimer || this.selected || this.nominating) return;
    this.nominationTimer = this.o.clock.setTimeout(() => {
      this.nominationTimer = undefined;
      const best = this.list.bestValid();
      if (!best || this.selected) return;
      this.nominating = best;
      this.check(best, true);
    }, this.o.nominationDelay ?? 200);
  }

  private nominate(pair: CandidatePair): void {
    pair.nominated = true;
    this.nominating = undefined;
    if (this.selected && this.selected.priority >= pair.priority) return;
    this.selected = pair;
    this.setState('completed');
    this.onSelected?.(pair);
    this.lastConsent = this.o.clock.now();
    this.scheduleConsent();
  }

  private failPair(pair: CandidatePair): void {
    pair.state = PairState.Failed;
    if (this.nominating === pair) this.nominating = undefined;
    if (this.list.allFailed() && !this.selected) this.setState('failed');
    // §8.1.1: a nomination that failed moves on to the next valid pair.
    if (this.controlling && this.o.nomination !== 'aggressive' && !this.selected && this.list.bestValid()) this.scheduleNomination();
    this.schedulePacer();
  }

  /** RFC 7675 §5.1: a consent check every 4–6 s; no success for 30 s ends sending. */
  private scheduleConsent(): void {
    this.o.clock.clearTimeout(this.consentTimer);
    const interval = this.o.consentInterval ?? 5000;
    const wait = interval * 0.8 + this.o.random.int(Math.floor(interval * 0.4) + 1);
    this.consentTimer = this.o.clock.setTimeout(() => {
      if (!this.selected || this.state !== 'completed') return;
      if (this.o.clock.now() - this.lastConsent > (this.o.consentTimeout ?? 30_000)) {
        this.setState('failed');
        return;
      }
      this.check(this.selected, false, true);
      this.scheduleConsent();
    }, wait);
  }

  private consentResult(pair: CandidatePair, ok: boolean): void {
    if (ok && pair === this.selected) this.lastConsent = this.o.clock.now();
  }

  /**
   * A packet arrived on base `baseId` from `from`. True when it was ICE's (a STUN message);
   * everything else is media for the caller.
   */
  handlePacket(data: Buffer, from: Endpoint, baseId: number): boolean {
    if (!looksLikeStun(data)) return false;
    const parsed = parseStun(data);
    if (!parsed.ok) return true;
    const m = parsed.message;
    if (m.method !== StunMethod.Binding) return false;
    if (m.cls === StunClass.Request) this.handleRequest(m, from, baseId);
    else this.bases[baseId]?.client.handleResponse(m);
    return true;
  }

  /** §7.3: answer a peer's check; learn peer-reflexive candidates, trigger checks, honour USE-CANDIDATE. */
  private handleRequest(m: StunMessage, from: Endpoint, baseId: number): void {
    const base = this.bases[baseId];
    if (!base || this.state === 'closed') return;
    const username = attribute(m, Attr.Username)?.toString('utf8') ?? '';
    const key = shortTermKey(this.localPwd);
    // §7.3: FINGERPRINT, USERNAME "ours:theirs" and MESSAGE-INTEGRITY with our password, or 400/401 (silently dropped here).
    if (!m.fingerprint || !username.startsWith(`${this.localUfrag}:`) || !checkIntegrity(m, key)) return;
    const theirControlling = attribute(m, Attr.IceControlling);
    const theirControlled = attribute(m, Attr.IceControlled);
    const theirs = decodeU64(theirControlling ?? theirControlled ?? Buffer.alloc(0)) ?? 0n;
    // §7.3.1.1 role conflict.
    if (this.controlling && theirControlling) {
      if (this.tieBreaker >= theirs) return this.respondError(m, from, base.base, key);
      this.controlling = false;
      this.list.reprioritize(false);
    } else if (!this.controlling && theirControlled) {
      if (this.tieBreaker >= theirs) {
        this.controlling = true;
        this.list.reprioritize(true);
      } else {
        return this.respondError(m, from, base.base, key);
      }
    }
    base.base.send(encodeStun({
      method: StunMethod.Binding, cls: StunClass.SuccessResponse, transactionId: m.transactionId,
      attributes: [{ type: Attr.XorMappedAddress, value: encodeXorAddress(toTransport(from), m.transactionId) }],
    }, { integrity: key, fingerprint: true }), from);

    // §7.3.1.3: an unknown source is a peer-reflexive remote candidate.
    let remote = this.remoteCandidates.find((c) => c.address === from.address && c.port === from.port);
    if (!remote) {
      const priority = decodeU32(attribute(m, Attr.Priority) ?? Buffer.alloc(0)) ?? candidatePriority('prflx', 65535, this.component);
      remote = { foundation: foundation('prflx', from.address), component: this.component, transport: 'udp', priority, address: from.address, port: from.port, type: 'prflx' };
      this.addRemoteCandidate(remote);
    }
    const local = this.locals.find((l) => l.baseId === baseId && l.candidate.type !== 'srflx')?.candidate;
    if (!local || !this.remote) return;
    const pair = this.list.find(local, remote) ?? this.list.add(local, remote, baseId, this.controlling);
    if (!pair) return;
    const useCandidate = attribute(m, Attr.UseCandidate) !== undefined;
    // §7.3.1.4 triggered check; §7.3.1.5 nomination by the controlling peer.
    if (pair.state === PairState.Succeeded) {
      if (useCandidate && !this.controlling) this.nominate(pair);
    } else {
      if (useCandidate && !this.controlling) pair.nominateOnSuccess = true;
      if (pair.state !== PairState.InProgress) {
        pair.state = PairState.Waiting;
        this.list.triggered.push(pair);
      }
      if (this.state === 'new') this.setState('checking');
      this.schedulePacer();
    }
  }

  private respondError(m: StunMessage, from: Endpoint, base: IceBase, key: Buffer): void {
    base.send(encodeStun({
      method: StunMethod.Binding, cls: StunClass.ErrorResponse, transactionId: m.transactionId,
      attributes: [{ type: Attr.ErrorCode, value: encodeErrorCode(487, 'Role Conflict') }],
    }, { integrity: key, fingerprint: true }), from);
  }

  /** Send media on the selected pair (or the best valid one before nomination). */
  send(data: Buffer): boolean {
    if (this.state === 'failed' || this.state === 'closed') return false;
    // RFC 7675 §5.1: the pre-restart pair only while its consent (last granted before the restart) holds.
    const previous = this.previous && this.o.clock.now() - this.lastConsent <= (this.o.consentTimeout ?? 30_000) ? this.previous : undefined;
    const pair = this.selected ?? this.list.bestValid() ?? previous;
    if (!pair) return false;
    this.bases[pair.baseId]!.base.send(data, pair.remote);
    return true;
  }

  /**
   * §9 ICE restart: new local credentials; checks start again once the peer's new ufrag/pwd and
   * candidates arrive (setRemote + start). Media keeps flowing on the old pair meanwhile.
   * `shared`: the new credentials the stream's other component took (§9: one pair per stream).
   */
  restart(shared?: { ufrag: string; pwd: string }): void {
    this.newCredentials(shared);
    this.remote = undefined;
    this.remoteCandidates = [];
    this.list = new Checklist();
    this.o.clock.clearTimeout(this.nominationTimer);
    this.nominationTimer = undefined;
    this.nominating = undefined;
    for (const b of this.bases) b.client.close();
    for (let i = 0; i < this.bases.length; i++) {
      const base = this.bases[i]!.base;
      this.bases[i] = { base, client: this.checkClient(base) };
    }
    const keep = this.selected;
    this.previous = keep ?? this.previous;
    this.selected = undefined;
    this.o.clock.clearTimeout(this.consentTimer);
    if (keep) this.list.add(keep.local, keep.remote, keep.baseId, this.controlling);
    this.state = 'new';
  }

  stats(): IceStats {
    return {
      state: this.state,
      role: this.controlling ? 'controlling' : 'controlled',
      localCandidates: this.localCandidates,
      remoteCandidates: [...this.remoteCandidates],
      selectedPair: this.selected && { local: this.selected.local, remote: this.selected.remote },
      checksSent: this.checksSent,
      consentChecks: this.consentChecks,
    };
  }

  close(): void {
    this.setState('closed');
    this.o.clock.clearTimeout(this.pacer);
    this.o.clock.clearTimeout(this.nominationTimer);
    this.o.clock.clearTimeout(this.consentTimer);
    for (const b of this.bases) b.client.close();
  }

  private setState(state: IceState): void {
    if (this.state === state) return;
    this.state = state;
    this.onStateChange?.(state);
  }
}

export { pairKey };

function toTransport(e: Endpoint): TransportAddress {
  return { family: e.address.includes(':') ? 6 : 4, address: e.address, port: e.port };
}
