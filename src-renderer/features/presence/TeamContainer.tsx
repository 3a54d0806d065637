/**
 * Wires the Team screen: lamps from the presence slice with contact names, click to call or pick
 * up, Transfer to a colleague during a call, Message (opens the conversation), Add and Remove.
 */
import { useState } from 'react';
import { useAppStore } from '../../app/app-store.js';
import { useLink } from '../../app/link-context.js';
import { useCallsStore } from '../calls/calls-store.js';
import { isCurrent } from '../calls/call-view.js';
import { conversationKey } from '../messages/messages-model.js';
import { useMessagesStore } from '../messages/messages-store.js';
import type { LampItem } from './LampRow.js';
import { callUri, pickUp, transferTo, unwatch, watch } from './presence-actions.js';
import { lampAction, lampPresence, numberIsUri, partyName, sipAddress } from './presence-model.js';
import { usePresenceStore } from './presence-store.js';
import { TeamView } from './TeamView.js';

export function TeamContainer() {
  const link = useLink();
  const monitored = usePresenceStore((s) => s.monitored);
  const names = usePresenceStore((s) => s.names);
  const loaded = usePresenceStore((s) => s.loaded);
  const adding = usePresenceStore((s) => s.adding);
  const editing = usePresenceStore((s) => s.editing);
  const call = useCallsStore((s) => s.live.find((c) => isCurrent(c) && c.state !== 'calling' && c.state !== 'early'));
  const [addError, setAddError] = useState<'invalid' | 'no-account' | undefined>(undefined);

  const items: LampItem[] = monitored.map((e) => {
    const name = partyName(e.uri, names);
    const address = sipAddress(e.uri)?.user;
    const presence = lampPresence(e.lamp, e.presence);
    return {
      uri: e.uri, name, address: address && address !== name ? address : undefined,
      lamp: e.lamp, dot: presence.dot, status: presence.word, note: presence.note,
      transferable: call !== undefined && !numberIsUri(call.peer.uri, e.uri),
    };
  });

  return (
    <TeamView
      items={items}
      loaded={loaded}
      editing={editing}
      adding={adding}
      addError={addError}
      onActivate={(item) => void (lampAction(item) === 'pickup' ? pickUp(link, item.uri, item.name) : callUri(link, item.uri))}
      onPickUp={(item) => void pickUp(link, item.uri, item.name)}
      onTransfer={(item) => void transferTo(link, item.uri)}
      onMessage={(item) => {
        useMessagesStore.getState().openConversation(conversationKey(item.uri));
        useAppStore.getState().setView('messages');
      }}
      onRemove={(item) => void unwatch(link, item.uri)}
      onAdd={(text) => void watch(link, text).then((r) => {
        if (r.ok) { setAddError(undefined); usePresenceStore.getState().setAdding(false); }
        // A refusal from the core shows as a notice; the typed text stays to correct.
        else setAddError(r.error === 'failed' ? undefined : r.error === 'no-account' ? 'no-account' : 'invalid');
      })}
      onAdding={(open) => { setAddError(undefined); usePresenceStore.getState().setAdding(open); }}
      onEditing={(on) => usePresenceStore.getState().setEditing(on)}
    />
  );
}
