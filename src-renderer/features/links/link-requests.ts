/**
 * Links from the OS (Electron host): when main says one waits (`open-link`), or when the page
 * (re)connects, the page takes it (`links.take`), puts it in the dialpad and asks before dialling
 * (DialLinkPrompt). A missed-call notification's click brings History forward, a message's its
 * conversation (`show-view`).
 */
import { useAppStore } from '../../app/app-store.js';
import type { HostLink } from '../../transport/link.js';
import { useDialpadStore } from '../dialpad/dialpad-store.js';
import { setField } from '../dialpad/number.js';
import { useMessagesStore } from '../messages/messages-store.js';
import { useLinkStore } from './link-store.js';

export function startLinkRequests(link: HostLink): () => void {
  const take = async () => {
    const reply = await link.invoke('links.take', {});
    if (!reply.ok || !reply.value) return;
    useDialpadStore.getState().setField(setField(reply.value, undefined));
    useAppStore.getState().setView('dialpad');
    useLinkStore.getState().offer(reply.value);
  };
  const offEvents = link.onEvent((event) => {
    if (event.type === 'open-link') void take();
    else if (event.type === 'show-view') {
      useAppStore.getState().setView(event.view);
      if (event.view === 'messages' && event.peer) useMessagesStore.getState().openConversation(event.peer);
    }
  });
  const offStatus = link.onStatus((status) => {
    if (status === 'open') void take();
  });
  return () => { offEvents(); offStatus(); };
}
