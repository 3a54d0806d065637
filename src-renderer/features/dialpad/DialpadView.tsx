/** The dialpad screen: Number field, keypad (hidden while calls are on screen), Call, Redial, Delete. */
import { Delete, Phone, RotateCcw } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Keypad } from '../../ui/Keypad.js';
import { NumberField, type NumberFieldProps } from './NumberField.js';
import type { Suggestion } from './suggestions.js';
import { Suggestions } from './Suggestions.js';

export interface DialpadViewProps {
  field: Omit<NumberFieldProps, 'label' | 'placeholder' | 'errorId'>;
  error: string | undefined;
  fromAccount: string | undefined;
  noAccount: boolean;
  compact: boolean;
  onKey(key: string): void;
  onCall(): void;
  onRedial(): void;
  onDelete(): void;
  onAddAccount(): void;
  suggestions: readonly Suggestion[];
  onSuggestion(item: Suggestion): void;
}

export function DialpadView(props: DialpadViewProps) {
  const { t } = useTranslation();
  const errorId = props.error ? 'dialpad-error' : undefined;
  return (
    <div className={`dialpad ${props.compact ? 'dialpad--compact' : ''}`}>
      <h1 className="visually-hidden">{t('nav.dialpad')}</h1>
      <div className="dialpad__entry" onKeyDown={(e) => {
        if (e.key === 'ArrowDown' && e.target instanceof HTMLInputElement) {
          const first = e.currentTarget.querySelector<HTMLElement>('.suggestions__item');
          if (first) { e.preventDefault(); first.focus(); }
        }
      }}>
        <NumberField {...props.field} label={t('dialpad.number')} placeholder={t('dialpad.placeholder')} errorId={errorId} />
        {props.field.display !== '' && (
          <button type="button" className="icon-button" onClick={props.onDelete} aria-label={t('dialpad.delete')} title={t('dialpad.delete')}>
            <Delete size={20} aria-hidden="true" />
          </button>
        )}
        <Suggestions label={t('dialpad.suggestions')} items={props.field.display.trim() === '' ? [] : props.suggestions} onPick={props.onSuggestion}
          onLeave={() => document.querySelector<HTMLInputElement>('.number-field')?.focus()} />
      </div>
      <p className="dialpad__hint" id={errorId} role={props.error ? 'alert' : undefined}>
        {props.error ?? (props.fromAccount ? t('dialpad.from', { account: props.fromAccount }) : '')}
      </p>
      {props.noAccount && (
        <p className="dialpad__notice">
          {t('dialpad.noAccount')}{' '}
          <button type="button" className="link-button" onClick={props.onAddAccount}>{t('dialpad.addAccount')}</button>
        </p>
      )}
      {!props.compact && <Keypad label={t('dialpad.keys')} onKey={props.onKey} size="large" />}
      <div className="dialpad__actions">
        <button type="button" className="round-button round-button--quiet" onClick={props.onRedial} aria-label={t('dialpad.redial')} title={t('dialpad.redial')}>
          <RotateCcw size={22} aria-hidden="true" />
        </button>
        <button type="button" className="round-button round-button--accept" onClick={props.onCall} aria-label={t('dialpad.call')}>
          <Phone size={26} aria-hidden="true" />
        </button>
        <span className="round-button round-button--spacer" aria-hidden="true" />
      </div>
    </div>
  );
}
