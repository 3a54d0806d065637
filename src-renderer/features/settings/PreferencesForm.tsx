/** General: language and theme, each saved at once (`settings.set`); auto-hold is under Call handling. */
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../src-main/contract/settings.js';
import { Field } from '../../ui/Field.js';

export function PreferencesForm({ settings, onChange }: { settings: Settings; onChange(patch: Partial<Settings>): void }) {
  const { t } = useTranslation();
  return (
    <section className="settings-section" aria-labelledby="preferences-title">
      <div className="settings-section__head"><h2 id="preferences-title">{t('settings.general')}</h2></div>
      <Field id="settings-language" label={t('settings.language')}>
        <select className="select" value={settings.language} onChange={(e) => onChange({ language: e.target.value as Settings['language'] })}>
          <option value="system">{t('settings.languageSystem')}</option>
          <option value="en" lang="en">{t('settings.languageEn')}</option>
          <option value="fr" lang="fr">{t('settings.languageFr')}</option>
        </select>
      </Field>
      <Field id="settings-theme" label={t('settings.theme')}>
        <select className="select" value={settings.theme} onChange={(e) => onChange({ theme: e.target.value as Settings['theme'] })}>
          <option value="system">{t('settings.themeSystem')}</option>
          <option value="light">{t('settings.themeLight')}</option>
          <option value="dark">{t('settings.themeDark')}</option>
        </select>
      </Field>
    </section>
  );
}
