/** The window: header, link status, call area, current view, navigation, messages. */
import { CALL_SCOPE, useGlobalKeys } from './useGlobalKeys.js';
import { useAppStore } from './app-store.js';
import { useLink } from './link-context.js';
import { Header } from './Header.js';
import { NavBar } from './NavBar.js';
import { ConnectionBanner, Notices } from './StatusBanners.js';
import { useDocumentSettings } from './useDocumentSettings.js';
import { CallsContainer } from '../features/calls/CallsContainer.js';
import { ContactsContainer } from '../features/contacts/ContactsContainer.js';
import { DialpadContainer } from '../features/dialpad/DialpadContainer.js';
import { HistoryContainer } from '../features/history/HistoryContainer.js';
import { useHistoryStore } from '../features/history/history-store.js';
import { MessagesContainer } from '../features/messages/MessagesContainer.js';
import { totalUnread } from '../features/messages/messages-model.js';
import { useMessagesStore } from '../features/messages/messages-store.js';
import { TeamContainer } from '../features/presence/TeamContainer.js';
import { dialAccount } from '../features/settings/account-form.js';
import { SettingsContainer } from '../features/settings/SettingsContainer.js';
import { DialLinkPromptContainer } from '../features/links/DialLinkPromptContainer.js';
import { useSettingsStore } from '../features/settings/settings-store.js';

export function App() {
  const link = useLink();
  useGlobalKeys(link);
  useDocumentSettings();
  const { view, setView, link: status, synced, notices, dismiss } = useAppStore();
  const account = dialAccount(useSettingsStore((s) => s.accounts));
  const missed = useHistoryStore((s) => s.missed);
  const unread = useMessagesStore((s) => totalUnread(s.conversations));
  return (
    <div className="app">
      <Header account={account} onOpenSettings={() => setView('settings')} />
      <ConnectionBanner link={status} synced={synced} />
      <CallsContainer />
      <main className={`view view--${view}`} {...(view === 'dialpad' ? { [CALL_SCOPE]: '' } : {})}>
        {view === 'dialpad' && <DialpadContainer />}
        {view === 'history' && <HistoryContainer />}
        {view === 'contacts' && <ContactsContainer />}
        {view === 'team' && <TeamContainer />}
        {view === 'messages' && <MessagesContainer />}
        {view === 'settings' && <SettingsContainer />}
      </main>
      <DialLinkPromptContainer />
      <Notices notices={notices} onDismiss={dismiss} />
      <NavBar view={view} onNavigate={setView} missed={missed} unread={unread} />
    </div>
  );
}
