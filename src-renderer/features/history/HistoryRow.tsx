/** One call in the history: who, what happened and when; Call back, Add to contacts, Delete. */
import { Phone, PhoneIncoming, PhoneMissed, PhoneOutgoing, Trash2, UserPlus } from 'lucide-react';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { HistoryEntry } from '../../../src-main/contract/directory.js';
import { entryParty, formatDuration, fullTime, outcomeKey, timeOfDay } from './history-model.js';

export interface HistoryRowProps {
  entry: HistoryEntry;
  /** The day heading this row starts, if it is the first call of its day. */
  day: string | undefined;
  locale: string;
  onCallBack(): void;
  onAddContact(): void;
  onDelete(): void;
}

/**
 * Memoised on what it shows (entry, day heading, locale): while the list scrolls only rows coming
 * into view render. Its callbacks must therefore always do the latest thing (the view passes
 * wrappers over a ref).
 */
export const HistoryRow = memo(HistoryRowImpl, (a, b) => a.entry === b.entry && a.day === b.day && a.locale === b.locale);

function HistoryRowImpl({ entry, day, locale, onCallBack, onAddContact, onDelete }: HistoryRowProps) {
  const { t } = useTranslation();
  const { name, number } = entryParty(entry);
  const outcome = outcomeKey(entry);
  const missed = outcome === 'missed';
  const Icon = missed ? PhoneMissed : entry.direction === 'incoming' ? PhoneIncoming : PhoneOutgoing;
  const what = outcome === 'answered'
    ? `${t(`history.direction.${entry.direction}`)} · ${formatDuration(entry.durationS, locale, 'narrow')}`
    : entry.status && (outcome === 'failed' || outcome === 'rejected')
      ? t('history.withStatus', { text: t(`history.outcome.${outcome}`), status: entry.status })
      : t(`history.outcome.${outcome}`);
  const nameId = `history-${entry.id}-name`;
  return (
    <>
      {day && <h2 className="list-day">{day}</h2>}
      <div className={`history-call ${missed ? 'history-call--missed' : ''}`} title={fullTime(entry.startedAt, locale)}>
        <span className="history-call__icon" aria-hidden="true"><Icon size={18} /></span>
        <div className="history-call__text">
          <p className="history-call__name" id={nameId}>{name ?? number}</p>
          <p className="history-call__meta">
            {name && <span className="history-call__number">{number}</span>}
            <span>{what}</span>
          </p>
        </div>
        <time className="history-call__time" dateTime={new Date(entry.startedAt).toISOString()}>{timeOfDay(entry.startedAt, locale)}</time>
        <div className="row-actions">
          <button type="button" className="icon-button" onClick={onCallBack} aria-label={t('history.callBack')} aria-describedby={nameId} title={t('history.callBack')}>
            <Phone size={18} aria-hidden="true" />
          </button>
          {entry.contact ? <span className="row-actions__spacer" aria-hidden="true" /> : (
            <button type="button" className="icon-button" onClick={onAddContact} aria-label={t('history.addContact')} aria-describedby={nameId} title={t('history.addContact')}>
              <UserPlus size={18} aria-hidden="true" />
            </button>
          )}
          <button type="button" className="icon-button" onClick={onDelete} aria-label={t('history.delete')} aria-describedby={nameId} title={t('history.delete')}>
            <Trash2 size={18} aria-hidden="true" />
          </button>
        </div>
      </div>
    </>
  );
}
