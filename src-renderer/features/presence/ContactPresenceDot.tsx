/** The presence dot of a contact whose number is a watched colleague (nothing otherwise); for contact rows and suggestions. */
import { useTranslation } from 'react-i18next';
import { shownStatus, watchedFor } from './presence-model.js';
import { usePresenceStore } from './presence-store.js';
import { PresenceDot } from './PresenceDot.js';

/** `inline`: beside a name (suggestions); otherwise a badge on an avatar (`.avatar-with-dot`). */
export function ContactPresenceDot({ numbers, inline = false }: { numbers: readonly { value: string }[]; inline?: boolean }) {
  const { t } = useTranslation();
  const entry = usePresenceStore((s) => watchedFor(numbers.map((n) => n.value), s.monitored));
  const status = shownStatus(entry?.presence);
  if (!status) return null;
  return <PresenceDot status={status} className={inline ? 'presence-dot--inline' : 'presence-dot--badge'} label={t(`presence.status.${status}`)} />;
}
