/** The accounts with their live registration state, default badge, Edit and Remove (confirmed inline). */
import { Pencil, Plus, Star, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountView } from '../../../src-main/contract/settings.js';
import { registrationText } from './registration.js';
import { RegistrationIcon } from './RegistrationIcon.js';

export interface AccountListProps {
  accounts: AccountView[];
  onAdd(): void;
  onEdit(account: AccountView): void;
  onRemove(account: AccountView): void;
}

export const accountName = (a: AccountView): string => a.displayName || a.aor.replace(/^sips?:/i, '');

export function AccountList({ accounts, onAdd, onEdit, onRemove }: AccountListProps) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState<string>();
  return (
    <section className="settings-section" aria-labelledby="accounts-title">
      <div className="settings-section__head">
        <h2 id="accounts-title">{t('accounts.title')}</h2>
        <button type="button" className="button button--primary" onClick={onAdd}>
          <Plus size={16} aria-hidden="true" />{t('accounts.add')}
        </button>
      </div>
      {accounts.length === 0 && <p className="muted">{t('accounts.empty')}</p>}
      <ul className="account-list">
        {accounts.map((a) => {
          const reg = registrationText(a.registration);
          const name = accountName(a);
          return (
            <li key={a.key} className="account">
              <div className="account__main">
                <p className="account__name">
                  {name}
                  {a.isDefault && <span className="badge"><Star size={12} aria-hidden="true" />{t('accounts.default')}</span>}
                </p>
                {a.displayName && <p className="account__aor">{a.aor.replace(/^sips?:/i, '')}</p>}
                <p className={`registration registration--${reg.tone}`} title={a.registration.reason}>
                  <RegistrationIcon tone={reg.tone} />
                  {t(`accounts.registration.${reg.key}`, { status: reg.status })}
                </p>
              </div>
              {confirming === a.key ? (
                <div className="account__confirm" role="group" aria-label={t('accounts.removeConfirm', { name })}>
                  <p>{t('accounts.removeConfirm', { name })}</p>
                  <button type="button" className="button button--danger" onClick={() => { setConfirming(undefined); onRemove(a); }}>
                    {t('accounts.remove')}
                  </button>
                  <button type="button" className="button" onClick={() => setConfirming(undefined)} autoFocus>{t('accounts.keep')}</button>
                </div>
              ) : (
                <div className="account__actions">
                  <button type="button" className="icon-button" onClick={() => onEdit(a)} aria-label={t('accounts.editAccount', { name })} title={t('accounts.edit')}>
                    <Pencil size={18} aria-hidden="true" />
                  </button>
                  <button type="button" className="icon-button" onClick={() => setConfirming(a.key)} aria-label={t('accounts.removeAccount', { name })} title={t('accounts.remove')}>
                    <Trash2 size={18} aria-hidden="true" />
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
