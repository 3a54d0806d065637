/**
 * Keeps the presence and messages slices in step with the core, beside app/sync.ts: reads the
 * snapshot and the conversations whenever the link (re)opens, then applies the lamp, presence,
 * my-status, voicemail, message and delivery events; starts the new-message notifier.
 */
import type { PhoneEvent } from '../../../src-main/contract/channels.js';
import type { HostLink } from '../../transport/link.js';
import { loadConversations, loadThread } from '../messages/messages-actions.js';
import { useMessagesStore } from '../messages/messages-store.js';
import { messageArrived, startNotifier } from '../messages/notifier.js';
import { contactsChanged, refreshPresence, refreshSoon, resolveNames } from './presence-actions.js';
import { usePresenceStore } from './presence-store.js';

function apply(link: HostLink, event: PhoneEvent): void {
  const presence = usePresenceStore.getState();
  const messages = useMessagesStore.getState();
  switch (event.type) {
    case 'blf':
      presence.applyLamp(event.uri, event.state);
      refreshSoon(link);
      break;
    case 'presence': presence.applyPeerPresence(event.uri, event.presence); break;
    case 'own-presence': presence.applyOwn(event.presence); break;
    case 'mwi': presence.applyMwi(event.mwi); break;
    case 'message':
      messages.applyMessage(event.message);
      void resolveNames(link, [event.message.peer]);
      messageArrived(link, event.message);
      break;
    case 'message-status': messages.applyStatus(event.id, event.status, event.code); break;
    case 'contacts-changed':
      contactsChanged(link, [...presence.monitored.map((e) => e.uri), ...messages.conversations.map((c) => c.peer)]);
      break;
    // A new account registers: its message waiting state and publication come with the snapshot.
    case 'accounts': refreshSoon(link); break;
    default: break;
  }
}

async function refresh(link: HostLink): Promise<void> {
  await Promise.all([refreshPresence(link), loadConversations(link)]);
  const open = useMessagesStore.getState().open;
  if (open) await loadThread(link, open);
}

export function startPresence(link: HostLink): () => void {
  const offEvents = link.onEvent((e) => apply(link, e));
  const offStatus = link.onStatus((status) => { if (status === 'open') void refresh(link); });
  const offNotifier = startNotifier(link);
  return () => { offEvents(); offStatus(); offNotifier(); };
}
