/** The call history screen (presentational): search, filter, the list by day, Delete all. */
import { History, SearchX } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HistoryEntry } from '../../../src-main/contract/directory.js';
import { ConfirmDialog } from '../../ui/Dialog.js';
import { EmptyState } from '../../ui/EmptyState.js';
import { SearchBox } from '../../ui/SearchBox.js';
import { FilterGroup } from '../../ui/FilterGroup.js';
import { VirtualList } from '../../ui/VirtualList.js';
import { dayLabel, historyFilters, startsDay, type HistoryFilter } from './history-model.js';
import { HistoryRow } from './HistoryRow.js';

export const ROW_HEIGHT = 60;
export const DAY_HEIGHT = 34;

export interface HistoryViewProps {
  filter: HistoryFilter;
  search: string;
  entries: readonly HistoryEntry[];
  total: number;
  loaded: boolean;
  locale: string;
  now: number;
  onFilter(filter: HistoryFilter): void;
  onSearch(search: string): void;
  onCallBack(entry: HistoryEntry): void;
  onAddContact(entry: HistoryEntry): void;
  onDelete(entry: HistoryEntry): void;
  onDeleteAll(): void;
  onEndReached(): void;
}

export function HistoryView(props: HistoryViewProps) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  // Rows are memoised: their buttons call the latest handlers through this ref.
  const handlers = useRef(props);
  useEffect(() => { handlers.current = props; });
  const { entries, locale, now } = props;
  const words = { today: t('history.today'), yesterday: t('history.yesterday') };
  const filtered = props.filter !== 'all' || props.search.trim() !== '';
  return (
    <div className="list-view">
      <div className="list-view__head">
        <h1 className="list-view__title">{t('history.title')}</h1>
        <button type="button" className="button button--quiet" onClick={() => setConfirming(true)} disabled={props.total === 0 && !filtered}>
          {t('history.deleteAll')}
        </button>
      </div>
      <div className="list-view__tools">
        <SearchBox label={t('history.search')} placeholder={t('history.searchPlaceholder')} value={props.search} onChange={props.onSearch}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              e.currentTarget.closest('.list-view')?.querySelector<HTMLElement>('[data-index="0"] button')?.focus();
            }
          }} />
        <FilterGroup label={t('history.filter')} name="history-filter" value={props.filter}
          options={historyFilters.map((f) => ({ value: f, label: t(`history.filters.${f}`) }))} onChange={props.onFilter} />
      </div>
      {props.loaded && entries.length === 0 ? (
        filtered
          ? <EmptyState icon={SearchX} title={t('history.noMatch')} text={t('history.noMatchText')} level={2} />
          : <EmptyState icon={History} title={t('history.empty')} text={t('history.emptyText')} level={2} />
      ) : (
        <VirtualList
          className="list-view__list"
          items={entries}
          label={t('history.listLabel', { count: props.total })}
          total={props.total}
          itemKey={(e) => e.id}
          itemHeight={(i) => ROW_HEIGHT + (startsDay(entries, i) ? DAY_HEIGHT : 0)}
          onEndReached={props.onEndReached}
          renderItem={(entry, i) => (
            <HistoryRow
              entry={entry}
              day={startsDay(entries, i) ? dayLabel(entry.startedAt, now, locale, words) : undefined}
              locale={locale}
              onCallBack={() => handlers.current.onCallBack(entry)}
              onAddContact={() => handlers.current.onAddContact(entry)}
              onDelete={() => handlers.current.onDelete(entry)}
            />
          )}
        />
      )}
      {confirming && (
        <ConfirmDialog
          title={t('history.deleteAllTitle')}
          text={t('history.deleteAllText')}
          confirmLabel={t('history.deleteAll')}
          cancelLabel={t('common.cancel')}
          onConfirm={() => { setConfirming(false); props.onDeleteAll(); }}
          onCancel={() => setConfirming(false)}
        />
      )}
    </div>
  );
}
