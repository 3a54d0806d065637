/**
 * Instant messages in the core (issue 11): sent through the account's proxy (RFC 3428) and stored
 * with their delivery status, received under the incoming policy and stored unread; events tell
 * hosts about both. Conversations are keyed by the peer's address without parameters.
 */
import { formatUri, parseUri } from '../sip/message/index.js';
import type { SipUri } from '../sip/message/index.js';
import type { UserAgent } from '../sip/ua/user-agent.js';
import { MessageReceiver, sendMessage, type ReceivedMessage } from '../sip/ua/pager/instant-message.js';
import type { Result } from '../contract/calls.js';
import type { PhoneEvent } from '../contract/channels.js';
import type { ChatMessage, Conversation, MessagePage } from '../contract/presence.js';
import type { MessageStore } from '../store/message-store.js';
import type { AccountService } from './accounts.js';

export interface MessagingDeps {
  ua: UserAgent;
  store: MessageStore;
  accounts: AccountService;
  emit(e: PhoneEvent): void;
  now?: () => number;
}

/** sip:user@host[:port] — the conversation key for an address. */
export function peerKey(uri: SipUri): string {
  return formatUri({ scheme: uri.scheme, ...(uri.user !== undefined ? { user: uri.user } : {}), host: uri.host,
    ...(uri.port ? { port: uri.port } : {}), params: new Map(), headers: new Map() });
}

export class MessagingService {
  private readonly now: () => number;

  constructor(private readonly deps: MessagingDeps) {
    this.now = deps.now ?? Date.now;
    deps.ua.use(new MessageReceiver(deps.ua.usageHost(), (m) => this.received(m)));
  }

  /** Store and send; the stored message (status sending) comes back at once, `message-status` follows. */
  send(uri: string, text: string, accountKey?: string): Result<ChatMessage> {
    let target: SipUri;
    try {
      target = parseUri(uri);
    } catch (e) {
      return { ok: false, error: `messages.send: bad URI ${JSON.stringify(uri)}: ${(e as Error).message}` };
    }
    const key = accountKey ?? this.deps.accounts.defaultKey();
    const host = this.deps.ua.usageHost();
    const account = host.account(key);
    if (!account || !key) return { ok: false, error: 'messages.send: no account to send from' };
    const stored = this.deps.store.add({ account: key, peer: peerKey(target), peerName: undefined, direction: 'out', text, at: this.now(), status: 'sending' });
    const error = sendMessage(host, account, target, text, (outcome) => {
      const status = outcome.delivered ? 'delivered' : 'failed';
      this.deps.store.setStatus(stored.id, status, outcome.code);
      this.deps.emit({ type: 'message-status', id: stored.id, status, code: outcome.code });
    });
    if (error) {
      this.deps.store.setStatus(stored.id, 'failed', 0);
      return { ok: false, error: `messages.send: ${error}` };
    }
    return { ok: true, value: stored };
  }

  list(q: { peer?: string | undefined; search: string; before?: number | undefined; limit: number }): MessagePage {
    return this.deps.store.list(q);
  }

  conversations(): Conversation[] {
    return this.deps.store.conversations();
  }

  markRead(peer: string): void {
    this.deps.store.markRead(peer);
  }

  private received(m: ReceivedMessage): void {
    let peer = m.from.uri;
    try {
      peer = peerKey(parseUri(m.from.uri));
    } catch {
      // Keep the address as written.
    }
    const stored = this.deps.store.add({ account: m.account, peer, peerName: m.from.displayName, direction: 'in', text: m.text, at: this.now(), status: 'received' });
    this.deps.emit({ type: 'message', message: stored });
  }
}
