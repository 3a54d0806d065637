/** General: language and theme, each saved at once (`settings.set`); auto-hold is under Call handling. Locked ones show disabled. */
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../src-main/contract/settings.js';
import { Field } from '../../ui/Field.js';

export function PreferencesForm({ settings, onChange, locked }: {
  settings: Settings; onChange(patch: Partial<Settings>): void;
  /** Settings the administrator locked. */
  locked?: ReadonlySet<keyof Settings> | undefined;
}) {
  const { t } = useTranslation();
  const lockHint = (key: keyof Settings) => (locked?.has(key) ? t('settings.locked') : undefined);
  return (
    <section className="settings-section" aria-labelledby="preferences-title">
      <div className="settings-section__head"><h2 id="preferences-title">{t('settings.general')}</h2></div>
      <Field id="settings-language" label={t('settings.language')} hint={lockHint('language')}>
        <select className="select" value={settings.language} disabled={locked?.has('language')} onChange={(e) => onChange({ language: e.target.value as Settings['language'] })}>
          <option value="system">{t('settings.languageSystem')}</option>
          <option value="en" lang="en">{t('settings.languageEn')}</option>
          <option value="fr" lang="fr">{t('settings.languageFr')}</option>
        </select>
      </Field>
      <Field id="settings-theme" label={t('settings.theme')} hint={lockHint('theme')}>
        <select className="select" value={settings.theme} disabled={locked?.has('theme')} onChange={(e) => onChange({ theme: e.target.value as Settings['theme'] })}>
          <option value="system">{t('settings.themeSystem')}</option>
          <option value="light">{t('settings.themeLight')}</option>
          <option value="dark">{t('settings.themeDark')}</option>
        </select>
      </Field>
    </section>
  );
}
