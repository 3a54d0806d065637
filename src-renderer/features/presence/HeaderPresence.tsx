/**
 * The header's presence controls (a container): the voicemail indicator of the dialling account
 * (shown once an account reports message waiting or has a voicemail number) and "My status"; and
 * the polite live region that announces new messages.
 */
import { useLink } from '../../app/link-context.js';
import { useMessagesStore } from '../messages/messages-store.js';
import { dialAccount } from '../settings/account-form.js';
import { useSettingsStore } from '../settings/settings-store.js';
import { callVoicemail, setMyStatus } from './presence-actions.js';
import { shownMwi } from './presence-model.js';
import { usePresenceStore } from './presence-store.js';
import { StatusPicker } from './StatusPicker.js';
import { VoicemailButton } from './VoicemailButton.js';

export function HeaderPresence() {
  const link = useLink();
  const own = usePresenceStore((s) => s.own);
  const mwiStates = usePresenceStore((s) => s.mwi);
  const accounts = useSettingsStore((s) => s.accounts);
  const announcement = useMessagesStore((s) => s.announcement);
  const mwi = shownMwi(mwiStates, dialAccount(accounts)?.key);
  return (
    <div className="header__presence">
      {mwi && <VoicemailButton count={mwi.new} waiting={mwi.waiting} onCall={() => void callVoicemail(link, mwi.account)} />}
      {accounts.length > 0 && <StatusPicker status={own.status} onThePhone={own.onThePhone} onChange={(s) => void setMyStatus(link, s)} />}
      <p className="visually-hidden" aria-live="polite">{announcement}</p>
    </div>
  );
}
