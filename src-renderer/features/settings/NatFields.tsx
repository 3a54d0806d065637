/**
 * The account editor's "Network (NAT traversal)" group (issue 13): ICE on/off, STUN and TURN
 * servers, the TURN user name and write-only password, relay only. Presentational: the draft in,
 * changes out; fields the administrator gave show disabled, saying so.
 */
import { useTranslation } from 'react-i18next';
import { Check, Field } from '../../ui/Field.js';
import type { AccountDraft, DraftField } from './account-form.js';

type NatField = 'natIce' | 'natStun' | 'natTurn' | 'natTurnUsername' | 'turnPassword' | 'natRelayOnly';

export interface NatFieldsProps {
  draft: AccountDraft;
  errors: Partial<Record<DraftField, true>>;
  hasTurnPassword: boolean;
  isLocked(key: DraftField): boolean;
  set<K extends DraftField>(key: K, value: AccountDraft[K]): void;
}

export function NatFields({ draft, errors, hasTurnPassword, isLocked, set }: NatFieldsProps) {
  const { t } = useTranslation();
  const hint = (key: DraftField, text?: string) => (isLocked(key) ? t('settings.locked') : text);
  const error = (key: NatField) => (errors[key] ? t(`accounts.form.nat.errors.${key}`) : undefined);
  const text = (key: 'natStun' | 'natTurn' | 'natTurnUsername', id: string, placeholder?: string, hintText?: string) => (
    <Field id={id} label={t(`accounts.form.nat.${key}`)} hint={hint(key, hintText)} error={error(key)}>
      <input className="text-input" type="text" value={draft[key]} spellCheck={false} autoComplete="off" maxLength={300}
        placeholder={placeholder} disabled={isLocked(key)} onChange={(e) => set(key, e.target.value)} />
    </Field>
  );
  return (
    <fieldset className="form-group">
      <legend>{t('accounts.form.nat.title')}</legend>
      <Check id="account-nat-ice" label={t('accounts.form.nat.natIce')} checked={draft.natIce} disabled={isLocked('natIce')}
        hint={hint('natIce', t('accounts.form.nat.natIceHint'))} onChange={(on) => set('natIce', on)} />
      {text('natStun', 'account-nat-stun', 'stun:stun.example.com', t('accounts.form.nat.natStunHint'))}
      {text('natTurn', 'account-nat-turn', 'turn:turn.example.com?transport=udp', t('accounts.form.nat.natTurnHint'))}
      {text('natTurnUsername', 'account-nat-turn-username')}
      <Field id="account-nat-turn-password" label={t('accounts.form.nat.turnPassword')}
        hint={hasTurnPassword ? t('accounts.form.nat.turnPasswordHint') : undefined} error={error('turnPassword')}>
        <input className="text-input" type="password" value={draft.turnPassword} autoComplete="new-password" maxLength={256}
          placeholder={hasTurnPassword ? t('accounts.form.passwordStored') : undefined} onChange={(e) => set('turnPassword', e.target.value)} />
      </Field>
      <Check id="account-nat-relay" label={t('accounts.form.nat.natRelayOnly')} checked={draft.natRelayOnly} disabled={isLocked('natRelayOnly')}
        hint={hint('natRelayOnly', t('accounts.form.nat.natRelayOnlyHint'))} error={error('natRelayOnly')} onChange={(on) => set('natRelayOnly', on)} />
    </fieldset>
  );
}
