import { History } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../ui/EmptyState.js';

/** Part 2 fills this with the call history. */
export function HistoryView() {
  const { t } = useTranslation();
  return <EmptyState icon={History} title={t('history.title')} text={t('history.coming')} />;
}
