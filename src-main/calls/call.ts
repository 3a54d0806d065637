/**
 * One call on a line: the SIP session, its media, and the state a person sees.
 *
 *   outgoing: calling ─1xx─► early ─2xx─► active          incoming: incoming ─answer─► active
 *   active ─hold─► held ─resume─► active                    active ─peer holds─► remote-held ─► active
 *   active | held ─transfer─► transferring ─success─► ended (transferred); failure ─► back
 *   active ─merge─► conference ─split─► active
 *   any ─────────────────────────────────────────────────► ended (cause)
 */
import { EventEmitter } from 'node:events';
import { formatUri } from '../sip/message/index.js';
import type { SessionState, EndCause } from '../sip/ua/session/invite-session.js';
import type { StreamStats } from '../media/engine/protocol.js';
import type { CallIceStats, CallOutcome, CallSnapshot, CallState, HistoryRecord } from '../contract/calls.js';
import type { CallMedia } from './call-media.js';
import type { CallSession } from './ports.js';

export interface CallEvents {
  change: [];
  ended: [record: HistoryRecord];
}

export class Call extends EventEmitter<CallEvents> {
  onHold = false;
  transferring = false;
  inConference = false;
  muted = false;
  answeredAt: number | undefined;
  endedAt: number | undefined;
  endCause: EndCause | undefined;
  stats: StreamStats | undefined;
  /** ICE/TURN figures as the call ended (the path is closed with the media). */
  iceStats: CallIceStats | undefined;
  /** Set when the media engine died under this call: it ends with cause `media-failure`. */
  mediaFailed = false;
  /** Answered by the phone itself at the PBX's request (auto-answer.ts). */
  autoAnswered = false;
  /** The held call this one consults about (attended transfer). */
  consultFor: string | undefined;
  /** Set when the call ended because we transferred it, or it was answered on another device. */
  outcomeOverride: CallOutcome | undefined;
  readonly startedAt: number;

  constructor(
    readonly session: CallSession,
    readonly media: CallMedia,
    readonly account: string | undefined,
    private readonly now: () => number,
    /** Caller identification: the contact a peer URI belongs to. */
    private readonly identify?: (uri: string, account: string | undefined) => { id: number; name: string } | undefined,
  ) {
    super();
    this.startedAt = now();
    media.onRemoteDirection = () => this.emit('change');
    session.on('state', (state) => this.onSessionState(state));
    session.on('ended', (cause) => void this.onEnded(cause));
  }

  get id(): string {
    return this.session.id;
  }

  get direction(): 'incoming' | 'outgoing' {
    return this.session.direction;
  }

  /** The SIP session's own state (what the CLI's call events report). */
  get signalling(): SessionState {
    return this.session.state;
  }

  get state(): CallState {
    const s = this.session.state;
    if (s === 'ended') return 'ended';
    if (s === 'calling') return 'calling';
    if (s === 'ringing' || s === 'early') return this.direction === 'incoming' ? 'incoming' : 'early';
    if (this.transferring) return 'transferring';
    if (this.inConference) return 'conference';
    if (this.onHold) return 'held';
    if (this.media.remoteHold) return 'remote-held';
    return 'active';
  }

  private onSessionState(state: SessionState): void {
    if (state === 'confirmed' && this.answeredAt === undefined) this.answeredAt = this.now();
    if (state !== 'ended') this.emit('change');
  }

  private async onEnded(cause: EndCause): Promise<void> {
    this.endCause = cause;
    this.endedAt = this.now();
    this.iceStats = this.media.pathStats();
    this.stats = await this.media.stop();
    this.emit('ended', this.historyRecord());
  }

  snapshot(): CallSnapshot {
    const peer = this.session.remoteIdentity;
    const peerUri = formatUri(peer.uri);
    const s = this.stats;
    const ice = this.iceStats ?? this.media.pathStats();
    return {
      id: this.id,
      account: this.account,
      direction: this.direction,
      state: this.state,
      progress: this.signalling,
      peer: { uri: peerUri, displayName: peer.displayName },
      contact: this.identify?.(peerUri, this.account),
      startedAt: this.startedAt,
      answeredAt: this.answeredAt,
      endedAt: this.endedAt,
      codec: this.media.negotiated?.codec.name,
      muted: this.muted,
      onHold: this.onHold,
      remoteHold: this.media.remoteHold,
      quality: s ? { codec: s.codec, lossPercent: s.lossPercent, jitterMs: s.jitterMs, rttMs: s.rttMs, mos: s.mos, ...(s.echoRemoving !== undefined ? { echoRemoving: s.echoRemoving } : {}) } : undefined,
      cause: this.mediaFailed ? 'media-failure' : this.endCause?.cause,
      status: this.endCause?.status,
      reason: this.mediaFailed ? 'the media engine stopped' : this.endCause?.reason,
      autoAnswered: this.autoAnswered,
      consultFor: this.consultFor,
      ...(ice ? { ice } : {}),
    };
  }

  /** The media engine died: hang up (BYE, CANCEL or decline) with cause media-failure. */
  failMedia(): void {
    this.mediaFailed = true;
    this.session.hangup();
  }

  /** History outcome from how the call ended (missed = an incoming call nobody answered). */
  private outcome(): CallOutcome {
    if (this.outcomeOverride) return this.outcomeOverride;
    const cause = this.endCause?.cause;
    if (this.answeredAt !== undefined) return 'answered';
    if (this.mediaFailed) return 'failed';
    if (cause === 'answered-elsewhere') return 'answered-elsewhere';
    // An offer we refused (488) never rang: the user missed nothing.
    if (cause === 'unacceptable-media') return 'failed';
    if (this.direction === 'incoming') {
      if (cause === 'declined' || cause === 'busy' || cause === 'rejected') return 'rejected';
      return 'missed';
    }
    if (cause === 'busy') return 'busy';
    if (cause === 'cancelled' || cause === 'local-hangup') return 'cancelled';
    return 'failed';
  }

  historyRecord(): HistoryRecord {
    const peer = this.session.remoteIdentity;
    return {
      callId: this.id,
      account: this.account,
      peer: { uri: formatUri(peer.uri), displayName: peer.displayName },
      direction: this.direction,
      startedAt: this.startedAt,
      answeredAt: this.answeredAt,
      endedAt: this.endedAt ?? this.now(),
      outcome: this.outcome(),
      status: this.endCause?.status,
    };
  }
}
