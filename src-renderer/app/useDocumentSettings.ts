/** Language, theme and title follow the settings (language: the OS's unless Settings picks one). */
import { useEffect } from 'react';
import { i18n } from '../i18n/index.js';
import { resolveLanguage } from '../i18n/language.js';
import { useSettingsStore } from '../features/settings/settings-store.js';

export function useDocumentSettings(): void {
  const language = useSettingsStore((s) => s.settings.language);
  const theme = useSettingsStore((s) => s.settings.theme);
  useEffect(() => {
    const apply = (): void => {
      const lng = resolveLanguage(language, navigator.languages);
      void i18n.changeLanguage(lng).then(() => {
        document.documentElement.lang = lng;
        document.title = i18n.t('app.title');
      });
    };
    apply();
    window.addEventListener('languagechange', apply);
    return () => window.removeEventListener('languagechange', apply);
  }, [language]);
  useEffect(() => {
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [theme]);
}
