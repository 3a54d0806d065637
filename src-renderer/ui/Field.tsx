/** A labelled form row: label, control, hint or error (wired with aria-describedby / aria-invalid). */
import type { ReactElement } from 'react';
import { cloneElement } from 'react';

export interface FieldProps {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  children: ReactElement<{ id?: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }>;
}

export function Field({ id, label, hint, error, children }: FieldProps) {
  const noteId = error || hint ? `${id}-note` : undefined;
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>{label}</label>
      {cloneElement(children, { id, 'aria-describedby': noteId, 'aria-invalid': error ? true : undefined })}
      {noteId && <p id={noteId} className={`field__hint ${error ? 'field__hint--error' : ''}`}>{error ?? hint}</p>}
    </div>
  );
}

/** A checkbox with its label on the right; a disabled one says why in its hint; an error replaces the hint. */
export function Check({ id, label, checked, onChange, disabled, hint, error }: {
  id: string; label: string; checked: boolean; onChange(on: boolean): void; disabled?: boolean | undefined; hint?: string | undefined;
  error?: string | undefined;
}) {
  const note = error ?? hint;
  return (
    <div className="check">
      <input id={id} type="checkbox" checked={checked} disabled={disabled} aria-describedby={note ? `${id}-note` : undefined}
        aria-invalid={error ? true : undefined} onChange={(e) => onChange(e.target.checked)} />
      <label htmlFor={id}>{label}</label>
      {note && <p id={`${id}-note`} className={`field__hint ${error ? 'field__hint--error' : ''}`}>{note}</p>}
    </div>
  );
}
