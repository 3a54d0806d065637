/** Do not disturb, forwarding, call waiting, auto-hold, auto-answer; typed fields show their errors. */
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../src-main/contract/settings.js';
import { Check, Field } from '../../ui/Field.js';
import type { CallHandlingDraft, CallHandlingErrors } from './call-handling-form.js';

export interface CallHandlingSettingsProps {
  settings: Pick<Settings, 'dnd' | 'callWaiting' | 'autoHold'>;
  draft: CallHandlingDraft;
  errors: CallHandlingErrors;
  onToggle(patch: Partial<Pick<Settings, 'dnd' | 'callWaiting' | 'autoHold'>>): void;
  onDraft(draft: CallHandlingDraft): void;
  /** Settings the administrator locked: shown disabled, saying why. */
  locked?: ReadonlySet<keyof Settings> | undefined;
}

export function CallHandlingSettings({ settings, draft, errors, onToggle, onDraft, locked }: CallHandlingSettingsProps) {
  const { t } = useTranslation();
  const isLocked = (key: keyof Settings) => locked?.has(key) ?? false;
  const lockHint = (key: keyof Settings) => (isLocked(key) ? t('settings.locked') : undefined);
  const err = (f: keyof CallHandlingErrors) => (errors[f] ? t(`settings.calls.errors.${errors[f]}`) : undefined);
  return (
    <section className="settings-section" aria-labelledby="calls-title">
      <div className="settings-section__head"><h2 id="calls-title">{t('settings.calls.title')}</h2></div>
      <Check id="calls-dnd" label={t('settings.calls.dnd')} checked={settings.dnd} onChange={(on) => onToggle({ dnd: on })} disabled={isLocked('dnd')} hint={lockHint('dnd')} />
      <Field id="calls-forward" label={t('settings.calls.forward')} hint={lockHint('forward')}>
        <select className="select" value={draft.forwardMode} disabled={isLocked('forward')} onChange={(e) => onDraft({ ...draft, forwardMode: e.target.value as CallHandlingDraft['forwardMode'] })}>
          {(['off', 'always', 'busy', 'no-answer'] as const).map((m) => <option key={m} value={m}>{t(`settings.calls.forwardModes.${m}`)}</option>)}
        </select>
      </Field>
      {draft.forwardMode !== 'off' && (
        <div className="settings-indent">
          <Field id="calls-forward-target" label={t('settings.calls.forwardTarget')} hint={t('settings.calls.forwardTargetHint')} error={err('forwardTarget')}>
            <input className="text-input" type="text" value={draft.forwardTarget} spellCheck={false} autoComplete="off" disabled={isLocked('forward')}
              placeholder="voicemail@pbx.example.com" onChange={(e) => onDraft({ ...draft, forwardTarget: e.target.value })} />
          </Field>
          {draft.forwardMode === 'no-answer' && (
            <Field id="calls-forward-seconds" label={t('settings.calls.forwardSeconds')} hint={t('settings.calls.secondsRange', { min: 5, max: 120 })} error={err('forwardSeconds')}>
              <input className="text-input text-input--short" type="text" inputMode="numeric" value={draft.forwardSeconds} disabled={isLocked('forward')}
                onChange={(e) => onDraft({ ...draft, forwardSeconds: e.target.value })} />
            </Field>
          )}
        </div>
      )}
      <Check id="calls-waiting" label={t('settings.calls.callWaiting')} checked={settings.callWaiting} onChange={(on) => onToggle({ callWaiting: on })}
        disabled={isLocked('callWaiting')} hint={lockHint('callWaiting')} />
      <Check id="settings-autohold" label={t('settings.autoHold')} checked={settings.autoHold} onChange={(on) => onToggle({ autoHold: on })}
        disabled={isLocked('autoHold')} hint={lockHint('autoHold')} />
      <Field id="calls-auto-answer" label={t('settings.calls.autoAnswer')} hint={lockHint('autoAnswer')}>
        <select className="select" value={draft.autoAnswerMode} disabled={isLocked('autoAnswer')} onChange={(e) => onDraft({ ...draft, autoAnswerMode: e.target.value as CallHandlingDraft['autoAnswerMode'] })}>
          {(['off', 'after', 'pbx'] as const).map((m) => <option key={m} value={m}>{t(`settings.calls.autoAnswerModes.${m}`)}</option>)}
        </select>
      </Field>
      {draft.autoAnswerMode === 'after' && (
        <div className="settings-indent">
          <Field id="calls-auto-answer-seconds" label={t('settings.calls.autoAnswerSeconds')} hint={t('settings.calls.secondsRange', { min: 0, max: 60 })} error={err('autoAnswerSeconds')}>
            <input className="text-input text-input--short" type="text" inputMode="numeric" value={draft.autoAnswerSeconds} disabled={isLocked('autoAnswer')}
              onChange={(e) => onDraft({ ...draft, autoAnswerSeconds: e.target.value })} />
          </Field>
        </div>
      )}
    </section>
  );
}
