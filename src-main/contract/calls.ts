/**
 * The call-control contract every host shares (Electron IPC, the web host's WebSocket, the CLI):
 * commands in, events and snapshots out. Zod schemas validate whatever crosses a boundary; this
 * module has no Node or Electron imports so the renderer can use it too.
 */
import { z } from 'zod';

const callId = z.string().min(1).max(64);
const sipUri = z.string().max(512).regex(/^(sips?|tel):\S+$/i, 'expected a sip:, sips: or tel: URI');

/** What a user (or script) can ask the call manager to do. */
export const commandSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('dial'), uri: sipUri, account: z.string().min(1).optional(), consultFor: callId.optional() }),
  z.strictObject({ type: z.literal('answer'), callId: callId.optional() }),
  z.strictObject({ type: z.literal('reject'), callId: callId.optional(), status: z.union([z.literal(486), z.literal(603), z.literal(480)]).optional() }),
  z.strictObject({ type: z.literal('hangup'), callId: callId.optional() }),
  z.strictObject({ type: z.literal('hold'), callId: callId.optional() }),
  z.strictObject({ type: z.literal('resume'), callId: callId.optional() }),
  z.strictObject({ type: z.literal('mute') }),
  z.strictObject({ type: z.literal('unmute') }),
  z.strictObject({ type: z.literal('dtmf'), callId: callId.optional(), digits: z.string().regex(/^[0-9*#A-Da-d]{1,64}$/, 'expected DTMF digits 0-9 * # A-D') }),
  z.strictObject({ type: z.literal('transfer'), callId: callId.optional(), uri: sipUri }),
  z.strictObject({ type: z.literal('attended-transfer'), callId, targetCallId: callId }),
  z.strictObject({ type: z.literal('conference'), callIds: z.tuple([callId, callId]) }),
  z.strictObject({ type: z.literal('split'), callId }),
  z.strictObject({ type: z.literal('swap'), callId }),
  z.strictObject({ type: z.literal('dnd'), on: z.boolean() }),
  z.strictObject({ type: z.literal('redial') }),
  /** Answer a `transfer-request` the account's policy left to the host (`ask`). */
  z.strictObject({ type: z.literal('accept-transfer'), callId: callId.optional() }),
  z.strictObject({ type: z.literal('reject-transfer'), callId: callId.optional() }),
]);

export type Command = z.infer<typeof commandSchema>;

/**
 * A call's life (documented on Call in src-main/calls/call.ts):
 * calling|incoming → early → active ⇄ held / remote-held → transferring → ended
 */
export type CallState =
  | 'calling' | 'incoming' | 'early' | 'active' | 'held' | 'remote-held' | 'transferring' | 'conference' | 'ended';

export interface CallQuality {
  codec: string;
  lossPercent: number;
  jitterMs: number;
  rttMs: number | undefined;
  mos: number;
  /** Echo of what we play is being removed from the microphone (echo canceller on and working). */
  echoRemoving?: boolean;
}

/** One ICE candidate (RFC 8445 §5.1) as call details show it. */
export interface IceCandidateInfo {
  type: 'host' | 'srflx' | 'prflx' | 'relay';
  address: string;
  port: number;
  priority: number;
  foundation: string;
  relatedAddress?: string | undefined;
  relatedPort?: number | undefined;
}

/** How a call's media crosses NATs (issue 13): ICE's candidates and selected pair, TURN counters. */
export interface CallIceStats {
  /** `ice`: both sides do ICE; `fixed-host`/`fixed-relay`: the peer's c=/m= from our host socket or the TURN relay. */
  mode: 'ice' | 'fixed-host' | 'fixed-relay' | 'pending';
  state: string;
  role: 'controlling' | 'controlled';
  localCandidates: IceCandidateInfo[];
  remoteCandidates: IceCandidateInfo[];
  selectedPair?: { local: IceCandidateInfo; remote: IceCandidateInfo } | undefined;
  checksSent: number;
  consentChecks: number;
  /** Fixed modes: where media goes. */
  remote?: { address: string; port: number };
  turn?: { state: string; transport: string; relayed?: string; refreshes: number; permissions: number; channels: number; packetsSent: number; packetsReceived: number } | undefined;
}

export interface CallSnapshot {
  id: string;
  account: string | undefined;
  direction: 'incoming' | 'outgoing';
  state: CallState;
  /** The SIP session's own progress (what the CLI's `call` events report). */
  progress: 'calling' | 'ringing' | 'early' | 'confirmed' | 'ended';
  /** Who is on the other end. */
  peer: { uri: string; displayName: string | undefined };
  /** The address-book contact the peer's number or SIP address matched (caller identification). */
  contact?: { id: number; name: string } | undefined;
  /** This call consults the target of an attended transfer of that (held) call. */
  consultFor?: string | undefined;
  /** Unix ms. */
  startedAt: number;
  answeredAt: number | undefined;
  endedAt: number | undefined;
  codec: string | undefined;
  muted: boolean;
  onHold: boolean;
  remoteHold: boolean;
  quality: CallQuality | undefined;
  /** When ended: why, and the SIP status that ended it. */
  cause: string | undefined;
  status: number | undefined;
  /** Reason phrase of the SIP response that ended it. */
  reason: string | undefined;
  /** Answered by the phone itself because the PBX asked (Call-Info answer-after, Answer-Mode, intercom). */
  autoAnswered?: boolean;
  /** With ICE or TURN: candidates, the selected pair, TURN counters (the app's call details). */
  ice?: CallIceStats;
}

export type CallOutcome =
  | 'answered' | 'missed' | 'rejected' | 'busy' | 'failed' | 'transferred' | 'answered-elsewhere' | 'cancelled';

/** One call-history entry, written when a call ends. */
export interface HistoryRecord {
  callId: string;
  account: string | undefined;
  peer: { uri: string; displayName: string | undefined };
  direction: 'incoming' | 'outgoing';
  startedAt: number;
  answeredAt: number | undefined;
  endedAt: number;
  outcome: CallOutcome;
  /** SIP status behind a failure. */
  status: number | undefined;
}

/** A call's media figures (RFC 3550 loss and jitter, RTCP round trip, E-model MOS). */
export interface CallStats {
  codec: string;
  packetsSent: number;
  packetsReceived: number;
  /** Cumulative loss as seen by us (RFC 3550 A.3), percent. */
  lossPercent: number;
  /** Interarrival jitter (RFC 3550 A.8), ms. */
  jitterMs: number;
  /** From RTCP SR/RR (RFC 3550 §6.4.1), ms; undefined until measured. */
  rttMs: number | undefined;
  /** E-model estimate (ITU-T G.107). */
  mos: number;
  concealedMs: number;
  lateLossPercent: number;
  /** The echo canceller is removing echo of what we play (≥ 6 dB); absent when it is off. */
  echoRemoving?: boolean;
  /** What the canceller takes off the microphone while the far end plays, dB (smoothed). */
  echoRemovedDb?: number;
  /** Echo stays high: 10 s of far-end speech heard loudly by the microphone with < 10 dB removed (issue 17). */
  echoStaysHigh?: boolean;
  /** With ICE or TURN (issue 13). */
  ice?: CallIceStats;
}

export type CallEvent =
  | { type: 'call'; call: CallSnapshot }
  | { type: 'transfer'; callId: string; status: 'trying' | 'success' | 'failed'; sipfrag: string | undefined }
  | { type: 'dtmf'; callId: string; digit: string; via: 'rfc4733' | 'info' }
  /**
   * The far end of a call asked us to call someone else (RFC 3515 REFER). `action` is what the
   * account's transfer policy did: `follow` (we call the target), `decline` (603), or `ask` (the
   * host answers with `accept-transfer` / `reject-transfer`, else it is declined after `timeoutS`).
   */
  | {
    type: 'transfer-request'; callId: string; target: string; referredBy: string | undefined;
    policy: 'domain' | 'ask' | 'any'; action: 'follow' | 'decline' | 'ask'; reason: string | undefined; timeoutS: number | undefined;
  }
  | { type: 'history'; record: HistoryRecord }
  | { type: 'notice'; message: string };

/** Results as Signal Desktop does them: never a thrown error across a boundary. */
export type Result<T = undefined> = { ok: true; value: T } | { ok: false; error: string };

/** Validate an untrusted command; the error names the field that is wrong. */
export function parseCommand(input: unknown): Result<Command> {
  const parsed = commandSchema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length > 0 ? issue.path.join('.') : 'command';
  return { ok: false, error: `${where}: ${issue.message}` };
}
