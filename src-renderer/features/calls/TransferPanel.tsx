/** The transfer target field of one line: blind (Transfer) or attended (Consult). Esc closes it. */
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface TransferPanelProps {
  mode: 'transfer' | 'consult';
  onSubmit(target: string): Promise<boolean>;
  onClose(): void;
  /** One-click targets under the field (free colleagues from the busy lamps). */
  picks?: ReactNode;
}

export function TransferPanel({ mode, onSubmit, onClose, picks }: TransferPanelProps) {
  const { t } = useTranslation();
  const [target, setTarget] = useState('');
  const [invalid, setInvalid] = useState(false);
  const id = `transfer-${mode}`;
  const submit = async (): Promise<void> => setInvalid(!(await onSubmit(target)));
  return (
    <form
      className="panel transfer"
      onSubmit={(e) => { e.preventDefault(); void submit(); }}
      onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); e.preventDefault(); onClose(); } }}
    >
      <label className="field__label" htmlFor={`${id}-input`}>{t('call.transferTo')}</label>
      <div className="transfer__row">
        <input
          id={`${id}-input`}
          className="text-input"
          type="text"
          inputMode="tel"
          autoComplete="off"
          spellCheck={false}
          autoFocus
          value={target}
          aria-invalid={invalid || undefined}
          aria-describedby={`${id}-hint`}
          onChange={(e) => { setTarget(e.target.value); setInvalid(false); }}
        />
        <button type="submit" className="button button--primary">{t(mode === 'transfer' ? 'call.transfer' : 'call.consult')}</button>
        <button type="button" className="button" onClick={onClose}>{t('call.close')}</button>
      </div>
      <p className={`field__hint ${invalid ? 'field__hint--error' : ''}`} id={`${id}-hint`}>
        {invalid ? t('dialpad.invalid') : t(mode === 'transfer' ? 'call.transferHint' : 'call.consultHint')}
      </p>
      {picks}
    </form>
  );
}
