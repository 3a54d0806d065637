/** The presence service's channels (contract/presence.ts); requests arrive validated. */
import type { ChannelHandlers, PresenceChannel } from '../contract/channels.js';
import type { MessagingService } from './messaging-service.js';
import type { PresenceService } from './presence-service.js';

const ok = <T>(value: T) => ({ ok: true as const, value });

export function createPresenceHandlers(presence: PresenceService, messaging: MessagingService): Pick<ChannelHandlers, PresenceChannel> {
  return {
    'presence.snapshot': async () => ok(presence.snapshot()),
    'presence.subscribe': async ({ uri, account }) => presence.subscribe(uri, account),
    'presence.unsubscribe': ({ uri }) => presence.unsubscribe(uri),
    'presence.setStatus': async ({ status, note }) => ok(presence.setStatus(status, note)),
    'messages.send': async ({ uri, text, account }) => messaging.send(uri, text, account),
    'messages.list': async (q) => ok(messaging.list(q)),
    'messages.conversations': async () => ok(messaging.conversations()),
    'messages.markRead': async ({ peer }) => {
      messaging.markRead(peer);
      return ok(undefined);
    },
    'voicemail.call': ({ account }) => presence.callVoicemail(account),
    'calls.pickup': ({ uri, account }) => presence.pickup(uri, account),
  };
}
