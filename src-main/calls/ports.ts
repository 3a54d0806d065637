/**
 * What calls/ needs from the layers below it, as narrow interfaces owned here: the concrete
 * MediaEngine and UserAgent satisfy them, and tests hand in small fakes without casts.
 */
import type { SipUri } from '../sip/message/index.js';
import type { InviteClientSession } from '../sip/ua/session/invite-client-session.js';
import type { InviteServerSession } from '../sip/ua/session/invite-server-session.js';
import type { InviteSession, SessionMedia } from '../sip/ua/session/invite-session.js';
import type { LocalTone, StreamConfig, StreamStats } from '../media/engine/protocol.js';
import type { TransferScope } from './transfer-policy.js';

/** A call's session: `direction` tells which side of the INVITE we are ('incoming': we answer it). */
export type CallSession = InviteServerSession | InviteClientSession;

/** One call's media stream in the engine, as CallMedia drives it. */
export interface StreamEngine {
  /** Binds the stream's RTP socket; resolves with its port. */
  allocate(stream: string, address: string, port?: number): Promise<number>;
  start(stream: string, config: StreamConfig): Promise<void>;
  update(stream: string, config: StreamConfig): Promise<void>;
  stop(stream: string): Promise<StreamStats | undefined>;
  tone(stream: string, tone: LocalTone): void;
  sendDtmf(stream: string, digits: string): void;
}

/** The engine as the call manager drives it: streams, the ringer, mute, the conference mix. */
export interface CallEngine extends StreamEngine {
  ring(on: boolean): void;
  mute(muted: boolean): void;
  conference(streams: string[]): void;
  on(event: 'dtmf', listener: (stream: string, digit: string) => void): unknown;
  on(event: 'stats', listener: (stream: string, stats: StreamStats) => void): unknown;
}

/** The user agent as the call manager uses it: incoming INVITEs, new calls, per-account facts. */
export interface CallSignalling {
  /** `replaces`: the session an incoming call replaces (RFC 3891). */
  on(event: 'incoming', listener: (session: InviteServerSession, account: string | undefined, replaces?: InviteSession) => void): unknown;
  call(target: SipUri, media: SessionMedia, account?: string, headers?: Array<[string, string]>): InviteClientSession;
  transferScope(account?: string): TransferScope;
  /** The account's address as a NAT shows it, once learnt. */
  publicAddress(account?: string): string | undefined;
  localAddress(account?: string): string;
}

/** Randomness a call's media needs: the SDP session id (RFC 4566 §5.2) and SDES keys (RFC 4568 §6.1). */
export interface MediaRandom {
  /** Uniform integer in [0, max). */
  int(max: number): number;
  bytes(length: number): Uint8Array;
}
