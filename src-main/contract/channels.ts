/**
 * The one channel map a renderer may use (Electron IPC and the web host's WebSocket alike): each
 * channel has a zod schema for its request and its reply. The main side validates every request
 * and answers a `Result`; nothing throws across the boundary. No Node or Electron imports here.
 */
import { z } from 'zod';
import { commandSchema, type CallEvent, type CallSnapshot, type CallStats, type Result } from './calls.js';
import {
  accountInputSchema, accountKeySchema, audioTestSchema, settingsPatchSchema,
  type AccountView, type AppInfo, type AudioDevice, type AudioTestKind, type RegistrationState, type Settings,
} from './settings.js';
import {
  contactImportSchema, contactInputSchema, contactSearchSchema, historyQuerySchema,
  type Contact, type ContactImportReport, type ContactPage, type HistoryEntry, type HistoryPage,
} from './directory.js';
import {
  messageListSchema, messageSendSchema, messagesMarkReadSchema, pickupSchema, presenceSubscribeSchema, presenceUnsubscribeSchema,
  setStatusSchema, voicemailCallSchema, type ChatMessage, type Conversation, type MessagePage, type OwnPresence, type PresenceEvent,
  type PresenceSnapshot,
} from './presence.js';

const none = z.strictObject({});

/** Channel name → request schema. Replies are typed by `ChannelReplies` (main produces them). */
export const channelRequests = {
  'app.info': none,
  /** The tel:/sip:/sips:/callto: link the OS opened the app with, once (null: none; only the Electron host has one). The renderer asks before dialling it. */
  'links.take': none,
  'calls.snapshot': none,
  'calls.command': commandSchema,
  'accounts.list': none,
  'accounts.save': accountInputSchema,
  'accounts.remove': z.strictObject({ key: accountKeySchema }),
  'settings.get': none,
  'settings.set': settingsPatchSchema,
  'devices.list': none,
  /** Start or stop an audio check (Settings › Audio); refused during a call; an `audio-test` event says when it ends. */
  'audio.test': audioTestSchema,
  'history.list': historyQuerySchema,
  'history.remove': z.strictObject({ id: z.number().int().positive() }),
  'history.clear': none,
  /** The user looked at the history: missed calls are no longer new (the badge clears). */
  'history.markSeen': none,
  /** Missed calls not yet seen (the badge), read when a renderer (re)connects. */
  'history.missedCount': none,
  'contacts.search': contactSearchSchema,
  'contacts.get': z.strictObject({ id: z.number().int().positive() }),
  'contacts.save': contactInputSchema,
  'contacts.remove': z.strictObject({ id: z.number().int().positive() }),
  'contacts.import': contactImportSchema,
  /** Every contact as one vCard 4.0 file. */
  'contacts.export': none,
  // ---- Presence, busy lamps, voicemail, messages (contract/presence.ts) ----
  'presence.snapshot': none,
  /** Watch a colleague: presence and busy lamp (kept across restarts). */
  'presence.subscribe': presenceSubscribeSchema,
  'presence.unsubscribe': presenceUnsubscribeSchema,
  /** My status (published; dnd also turns on do not disturb). */
  'presence.setStatus': setStatusSchema,
  /** Send a text; the reply is the stored message (status sending), a `message-status` event follows. */
  'messages.send': messageSendSchema,
  'messages.list': messageListSchema,
  /** One row per peer, newest first, with unread counts. */
  'messages.conversations': none,
  'messages.markRead': messagesMarkReadSchema,
  /** Dial the account's voicemail number; the reply is the call id. */
  'voicemail.call': voicemailCallSchema,
  /** Take the call ringing at a monitored colleague; the reply is the call id. */
  'calls.pickup': pickupSchema,
} as const;

/** The channels the presence service answers (core/presence-handlers.ts). */
export type PresenceChannel =
  | 'presence.snapshot' | 'presence.subscribe' | 'presence.unsubscribe' | 'presence.setStatus' | 'messages.send' | 'messages.list'
  | 'messages.conversations' | 'messages.markRead' | 'voicemail.call' | 'calls.pickup';

export type Channel = keyof typeof channelRequests;
export const channels = Object.keys(channelRequests) as Channel[];

export interface CallsState {
  calls: CallSnapshot[];
  muted: boolean;
  dnd: false | 486 | 603;
}

export interface ChannelReplies {
  'app.info': AppInfo;
  /** What the dialpad gets: a number or a sip:/sips: URI. */
  'links.take': string | null;
  'calls.snapshot': CallsState;
  /** A dial returns the new call's id; other commands return nothing useful. */
  'calls.command': unknown;
  'accounts.list': AccountView[];
  'accounts.save': AccountView;
  'accounts.remove': undefined;
  'settings.get': Settings;
  'settings.set': Settings;
  'devices.list': AudioDevice[];
  'audio.test': null;
  'history.list': HistoryPage;
  'history.remove': undefined;
  'history.clear': undefined;
  'history.markSeen': undefined;
  'history.missedCount': number;
  'contacts.search': ContactPage;
  'contacts.get': Contact;
  'contacts.save': Contact;
  'contacts.remove': undefined;
  'contacts.import': ContactImportReport;
  'contacts.export': string;
  'presence.snapshot': PresenceSnapshot;
  'presence.subscribe': undefined;
  'presence.unsubscribe': undefined;
  'presence.setStatus': OwnPresence;
  'messages.send': ChatMessage;
  'messages.list': MessagePage;
  'messages.conversations': Conversation[];
  'messages.markRead': undefined;
  'voicemail.call': string;
  'calls.pickup': string;
}

export type ChannelRequest<C extends Channel> = z.input<(typeof channelRequests)[C]>;
export type ParsedRequest<C extends Channel> = z.output<(typeof channelRequests)[C]>;
export type ChannelReply<C extends Channel> = Result<ChannelReplies[C]>;

/** Everything the core tells a renderer, on one stream. */
export type PhoneEvent =
  | CallEvent
  | { type: 'calls'; state: CallsState }
  | { type: 'accounts'; accounts: AccountView[] }
  | { type: 'settings'; settings: Settings }
  | { type: 'registration'; account: string; state: RegistrationState; reason: string | undefined; status: number | undefined; expires: number | undefined }
  /**
   * The public mapping of the SIP UDP port (issue 13): from the STUN server at start (`source:
   * 'stun-server'`, `--stun` or the account's nat.stun) or from a STUN keep-alive on the flow to the
   * registrar (`'keep-alive'`, the first answer and each change). Diagnostic only: the Contact
   * follows the registrar's Via (RFC 3581). `reason` instead of an address when STUN failed.
   */
  | { type: 'sip-mapping'; source: 'stun-server' | 'keep-alive'; account?: string; server?: string; address?: string; port?: number; previous?: string; reason?: string }
  /** Missed calls not yet seen (the navigation badge); sent when it changes and on connect. */
  | { type: 'missed'; count: number }
  /** A call ended and was stored. */
  | { type: 'history-added'; entry: HistoryEntry }
  | { type: 'contacts-changed' }
  | { type: 'import-progress'; done: number; total: number }
  /** Final figures of an answered call, when it ends. */
  | { type: 'stats'; callId: string; stats: CallStats }
  /**
   * Echo stays high while the microphone and the speaker are separate devices (issue 17): a
   * headset, or one device for both, would stop it. Once per opening of the devices.
   */
  | { type: 'echo-advice'; input: string; output: string; echoRemovedDb: number }
  /** Microphone and speaker levels while a call has audio, dBFS (−100 = silence). */
  | { type: 'levels'; inputDb: number; outputDb: number }
  /** An audio check started or ended (by itself after a few seconds, on request, or for a call). */
  | { type: 'audio-test'; test: AudioTestKind; running: boolean }
  /** Electron host: a link is waiting (`links.take`). */
  | { type: 'open-link' }
  /** Electron host: bring a view forward (a missed-call notification was clicked). */
  /** A notification was clicked (Electron host): History, or Messages with that conversation open. */
  | { type: 'show-view'; view: 'history' | 'messages'; peer?: string }
  /** Busy lamps, presence, voicemail waiting, messages (contract/presence.ts). */
  | PresenceEvent;

/** A handler per channel; hosts route validated requests here. */
export type ChannelHandlers = { [C in Channel]: (request: ParsedRequest<C>) => Promise<ChannelReply<C>> };

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(channelRequests, name);
}

/** Validate an untrusted (channel, request) pair; the error names the channel and field. */
export function parseRequest(channel: unknown, request: unknown): Result<{ channel: Channel; request: unknown }> {
  if (!isChannel(channel)) return { ok: false, error: 'unknown channel' };
  const parsed = channelRequests[channel].safeParse(request ?? {});
  if (parsed.success) return { ok: true, value: { channel, request: parsed.data } };
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length > 0 ? issue.path.join('.') : 'request';
  return { ok: false, error: `${channel}: ${where}: ${issue.message}` };
}

/** Route one untrusted request to its handler; never throws. */
export async function dispatch(handlers: ChannelHandlers, channel: unknown, request: unknown): Promise<Result<unknown>> {
  const parsed = parseRequest(channel, request);
  if (!parsed.ok) return parsed;
  try {
    const handler = handlers[parsed.value.channel] as (r: unknown) => Promise<Result<unknown>>;
    return await handler(parsed.value.request);
  } catch (e) {
    return { ok: false, error: `${parsed.value.channel}: ${(e as Error).message}` };
  }
}

/**
 * Channels whose work grows with the user's data: a client waits this long for their reply [ms]
 * instead of its default (a 100,000-row import on a busy machine takes minutes; progress events
 * show it is working). The host bounds the work itself (`importLimits`).
 */
export const slowChannelTimeoutMs: Partial<Record<Channel, number>> = { 'contacts.import': 10 * 60_000 };

/** The client side both transports implement (Electron preload, WebSocket to the web host). */
export interface PhoneTransport {
  invoke<C extends Channel>(channel: C, request: ChannelRequest<C>): Promise<ChannelReply<C>>;
  onEvent(listener: (event: PhoneEvent) => void): () => void;
}

/** Wire frames of the web host's WebSocket (the Electron preload uses IPC for the same pairs). */
export const wireRequestSchema = z.strictObject({
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  channel: z.string().max(64),
  request: z.unknown(),
});
export type WireRequest = z.infer<typeof wireRequestSchema>;
export type WireFrame =
  | { kind: 'reply'; id: number; reply: Result<unknown> }
  | { kind: 'event'; event: PhoneEvent };
