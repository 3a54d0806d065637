/** Settings: accounts (list or editor) and preferences, wired to `accounts.*` and `settings.set`. */
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountView } from '../../../src-main/contract/settings.js';
import { useLink } from '../../app/link-context.js';
import { request } from '../../app/request.js';
import { draftFrom, lockedAccountFields, toAccountInput, type AccountDraft, type DraftField } from './account-form.js';
import { AccountForm } from './AccountForm.js';
import { AccountList } from './AccountList.js';
import { countryOptions } from './countries.js';
import { PreferencesForm } from './PreferencesForm.js';
import { AudioSettingsContainer } from './AudioSettingsContainer.js';
import { CallHandlingContainer } from './CallHandlingContainer.js';
import { HeadsetSettingsContainer } from '../headset/HeadsetSettingsContainer.js';
import { DesktopSettingsContainer } from '../desktop/DesktopSettingsContainer.js';
import { useSettingsStore } from './settings-store.js';

interface Editing {
  draft: AccountDraft;
  hasPassword: boolean;
  /** The account as saved (undefined: a new account): its NAT settings, a TURN password kept. */
  stored: AccountView | undefined;
  /** The address the account is saved under (undefined: a new account). */
  storedAor: string | undefined;
  errors: Partial<Record<DraftField, true>>;
  saveError: string | undefined;
  saving: boolean;
}

export function SettingsContainer() {
  const { t, i18n } = useTranslation();
  const link = useLink();
  const accounts = useSettingsStore((s) => s.accounts);
  const settings = useSettingsStore((s) => s.settings);
  const setAccounts = useSettingsStore((s) => s.setAccounts);
  const setSettings = useSettingsStore((s) => s.setSettings);
  const locks = useSettingsStore((s) => s.locks);
  const managed = locks !== undefined;
  const lockedSettings = useMemo(() => new Set(locks?.settings ?? []), [locks]);
  const [editing, setEditing] = useState<Editing>();
  const title = useRef<HTMLHeadingElement>(null);
  /** Leaving the editor puts focus back at the top of Settings (the editor's controls are gone). */
  const close = () => {
    setEditing(undefined);
    requestAnimationFrame(() => title.current?.focus());
  };
  const countries = useMemo(() => countryOptions(i18n.language), [i18n.language]);

  const edit = (account: AccountView | undefined) => setEditing({
    draft: draftFrom(account, accounts.length === 0), hasPassword: account?.hasPassword ?? false, stored: account, storedAor: account?.aor,
    errors: {}, saveError: undefined, saving: false,
  });

  const save = async (): Promise<void> => {
    if (!editing) return;
    const checked = toAccountInput(editing.draft, editing.stored, lockedAccountFields(locks, editing.storedAor).has('natStun'));
    if (!checked.ok) {
      setEditing({ ...editing, errors: checked.errors });
      requestAnimationFrame(() => document.querySelector<HTMLElement>('.account-form [aria-invalid="true"]')?.focus());
      return;
    }
    setEditing({ ...editing, errors: {}, saving: true });
    const reply = await request(link, 'accounts.save', checked.input, { quiet: true });
    if (reply.ok) {
      close();
      const list = await request(link, 'accounts.list', {}, { quiet: true });
      if (list.ok) setAccounts(list.value);
    }
    else setEditing({ ...editing, errors: {}, saving: false, saveError: reply.error });
  };

  return (
    <div className="settings">
      <h1 className="view-title" ref={title} tabIndex={-1}>{t('settings.title')}</h1>
      {managed && <p className="settings-managed" role="note">{t('settings.managed')}</p>}
      {editing ? (
        <AccountForm
          draft={editing.draft}
          errors={editing.errors}
          hasPassword={editing.hasPassword}
          hasTurnPassword={editing.stored?.hasTurnPassword ?? false}
          countries={countries}
          saving={editing.saving}
          saveError={editing.saveError}
          onChange={(draft) => setEditing({ ...editing, draft })}
          onSubmit={() => void save()}
          onCancel={close}
          locked={lockedAccountFields(locks, editing.storedAor)}
        />
      ) : (
        <>
          <AccountList
            accounts={accounts}
            onAdd={() => edit(undefined)}
            onEdit={edit}
            onRemove={(a) => void request(link, 'accounts.remove', { key: a.key }).then(async (r) => {
              const list = r.ok ? await request(link, 'accounts.list', {}, { quiet: true }) : undefined;
              if (list?.ok) setAccounts(list.value);
            })}
          />
          <CallHandlingContainer />
          <AudioSettingsContainer />
          <PreferencesForm settings={settings} locked={lockedSettings} onChange={(patch) => void request(link, 'settings.set', patch).then((r) => { if (r.ok) setSettings(r.value); })} />
          <HeadsetSettingsContainer />
          <DesktopSettingsContainer />
        </>
      )}
    </div>
  );
}
