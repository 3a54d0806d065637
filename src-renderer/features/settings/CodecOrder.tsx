/** Codec preference: each codec on/off, moved up or down with buttons (keyboard-friendly, no drag). */
import { ChevronDown, ChevronUp } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { codecLabel } from '../calls/QualityLine.js';
import type { AccountDraft } from './account-form.js';

export interface CodecOrderProps {
  codecs: AccountDraft['codecs'];
  invalid: boolean;
  /** Set by the administrator: shown, not changeable. */
  locked?: boolean | undefined;
  onToggle(index: number, on: boolean): void;
  onMove(index: number, by: -1 | 1): void;
}

export function CodecOrder({ codecs, invalid, locked, onToggle, onMove }: CodecOrderProps) {
  const { t } = useTranslation();
  return (
    <fieldset className="field codecs" disabled={locked} aria-describedby={invalid ? 'codecs-error' : locked ? 'codecs-locked' : undefined}>
      <legend className="field__label">{t('accounts.form.codecs')}</legend>
      <ol className="codecs__list">
        {codecs.map((c, i) => {
          const codec = codecLabel(c.name);
          return (
            <li key={c.name} className="codecs__item">
              <input
                id={`codec-${c.name}`}
                type="checkbox"
                checked={c.enabled}
                onChange={(e) => onToggle(i, e.target.checked)}
                aria-label={t('accounts.form.codecEnabled', { codec })}
              />
              <label htmlFor={`codec-${c.name}`} className="codecs__name" aria-hidden="true">{codec}</label>
              <button type="button" className="icon-button icon-button--small" aria-disabled={i === 0} onClick={() => onMove(i, -1)}
                aria-label={t('accounts.form.moveUp', { codec })} title={t('accounts.form.moveUp', { codec })}>
                <ChevronUp size={16} aria-hidden="true" />
              </button>
              <button type="button" className="icon-button icon-button--small" aria-disabled={i === codecs.length - 1} onClick={() => onMove(i, 1)}
                aria-label={t('accounts.form.moveDown', { codec })} title={t('accounts.form.moveDown', { codec })}>
                <ChevronDown size={16} aria-hidden="true" />
              </button>
            </li>
          );
        })}
      </ol>
      {locked && !invalid && <p id="codecs-locked" className="field__hint">{t('settings.locked')}</p>}
      {invalid && <p id="codecs-error" className="field__hint field__hint--error">{t('accounts.form.errors.codecs')}</p>}
    </fieldset>
  );
}
