/** History requests over the link, applied to the slice (what the container and sync call). */
import type { HistoryEntry } from '../../../src-main/contract/directory.js';
import { command, request } from '../../app/request.js';
import type { HostLink } from '../../transport/link.js';
import { useHistoryStore } from './history-store.js';

export const PAGE_SIZE = 200;

/** The first page of the current query, or (append) the next one. */
export async function loadHistory(link: HostLink, append: boolean): Promise<void> {
  const s = useHistoryStore.getState();
  if (append && (!s.next || s.loading || !s.loaded)) return;
  const generation = s.generation;
  s.startLoading(generation);
  const reply = await request(link, 'history.list', {
    filter: s.filter, search: s.search.trim(), limit: PAGE_SIZE, ...(append && s.next ? { before: s.next } : {}),
  }, { quiet: true });
  if (reply.ok) useHistoryStore.getState().applyPage(generation, reply.value, append);
  else useHistoryStore.getState().failed(generation);
}

export async function refreshMissed(link: HostLink): Promise<void> {
  const reply = await request(link, 'history.missedCount', {}, { quiet: true });
  if (reply.ok) useHistoryStore.getState().setMissed(reply.value);
}

export async function markSeen(link: HostLink): Promise<void> {
  const reply = await request(link, 'history.markSeen', {}, { quiet: true });
  if (reply.ok) useHistoryStore.getState().setMissed(0);
}

export async function removeEntry(link: HostLink, entry: HistoryEntry): Promise<void> {
  const reply = await request(link, 'history.remove', { id: entry.id });
  if (reply.ok) useHistoryStore.getState().removed(entry.id);
}

export async function clearHistory(link: HostLink): Promise<void> {
  const reply = await request(link, 'history.clear', {});
  if (reply.ok) useHistoryStore.getState().cleared();
}

/** Call back from the account the call was on (the core falls back to the default account). */
export async function callBack(link: HostLink, entry: HistoryEntry, accounts: readonly { key: string; enabled: boolean }[]): Promise<void> {
  const account = accounts.find((a) => a.key === entry.account && a.enabled)?.key;
  await command(link, { type: 'dial', uri: entry.peer.uri, ...(account ? { account } : {}) });
}
