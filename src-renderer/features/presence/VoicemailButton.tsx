/** The voicemail indicator: a button named "Voicemail, 2 new" (or "Voicemail") that dials the mailbox. */
import { Voicemail } from 'lucide-react';
import { useTranslation } from 'react-i18next';

export function VoicemailButton({ count, waiting, onCall }: { count: number; waiting: boolean; onCall(): void }) {
  const { t } = useTranslation();
  const name = count > 0 ? t('presence.voicemailNew', { count }) : waiting ? t('presence.voicemailWaiting') : t('presence.voicemail');
  return (
    <button type="button" className={`voicemail ${count > 0 || waiting ? 'voicemail--waiting' : ''}`} onClick={onCall}
      aria-label={name} title={`${name} — ${t('presence.voicemailHint')}`}>
      <Voicemail size={18} aria-hidden="true" />
      {(count > 0 || waiting) && <span className="voicemail__count" aria-hidden="true">{count > 99 ? '99+' : count > 0 ? count : '•'}</span>}
    </button>
  );
}
