/**
 * Keeps the stores in step with the core: reads its whole state whenever the link (re)opens (so a
 * page reload or a host restart shows the calls in progress) and applies every event after that.
 */
import type { PhoneEvent } from '../../src-main/contract/channels.js';
import { useCallsStore } from '../features/calls/calls-store.js';
import { useContactsStore } from '../features/contacts/contacts-store.js';
import { refreshMissed } from '../features/history/history-actions.js';
import { useHistoryStore } from '../features/history/history-store.js';
import { useSettingsStore } from '../features/settings/settings-store.js';
import type { HostLink } from '../transport/link.js';
import { useAppStore } from './app-store.js';
import { echoAdviceNotice } from './notices.js';

function apply(event: PhoneEvent): void {
  const calls = useCallsStore.getState();
  const settings = useSettingsStore.getState();
  switch (event.type) {
    case 'call': calls.applyCall(event.call); break;
    case 'calls': calls.applyState(event.state); break;
    case 'transfer': calls.applyTransfer(event.callId, { status: event.status, sipfrag: event.sipfrag }); break;
    case 'levels': calls.setLevels(event.inputDb, event.outputDb); break;
    case 'accounts': settings.setAccounts(event.accounts); break;
    case 'settings': settings.setSettings(event.settings); break;
    case 'notice': useAppStore.getState().notify({ kind: 'core', text: event.message }); break;
    case 'echo-advice':
      useAppStore.getState().notify(echoAdviceNotice(event));
      break;
    case 'missed': useHistoryStore.getState().setMissed(event.count); break;
    case 'history-added': useHistoryStore.getState().added(event.entry); break;
    case 'contacts-changed': useContactsStore.getState().reload(); break;
    case 'import-progress': if (useContactsStore.getState().progress) useContactsStore.getState().setProgress({ done: event.done, total: event.total }); break;
    default: {
      // Events added to the contract later (e.g. registration) are read where the renderer uses them.
      const e = event as { type: string; account?: unknown; state?: unknown; reason?: unknown; status?: unknown };
      if (e.type === 'registration' && typeof e.account === 'string') {
        settings.applyRegistration(e.account, {
          state: e.state as never, reason: e.reason as string | undefined, status: e.status as number | undefined,
        });
      }
    }
  }
}

async function refresh(link: HostLink): Promise<void> {
  const [calls, accounts, settings] = await Promise.all([
    link.invoke('calls.snapshot', {}), link.invoke('accounts.list', {}), link.invoke('settings.get', {}),
  ]);
  if (calls.ok) useCallsStore.getState().applyState(calls.value);
  if (accounts.ok) useSettingsStore.getState().setAccounts(accounts.value);
  if (settings.ok) useSettingsStore.getState().setSettings(settings.value);
  if (calls.ok && accounts.ok && settings.ok) useAppStore.getState().setSynced();
  // The badge, and lists shown, may be out of date after a reload or a host restart.
  await refreshMissed(link);
  if (useHistoryStore.getState().loaded) useHistoryStore.getState().setQuery({});
  if (useContactsStore.getState().loaded) useContactsStore.getState().reload();
  // Settings the administrator locked (machine-wide configuration) show disabled.
  const info = await link.invoke('app.info', {});
  if (info.ok) useSettingsStore.getState().setLocks(info.value.locked);
}

export function startSync(link: HostLink): () => void {
  const offEvents = link.onEvent(apply);
  const offStatus = link.onStatus((status) => {
    useAppStore.getState().setLink(status);
    if (status === 'open') void refresh(link);
  });
  return () => { offEvents(); offStatus(); };
}
