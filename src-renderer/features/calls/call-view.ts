/** How a call snapshot reads on screen: status, peer label, end reason, quality. Pure. */
import type { CallQuality, CallSnapshot } from '../../../src-main/contract/calls.js';

/** Catalogue keys under `call.status` (English values are the stable status texts). */
export type StatusKey =
  | 'calling' | 'ringing' | 'connected' | 'onHold' | 'heldByRemote' | 'transferring' | 'conference' | 'ended';

export function statusKey(call: CallSnapshot): StatusKey {
  switch (call.state) {
    case 'calling': return call.progress === 'ringing' || call.progress === 'early' ? 'ringing' : 'calling';
    case 'incoming':
    case 'early': return 'ringing';
    case 'active': return 'connected';
    case 'held': return 'onHold';
    case 'remote-held': return 'heldByRemote';
    case 'transferring': return 'transferring';
    case 'conference': return 'conference';
    case 'ended': return 'ended';
  }
}

/** The user part of a SIP/tel URI ("1002" for sip:1002@pbx), else the address without scheme. */
export function uriUser(uri: string): string {
  const m = /^(?:sips?|tel):([^@;?>]*)(?:@([^;?>]*))?/i.exec(uri.trim());
  if (!m) return uri;
  const user = decodeURIComponent(m[1] ?? '');
  return user !== '' ? user : (m[2] ?? uri);
}

/** "contact name, display name or number": what the call's region is named after. */
export function peerLabel(call: Pick<CallSnapshot, 'peer' | 'contact'>): string {
  const name = call.contact?.name.trim() || call.peer.displayName?.trim();
  return name ? name : uriUser(call.peer.uri);
}

/** The number or address shown under a name (nothing when the label already is the number). */
export function peerAddress(call: Pick<CallSnapshot, 'peer' | 'contact'>): string | undefined {
  const address = uriUser(call.peer.uri);
  return peerLabel(call) !== address ? address : undefined;
}

export const isLive = (call: CallSnapshot): boolean => call.state !== 'ended';
export const isRinging = (call: CallSnapshot): boolean => call.state === 'incoming';
/** The call Esc hangs up: the one talking or being placed (never a ringing incoming call). */
export const isCurrent = (call: CallSnapshot): boolean =>
  call.state === 'active' || call.state === 'calling' || call.state === 'early' ||
  call.state === 'remote-held' || call.state === 'conference';

export interface EndReason {
  /** Catalogue key under `call.end`. */
  key: 'busy' | 'notFound' | 'declined' | 'rejected' | 'noAnswer' | 'network' | 'connectionLost'
    | 'authFailed' | 'media' | 'missed' | 'redirected' | 'failed';
  status: number | undefined;
  reason: string | undefined;
}

const plain = new Set<EndReason['key']>(['busy', 'declined', 'noAnswer', 'missed', 'redirected', 'network', 'connectionLost']);

/** Why a call ended, when it is worth telling (not for a normal hang-up). */
export function endReason(call: CallSnapshot): EndReason | undefined {
  if (call.state !== 'ended') return undefined;
  // The SIP status is shown where it helps (e.g. "Not found (404)"), not after a plain "Busy".
  const of = (key: EndReason['key']): EndReason =>
    ({ key, status: plain.has(key) ? undefined : call.status, reason: call.reason });
  switch (call.cause) {
    case undefined:
    case 'local-hangup':
    case 'remote-hangup': return undefined;
    case 'cancelled': return call.direction === 'incoming' && call.answeredAt === undefined ? of('missed') : undefined;
    case 'busy': return of('busy');
    case 'not-found': return { key: 'notFound', status: call.status ?? 404, reason: call.reason };
    case 'declined': return of('declined');
    case 'rejected': return of('rejected');
    case 'timeout': return of('noAnswer');
    case 'transport-error': return of('network');
    case 'no-ack': return of('connectionLost');
    case 'auth-failed': return of('authFailed');
    case 'unacceptable-media': return of('media');
    case 'redirected': return of('redirected');
    default: return of('failed');
  }
}

/** How long an ended call stays on screen: long enough to read why it failed. */
export function lingerMs(call: CallSnapshot): number {
  return endReason(call) ? 6000 : 1500;
}

export type QualityLevel = 'good' | 'fair' | 'poor';

/** Thresholds after ITU-T G.107 MOS bands and common VoIP loss/jitter budgets. */
export function qualityLevel(q: CallQuality): QualityLevel {
  if (q.mos >= 4 && q.lossPercent < 1 && q.jitterMs < 30) return 'good';
  if (q.mos >= 3.6 && q.lossPercent < 5 && q.jitterMs < 60) return 'fair';
  return 'poor';
}

/** m:ss, or h:mm:ss past an hour. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A dBFS level (−100 = silence) as 0..1 on a 60 dB scale, for a <meter>. */
export function levelFraction(db: number): number {
  if (!Number.isFinite(db)) return 0;
  return Math.min(1, Math.max(0, (db + 60) / 60));
}
