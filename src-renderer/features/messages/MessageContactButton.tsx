/** "Message <name>" on a contact row (a container): opens the conversation with the contact's first number or address. */
import { MessageSquare } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../app/app-store.js';
import { useLink } from '../../app/link-context.js';
import { startConversation } from './messages-actions.js';

export function MessageContactButton({ name, numbers }: { name: string; numbers: readonly { value: string }[] }) {
  const { t } = useTranslation();
  const link = useLink();
  const first = numbers[0];
  if (!first) return null;
  const label = t('presence.messageTo', { name });
  return (
    <button type="button" className="icon-button" aria-label={label} title={label} onClick={() => {
      const r = startConversation(link, first.value);
      if (r.ok) useAppStore.getState().setView('messages');
      else useAppStore.getState().notify({ kind: 'core', text: t(r.error === 'no-account' ? 'dialpad.noAccount' : 'dialpad.invalid') });
    }}>
      <MessageSquare size={18} aria-hidden="true" />
    </button>
  );
}
