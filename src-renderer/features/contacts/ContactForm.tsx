/** The contact editor (presentational): a draft in, changes and Save/Cancel/Delete out. */
import { Plus, X } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../ui/Dialog.js';
import { Check, Field } from '../../ui/Field.js';
import { numberLabels, type ContactDraft, type ContactErrors } from './contact-form.js';

const isKnownLabel = (l: string): l is (typeof numberLabels)[number] => (numberLabels as readonly string[]).includes(l);

export interface ContactFormProps {
  draft: ContactDraft;
  /** Errors to show now (field path → catalogue key). */
  errors: ContactErrors;
  saving: boolean;
  saveError: string | undefined;
  onChange(draft: ContactDraft, field: string): void;
  onSubmit(): void;
  onCancel(): void;
  onDelete(): void;
}

export function ContactForm({ draft, errors, saving, saveError, onChange, onSubmit, onCancel, onDelete }: ContactFormProps) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const error = (path: string) => (errors[path] ? t(`contacts.form.errors.${errors[path]}`) : undefined);
  const setNumber = (i: number, patch: Partial<ContactDraft['numbers'][number]>, field: string) =>
    onChange({ ...draft, numbers: draft.numbers.map((n, j) => (j === i ? { ...n, ...patch } : n)) }, field);
  const labels = (current: string): readonly string[] => isKnownLabel(current) ? numberLabels : [...numberLabels, current];
  return (
    <form className="panel-form contact-form" noValidate onSubmit={(e) => { e.preventDefault(); onSubmit(); }}
      onKeyDown={(e) => { if (e.key === 'Escape' && !confirming) { e.stopPropagation(); onCancel(); } }}>
      <h2>{t(draft.id === undefined ? 'contacts.form.newTitle' : 'contacts.form.editTitle')}</h2>
      <Field id="contact-name" label={t('contacts.form.name')} error={error('name')}>
        <input className="text-input" type="text" value={draft.name} autoComplete="off" required autoFocus
          onChange={(e) => onChange({ ...draft, name: e.target.value }, 'name')} />
      </Field>
      <Field id="contact-company" label={t('contacts.form.company')} error={error('company')}>
        <input className="text-input" type="text" value={draft.company} autoComplete="off" onChange={(e) => onChange({ ...draft, company: e.target.value }, 'company')} />
      </Field>
      <fieldset className="field numbers">
        <legend className="field__label">{t('contacts.form.numbers')}</legend>
        {draft.numbers.map((n, i) => {
          const err = error(`numbers.${i}.value`);
          const noteId = err ? `contact-number-${i}-note` : undefined;
          return (
            <div key={i} className="numbers__row">
              <select className="select numbers__label" value={n.label} aria-label={t('contacts.form.numberLabel', { index: i + 1 })}
                onChange={(e) => setNumber(i, { label: e.target.value }, `numbers.${i}.label`)}>
                {labels(n.label).map((l) => <option key={l} value={l}>{isKnownLabel(l) ? t(`contacts.labels.${l}`) : l}</option>)}
              </select>
              <input className="text-input numbers__value" type="text" inputMode="tel" value={n.value} autoComplete="off" spellCheck={false}
                aria-label={t('contacts.form.number', { index: i + 1 })} aria-invalid={err ? true : undefined} aria-describedby={noteId}
                placeholder={t('contacts.form.numberPlaceholder')}
                onChange={(e) => setNumber(i, { value: e.target.value }, `numbers.${i}.value`)} />
              <button type="button" className="icon-button icon-button--small" aria-label={t('contacts.form.removeNumber', { index: i + 1 })}
                title={t('contacts.form.removeNumber', { index: i + 1 })}
                onClick={() => onChange({ ...draft, numbers: draft.numbers.filter((_, j) => j !== i) }, 'numbers')}>
                <X size={16} aria-hidden="true" />
              </button>
              {err && <p id={noteId} className="field__hint field__hint--error numbers__error">{err}</p>}
            </div>
          );
        })}
        {errors.numbers && <p className="field__hint field__hint--error">{error('numbers')}</p>}
        <button type="button" className="button button--quiet numbers__add" disabled={draft.numbers.length >= 32}
          onClick={() => onChange({ ...draft, numbers: [...draft.numbers, { label: draft.numbers.length === 0 ? 'mobile' : 'work', value: '' }] }, 'numbers')}>
          <Plus size={16} aria-hidden="true" />{t('contacts.form.addNumber')}
        </button>
      </fieldset>
      <Field id="contact-email" label={t('contacts.form.email')} error={error('email')}>
        <input className="text-input" type="email" value={draft.email} autoComplete="off" spellCheck={false} onChange={(e) => onChange({ ...draft, email: e.target.value }, 'email')} />
      </Field>
      <Field id="contact-notes" label={t('contacts.form.notes')} error={error('notes')}>
        <textarea className="text-input textarea" rows={3} value={draft.notes} onChange={(e) => onChange({ ...draft, notes: e.target.value }, 'notes')} />
      </Field>
      <Check id="contact-favourite" label={t('contacts.form.favourite')} checked={draft.favourite} onChange={(on) => onChange({ ...draft, favourite: on }, 'favourite')} />
      {saveError && <p className="form-error" role="alert">{t('contacts.form.saveFailed', { error: saveError })}</p>}
      <div className="form-actions">
        {draft.id !== undefined && (
          <button type="button" className="button button--danger-quiet form-actions__start" onClick={() => setConfirming(true)}>{t('contacts.delete')}</button>
        )}
        <button type="button" className="button" onClick={onCancel}>{t('common.cancel')}</button>
        <button type="submit" className="button button--primary" disabled={saving}>{t('contacts.save')}</button>
      </div>
      {confirming && (
        <ConfirmDialog title={t('contacts.deleteTitle', { name: draft.name })} text={t('contacts.deleteText')}
          confirmLabel={t('contacts.delete')} cancelLabel={t('common.cancel')}
          onConfirm={() => { setConfirming(false); onDelete(); }} onCancel={() => setConfirming(false)} />
      )}
    </form>
  );
}
