/**
 * Presence, busy lamps, voicemail waiting and instant messages as hosts and renderers see them
 * (issue 11). No Node imports: the renderer shares this module.
 */
import { z } from 'zod';
import { accountKeySchema } from './settings.js';

const sipAddress = z.string().trim().max(512).regex(/^sips?:[^\s@]+@[^\s@]+$/i, 'expected a SIP address like sip:1002@pbx.example.com');

/** What a user can choose for themselves. */
export const ownStatusSchema = z.enum(['available', 'away', 'busy', 'dnd']);
export type OwnStatus = z.output<typeof ownStatusSchema>;
/** What others show: the four above, or offline (closed, or nothing published). */
export type PresenceStatus = OwnStatus | 'offline';
/** A busy lamp (RFC 4235 dialog state): idle, ringing (can be picked up), busy, or not known. */
export type LampState = 'idle' | 'ringing' | 'busy' | 'unknown';

export const presenceSubscribeSchema = z.strictObject({
  /** The colleague to watch: presence and dialog state (lamp) are both subscribed. */
  uri: sipAddress,
  /** The account to subscribe from (default: the default account). */
  account: accountKeySchema.optional(),
});
export const presenceUnsubscribeSchema = z.strictObject({ uri: sipAddress });
export const setStatusSchema = z.strictObject({
  status: ownStatusSchema,
  note: z.string().trim().max(256).optional(),
});
export type SetStatusRequest = z.input<typeof setStatusSchema>;

export const messageSendSchema = z.strictObject({
  uri: sipAddress,
  text: z.string().min(1).max(16_384),
  account: accountKeySchema.optional(),
});
export type MessageSendRequest = z.input<typeof messageSendSchema>;

export const messageListSchema = z.strictObject({
  /** One conversation (the peer's address); absent: every message. */
  peer: z.string().trim().max(512).optional(),
  /** Matches the text or the peer (case-insensitive). */
  search: z.string().max(128).default(''),
  /** Paging: messages with a smaller id than this. */
  before: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(500).default(100),
});
export type MessageListQuery = z.input<typeof messageListSchema>;
export const messagesMarkReadSchema = z.strictObject({ peer: z.string().trim().min(1).max(512) });

export const voicemailCallSchema = z.strictObject({ account: accountKeySchema.optional() });
export const pickupSchema = z.strictObject({
  /** The monitored colleague whose ringing call we take. */
  uri: sipAddress,
  account: accountKeySchema.optional(),
});

export interface PeerPresence {
  status: PresenceStatus;
  note: string | undefined;
  /** RFC 4480 on-the-phone. */
  onThePhone: boolean;
}

/** One monitored colleague (a BLF panel row). */
export interface MonitoredEntry {
  uri: string;
  lamp: LampState;
  presence: PeerPresence | undefined;
  /** How a ringing call there can be taken: Replaces (from dialog-info), the account's feature code, or not at all. */
  pickup: 'replaces' | 'feature-code' | 'none';
}

export interface MwiState {
  account: string;
  waiting: boolean;
  new: number;
  old: number;
  /** The number or address dialled for voicemail, when set for the account. */
  voicemail: string | undefined;
}

export interface OwnPresence {
  status: OwnStatus;
  note: string | undefined;
  /** Set by the phone while a call is up (published as RFC 4480 on-the-phone). */
  onThePhone: boolean;
}

export interface PresenceSnapshot {
  own: OwnPresence;
  monitored: MonitoredEntry[];
  mwi: MwiState[];
}

export type MessageStatus = 'received' | 'sending' | 'delivered' | 'failed';

export interface ChatMessage {
  id: number;
  account: string | undefined;
  /** The other party's address (sip:user@host[:port]): the conversation key. */
  peer: string;
  peerName: string | undefined;
  direction: 'in' | 'out';
  text: string;
  /** Unix ms. */
  at: number;
  status: MessageStatus;
  /** SIP status of the final response (sent messages). */
  code: number | undefined;
  read: boolean;
}

export interface MessagePage {
  /** Newest first. */
  messages: ChatMessage[];
  /** Pass as `before` for the next page; absent on the last page. */
  next: number | undefined;
}

export interface Conversation {
  peer: string;
  peerName: string | undefined;
  last: ChatMessage;
  unread: number;
}

/** Events on the phone's stream (additive to PhoneEvent). */
export type PresenceEvent =
  | { type: 'blf'; uri: string; state: LampState }
  | { type: 'presence'; uri: string; presence: PeerPresence }
  | { type: 'own-presence'; presence: OwnPresence }
  | { type: 'mwi'; mwi: MwiState }
  | { type: 'message'; message: ChatMessage }
  | { type: 'message-status'; id: number; status: 'delivered' | 'failed'; code: number };
