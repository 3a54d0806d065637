/** One global shortcut: press the keys to record it (Tab moves on, Esc keeps the old one). */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../ui/Field.js';
import { acceleratorFromKey, displayAccelerator } from './accelerator.js';

export interface ShortcutFieldProps {
  id: string;
  label: string;
  value: string;
  mac: boolean;
  onChange(accelerator: string): void;
  /** Set by the administrator: shown, not recordable. */
  locked?: boolean | undefined;
}

export function ShortcutField({ id, label, value, mac, onChange, locked }: ShortcutFieldProps) {
  const { t } = useTranslation();
  const [error, setError] = useState(false);
  return (
    <Field id={id} label={label} hint={locked ? t('settings.locked') : t('desktop.shortcutHint')} error={error ? t('desktop.shortcutInvalid') : undefined}>
      <input
        className="text-input" type="text" readOnly value={displayAccelerator(value, mac)} disabled={locked}
        onKeyDown={(e) => {
          if (e.key === 'Tab' && !e.ctrlKey && !e.metaKey && !e.altKey) return;
          e.preventDefault();
          if (e.key === 'Escape' && !e.ctrlKey && !e.metaKey && !e.altKey && !e.shiftKey) {
            setError(false);
            return;
          }
          const accelerator = acceleratorFromKey(e);
          if (accelerator === 'modifier') return;
          setError(accelerator === 'invalid');
          if (accelerator !== 'invalid' && accelerator !== value) onChange(accelerator);
        }}
        onBlur={() => setError(false)}
      />
    </Field>
  );
}
