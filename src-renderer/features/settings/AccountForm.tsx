/**
 * The account editor (presentational): a draft in, changes and submit out. Fields the administrator
 * set (an administrator's account, or a policy on every account) show disabled, saying so.
 */
import { useTranslation } from 'react-i18next';
import { Check, Field } from '../../ui/Field.js';
import { moveCodec, type AccountDraft, type DraftField } from './account-form.js';
import { CodecOrder } from './CodecOrder.js';
import { NatFields } from './NatFields.js';

export interface AccountFormProps {
  draft: AccountDraft;
  errors: Partial<Record<DraftField, true>>;
  hasPassword: boolean;
  /** A TURN password is stored (the field stays empty: write-only). */
  hasTurnPassword: boolean;
  countries: { code: string; name: string }[];
  saving: boolean;
  saveError: string | undefined;
  onChange(draft: AccountDraft): void;
  onSubmit(): void;
  onCancel(): void;
  /** Fields set by the administrator. */
  locked?: ReadonlySet<DraftField> | undefined;
}

export function AccountForm({ draft, errors, hasPassword, hasTurnPassword, countries, saving, saveError, onChange, onSubmit, onCancel, locked }: AccountFormProps) {
  const { t } = useTranslation();
  const isLocked = (key: DraftField) => locked?.has(key) ?? false;
  const lockHint = (key: DraftField, hint?: string) => (isLocked(key) ? t('settings.locked') : hint);
  const set = <K extends DraftField>(key: K, value: AccountDraft[K]) => onChange({ ...draft, [key]: value });
  const text = (key: 'aor' | 'displayName' | 'username' | 'registrar' | 'outboundProxy', hint?: string, placeholder?: string) => (
    <Field id={`account-${key}`} label={t(`accounts.form.${key}`)} hint={lockHint(key, hint)}
      error={errors[key] ? t(`accounts.form.errors.${key}`) : undefined}>
      <input className="text-input" type="text" value={draft[key]} spellCheck={false} autoComplete="off"
        placeholder={placeholder} onChange={(e) => set(key, e.target.value)} required={key === 'aor'}
        autoFocus={key === 'aor' && !isLocked('aor')} disabled={isLocked(key)} />
    </Field>
  );
  return (
    <form className="account-form" noValidate onSubmit={(e) => { e.preventDefault(); onSubmit(); }}
      onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); onCancel(); } }}>
      <h2>{t(draft.key ? 'accounts.form.editTitle' : 'accounts.form.newTitle')}</h2>
      {text('aor', t('accounts.form.aorHint'), 'sip:1001@pbx.example.com')}
      {text('displayName')}
      {text('username', t('accounts.form.usernameHint'))}
      <Field id="account-password" label={t('accounts.form.password')}
        hint={hasPassword ? t('accounts.form.passwordHint') : undefined}
        error={errors.password ? t('accounts.form.errors.password') : undefined}>
        <input className="text-input" type="password" value={draft.password} autoComplete="new-password"
          placeholder={hasPassword ? t('accounts.form.passwordStored') : undefined} onChange={(e) => set('password', e.target.value)} />
      </Field>
      <h3>{t('accounts.form.server')}</h3>
      {text('registrar', t('accounts.form.registrarHint'))}
      {text('outboundProxy')}
      <Field id="account-transport" label={t('accounts.form.transport')} hint={lockHint('transport')}>
        <select className="select" value={draft.transport} disabled={isLocked('transport')} onChange={(e) => set('transport', e.target.value as AccountDraft['transport'])}>
          <option value="udp">UDP</option>
          <option value="tcp">TCP</option>
          <option value="tls">TLS</option>
        </select>
      </Field>
      <h3>{t('accounts.form.media')}</h3>
      <Field id="account-srtp" label={t('accounts.form.srtp')} hint={lockHint('srtp')}>
        <select className="select" value={draft.srtp} disabled={isLocked('srtp')} onChange={(e) => set('srtp', e.target.value as AccountDraft['srtp'])}>
          <option value="off">{t('accounts.form.srtpOff')}</option>
          <option value="optional">{t('accounts.form.srtpOptional')}</option>
          <option value="required">{t('accounts.form.srtpRequired')}</option>
        </select>
      </Field>
      <CodecOrder
        codecs={draft.codecs}
        invalid={!!errors.codecs}
        locked={isLocked('codecs')}
        onToggle={(i, on) => set('codecs', draft.codecs.map((c, j) => (j === i ? { ...c, enabled: on } : c)))}
        onMove={(i, by) => onChange(moveCodec(draft, i, by))}
      />
      <Field id="account-country" label={t('accounts.form.defaultCountry')} hint={lockHint('defaultCountry')}
        error={errors.defaultCountry ? t('accounts.form.errors.defaultCountry') : undefined}>
        <select className="select" value={draft.defaultCountry} disabled={isLocked('defaultCountry')} onChange={(e) => set('defaultCountry', e.target.value)}>
          <option value="">{t('accounts.form.noCountry')}</option>
          {countries.map((c) => <option key={c.code} value={c.code}>{c.name}</option>)}
        </select>
      </Field>
      <NatFields draft={draft} errors={errors} hasTurnPassword={hasTurnPassword} isLocked={isLocked} set={set} />
      <h3>{t('accounts.form.policies')}</h3>
      <Field id="account-incoming-policy" label={t('accounts.form.incomingCallPolicy')} hint={lockHint('incomingCallPolicy')}>
        <select className="select" value={draft.incomingCallPolicy} disabled={isLocked('incomingCallPolicy')} onChange={(e) => set('incomingCallPolicy', e.target.value as AccountDraft['incomingCallPolicy'])}>
          <option value="">{t('accounts.form.incoming.trusted')}</option>
          <option value="trusted-or-addressed">{t('accounts.form.incoming.trustedOrAddressed')}</option>
          <option value="any">{t('accounts.form.incoming.any')}</option>
        </select>
      </Field>
      <Field id="account-transfer-policy" label={t('accounts.form.transferPolicy')} hint={lockHint('transferPolicy')}>
        <select className="select" value={draft.transferPolicy} disabled={isLocked('transferPolicy')} onChange={(e) => set('transferPolicy', e.target.value as AccountDraft['transferPolicy'])}>
          <option value="">{t('accounts.form.transfer.domain')}</option>
          <option value="ask">{t('accounts.form.transfer.ask')}</option>
          <option value="any">{t('accounts.form.transfer.any')}</option>
        </select>
      </Field>
      <Field id="account-auto-answer" label={t('accounts.form.autoAnswerRequests')} hint={lockHint('autoAnswerRequests')}>
        <select className="select" value={draft.autoAnswerRequests} disabled={isLocked('autoAnswerRequests')} onChange={(e) => set('autoAnswerRequests', e.target.value as AccountDraft['autoAnswerRequests'])}>
          <option value="">{t('accounts.form.autoAnswer.pbx')}</option>
          <option value="never">{t('accounts.form.autoAnswer.never')}</option>
        </select>
      </Field>
      <Check id="account-enabled" label={t('accounts.form.enabled')} checked={draft.enabled} onChange={(on) => set('enabled', on)} />
      <Check id="account-default" label={t('accounts.form.isDefault')} checked={draft.isDefault} onChange={(on) => set('isDefault', on)} />
      {saveError && <p className="form-error" role="alert">{t('accounts.form.saveFailed', { error: saveError })}</p>}
      <div className="form-actions">
        <button type="button" className="button" onClick={onCancel}>{t('accounts.form.cancel')}</button>
        <button type="submit" className="button button--primary" disabled={saving}>{t('accounts.form.save')}</button>
      </div>
    </form>
  );
}
