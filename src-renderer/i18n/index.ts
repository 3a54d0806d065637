/**
 * i18next with the English and French catalogues. The catalogues also hold the controls'
 * accessible names: the English ones are exactly the stable names the issue lists (tests and
 * automation run in English and find controls by them), and French users get French names, so
 * screen readers read the language on screen. tests/unit/renderer/catalogues.test.ts pins them.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import fr from './fr.json';
import type { Language } from './language.js';

export const i18n = i18next.createInstance();

export async function initI18n(language: Language): Promise<void> {
  await i18n.use(initReactI18next).init({
    resources: { en: { translation: en }, fr: { translation: fr } },
    lng: language,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
  });
}
