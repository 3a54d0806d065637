/** Title bar: the app's name, voicemail and "My status", and the dialling account with its registration state. */
import { Phone } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { AccountView } from '../../src-main/contract/settings.js';
import { HeaderPresence } from '../features/presence/HeaderPresence.js';
import { accountName } from '../features/settings/AccountList.js';
import { registrationText } from '../features/settings/registration.js';
import { RegistrationIcon } from '../features/settings/RegistrationIcon.js';

export function Header({ account, onOpenSettings }: { account: AccountView | undefined; onOpenSettings(): void }) {
  const { t } = useTranslation();
  const reg = account ? registrationText(account.registration) : undefined;
  return (
    <header className="header">
      <p className="header__brand">
        <span className="header__logo" aria-hidden="true"><Phone size={14} strokeWidth={2.5} /></span>
        <span className="header__brand-name">{t('app.title')}</span>
      </p>
      <HeaderPresence />
      {account && reg && (
        <button type="button" className="header__account" onClick={onOpenSettings} title={t(`accounts.registration.${reg.key}`, { status: reg.status })}>
          <RegistrationIcon tone={reg.tone} />
          <span className="header__account-name">{accountName(account)}</span>
          <span className="visually-hidden">, {t(`accounts.registration.${reg.key}`, { status: reg.status })}</span>
        </button>
      )}
    </header>
  );
}
