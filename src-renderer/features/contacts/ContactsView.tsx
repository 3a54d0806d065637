/** The contacts screen (presentational): search, New contact, Import, Export, the list. */
import { Contact as ContactIcon, Download, Plus, SearchX, Upload } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Contact } from '../../../src-main/contract/directory.js';
import { EmptyState } from '../../ui/EmptyState.js';
import { SearchBox } from '../../ui/SearchBox.js';
import { VirtualList } from '../../ui/VirtualList.js';
import { ContactRow } from './ContactRow.js';

export const CONTACT_ROW_HEIGHT = 60;

export interface ContactsViewProps {
  query: string;
  contacts: readonly Contact[];
  total: number;
  loaded: boolean;
  onQuery(query: string): void;
  onCall(contact: Contact): void;
  onEdit(contact: Contact): void;
  onNew(): void;
  onImport(): void;
  onExport(): void;
  onEndReached(): void;
}

export function ContactsView(props: ContactsViewProps) {
  const { t } = useTranslation();
  const { contacts } = props;
  const handlers = useRef(props);
  useEffect(() => { handlers.current = props; });
  return (
    <div className="list-view">
      <div className="list-view__head">
        <h1 className="list-view__title">{t('contacts.title')}</h1>
        <div className="list-view__buttons">
          <button type="button" className="icon-button" onClick={props.onImport} aria-label={t('contacts.import')} title={t('contacts.importHint')}>
            <Upload size={18} aria-hidden="true" />
          </button>
          <button type="button" className="icon-button" onClick={props.onExport} aria-label={t('contacts.export')} title={t('contacts.exportHint')}
            disabled={props.loaded && props.total === 0 && props.query === ''}>
            <Download size={18} aria-hidden="true" />
          </button>
          <button type="button" className="button button--primary" onClick={props.onNew}>
            <Plus size={16} aria-hidden="true" />{t('contacts.new')}
          </button>
        </div>
      </div>
      <div className="list-view__tools">
        <SearchBox label={t('contacts.search')} placeholder={t('contacts.searchPlaceholder')} value={props.query} onChange={props.onQuery}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && contacts[0] && props.query.trim() !== '') { e.preventDefault(); props.onCall(contacts[0]); }
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              e.currentTarget.closest('.list-view')?.querySelector<HTMLElement>('[data-index="0"] button:not(:disabled)')?.focus();
            }
          }} />
      </div>
      {props.loaded && contacts.length === 0 ? (
        props.query.trim() !== ''
          ? <EmptyState icon={SearchX} title={t('contacts.noMatch')} text={t('contacts.noMatchText')} level={2} />
          : <EmptyState icon={ContactIcon} title={t('contacts.empty')} text={t('contacts.emptyText')} level={2} />
      ) : (
        <VirtualList
          className="list-view__list"
          items={contacts}
          label={t('contacts.listLabel', { count: props.total })}
          total={props.total}
          itemKey={(c) => c.id}
          itemHeight={() => CONTACT_ROW_HEIGHT}
          onEndReached={props.onEndReached}
          renderItem={(contact) => <ContactRow contact={contact} onCall={() => handlers.current.onCall(contact)} onEdit={() => handlers.current.onEdit(contact)} />}
        />
      )}
    </div>
  );
}
