/**
 * "Call +33 1 23 45 67 89?" — asked when a tel:/sip: link opened the app. A link never dials by
 * itself: Not now is focused (a keystroke meant for another window cannot place a call), Esc
 * answers Not now and leaves the number in the dialpad to edit.
 */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import './link-prompt.css';

export interface DialLinkPromptProps {
  /** The number or address as the dialpad shows it. */
  target: string;
  onCall(): void;
  onCancel(): void;
}

export function DialLinkPrompt({ target, onCall, onCancel }: DialLinkPromptProps) {
  const { t } = useTranslation();
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  return (
    <div
      className="link-prompt" role="alertdialog" aria-modal="true" aria-labelledby="link-prompt-title" aria-describedby="link-prompt-body"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      <h2 id="link-prompt-title" className="link-prompt__title">{t('links.title', { target })}</h2>
      <p id="link-prompt-body" className="link-prompt__body">{t('links.body')}</p>
      <div className="link-prompt__actions">
        <button type="button" className="button" ref={cancel} onClick={onCancel}>{t('links.cancel')}</button>
        <button type="button" className="button button--primary" onClick={onCall}>{t('links.call')}</button>
      </div>
    </div>
  );
}
