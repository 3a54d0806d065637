/**
 * "My status": a native select (a combobox for assistive technology, arrow keys and type-ahead for
 * free) with the status dot beside it. Do not disturb also refuses calls (the core keeps the DND
 * setting in step); "on the phone" is set by the phone itself during calls and shown as a title.
 */
import { ChevronDown } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { OwnStatus } from '../../../src-main/contract/presence.js';
import { ownStatuses } from './presence-model.js';
import { PresenceDot } from './PresenceDot.js';

export function StatusPicker({ status, onThePhone, onChange }: { status: OwnStatus; onThePhone: boolean; onChange(status: OwnStatus): void }) {
  const { t } = useTranslation();
  return (
    <span className={`status-picker status-picker--${status}`} title={onThePhone ? t('presence.onThePhone') : t('presence.myStatusHint')}>
      <PresenceDot status={status} className="status-picker__dot" />
      <select className="status-picker__select" aria-label={t('presence.myStatus')} value={status}
        onChange={(e) => onChange(e.target.value as OwnStatus)}>
        {ownStatuses.map((s) => <option key={s} value={s}>{t(`presence.status.${s}`)}</option>)}
      </select>
      <ChevronDown size={14} className="status-picker__chevron" aria-hidden="true" />
    </span>
  );
}
