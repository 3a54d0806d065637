/** The Intl locale of the UI language (see intlLocale), re-read when the language changes. */
import { useTranslation } from 'react-i18next';
import { intlLocale } from '../i18n/language.js';

export function useLocale(): string {
  const { i18n } = useTranslation();
  return intlLocale(i18n.language, navigator.languages);
}
