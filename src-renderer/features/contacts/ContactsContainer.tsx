/** Wires the contacts screen: search as you type, call on click/Enter, the editor, import and export. */
import { useCallback, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useLink } from '../../app/link-context.js';
import { dialNumber } from '../dialpad/dial-number.js';
import { checkContact } from './contact-form.js';
import { ContactForm } from './ContactForm.js';
import { exportContacts, loadContacts, openEdit, openNew, removeContact, saveEditor } from './contacts-actions.js';
import { useContactsStore } from './contacts-store.js';
import { ContactsView } from './ContactsView.js';
import { ImportContainer, type ImportHandle } from './ImportContainer.js';

export function ContactsContainer() {
  const { t } = useTranslation();
  const link = useLink();
  const query = useContactsStore((s) => s.query);
  const contacts = useContactsStore((s) => s.contacts);
  const total = useContactsStore((s) => s.total);
  const loaded = useContactsStore((s) => s.loaded);
  const generation = useContactsStore((s) => s.generation);
  const editor = useContactsStore((s) => s.editor);
  const importer = useRef<ImportHandle>(null);
  const title = useRef<HTMLDivElement>(null);

  useEffect(() => { useContactsStore.getState().reload(); }, []);
  useEffect(() => {
    const timer = setTimeout(() => void loadContacts(link, false), 120);
    return () => clearTimeout(timer);
  }, [link, generation]);
  const more = useCallback(() => void loadContacts(link, true), [link]);

  const closeEditor = () => {
    useContactsStore.getState().openEditor(undefined);
    requestAnimationFrame(() => title.current?.querySelector<HTMLElement>('[data-view-search]')?.focus());
  };

  if (editor) {
    const checked = checkContact(editor.draft);
    const all = checked.ok ? {} : checked.errors;
    const errors = Object.fromEntries(Object.entries(all).filter(([k]) => editor.showAll || editor.touched[k]));
    if (editor.saveError?.field && !errors[editor.saveError.field]) errors[editor.saveError.field] = editor.saveError.field.startsWith('numbers') ? 'number' : 'tooLong';
    return (
      <div className="contacts" ref={title}>
        <h1 className="visually-hidden">{t('contacts.title')}</h1>
        <ContactForm
          draft={editor.draft}
          errors={errors}
          saving={editor.saving}
          saveError={editor.saveError && !editor.saveError.field ? editor.saveError.text : undefined}
          onChange={(draft, field) => useContactsStore.getState().openEditor({ ...editor, draft, touched: { ...editor.touched, [field]: true }, saveError: undefined })}
          onSubmit={() => void saveEditor(link).then((saved) => {
            if (saved) closeEditor();
            else requestAnimationFrame(() => document.querySelector<HTMLElement>('.contact-form [aria-invalid="true"]')?.focus());
          })}
          onCancel={closeEditor}
          onDelete={() => { if (editor.draft.id !== undefined) void removeContact(link, editor.draft.id).then(closeEditor); }}
        />
      </div>
    );
  }
  return (
    <div className="contacts" ref={title}>
      <ContactsView
        query={query}
        contacts={contacts}
        total={total}
        loaded={loaded}
        onQuery={(q) => useContactsStore.getState().setQuery(q)}
        onCall={(c) => { if (c.numbers[0]) void dialNumber(link, c.numbers[0].value); }}
        onEdit={(c) => void openEdit(link, c)}
        onNew={() => openNew()}
        onImport={() => importer.current?.pick()}
        onExport={() => void exportContacts(link, t('contacts.exportFile'))}
        onEndReached={more}
      />
      <ImportContainer ref={importer} />
    </div>
  );
}
