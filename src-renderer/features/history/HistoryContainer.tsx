/**
 * Wires the history screen: pages over `history.list` as the list scrolls, search (debounced) and
 * filter, Call back, Add to contacts, deletes; while the screen is shown (and the window visible),
 * missed calls are marked seen so the navigation badge clears.
 */
import { useCallback, useEffect, useSyncExternalStore } from 'react';
import { useAppStore } from '../../app/app-store.js';
import { useLink } from '../../app/link-context.js';
import { useLocale } from '../../app/useLocale.js';
import { openNew } from '../contacts/contacts-actions.js';
import { useSettingsStore } from '../settings/settings-store.js';
import { callBack, clearHistory, loadHistory, markSeen, removeEntry } from './history-actions.js';
import { entryParty, savedNumber } from './history-model.js';
import { useHistoryStore } from './history-store.js';
import { HistoryView } from './HistoryView.js';
import { useMinuteNow } from './useMinuteNow.js';

const subscribeVisibility = (cb: () => void) => {
  document.addEventListener('visibilitychange', cb);
  return () => document.removeEventListener('visibilitychange', cb);
};
const isVisible = () => document.visibilityState === 'visible';

export function HistoryContainer() {
  const link = useLink();
  const locale = useLocale();
  const now = useMinuteNow();
  const visible = useSyncExternalStore(subscribeVisibility, isVisible);
  const filter = useHistoryStore((s) => s.filter);
  const search = useHistoryStore((s) => s.search);
  const entries = useHistoryStore((s) => s.entries);
  const total = useHistoryStore((s) => s.total);
  const loaded = useHistoryStore((s) => s.loaded);
  const generation = useHistoryStore((s) => s.generation);
  const missed = useHistoryStore((s) => s.missed);
  const accounts = useSettingsStore((s) => s.accounts);

  // Fresh rows each time the screen opens; then whenever the query changes (typing: debounced).
  useEffect(() => { useHistoryStore.getState().setQuery({}); }, []);
  useEffect(() => {
    const timer = setTimeout(() => void loadHistory(link, false), 150);
    return () => clearTimeout(timer);
  }, [link, generation]);
  useEffect(() => { if (missed > 0 && visible) void markSeen(link); }, [link, missed, visible]);
  const more = useCallback(() => void loadHistory(link, true), [link]);

  return (
    <HistoryView
      filter={filter}
      search={search}
      entries={entries}
      total={total}
      loaded={loaded}
      locale={locale}
      now={now}
      onFilter={(f) => useHistoryStore.getState().setQuery({ filter: f })}
      onSearch={(s) => useHistoryStore.getState().setQuery({ search: s })}
      onCallBack={(e) => void callBack(link, e, accounts)}
      onAddContact={(e) => {
        openNew({ name: entryParty(e).name ?? '', numbers: [{ label: 'mobile', value: savedNumber(e.peer.uri) }] });
        useAppStore.getState().setView('contacts');
      }}
      onDelete={(e) => void removeEntry(link, e)}
      onDeleteAll={() => void clearHistory(link)}
      onEndReached={more}
    />
  );
}
