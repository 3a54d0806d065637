import { Contact } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../ui/EmptyState.js';

/** Part 2 fills this with the contacts. */
export function ContactsView() {
  const { t } = useTranslation();
  return <EmptyState icon={Contact} title={t('contacts.title')} text={t('contacts.coming')} />;
}
