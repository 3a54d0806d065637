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

/** A checkbox with its label on the right. */
export function Check({ id, label, checked, onChange }: { id: string; label: string; checked: boolean; onChange(on: boolean): void }) {
  return (
    <div className="check">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}
