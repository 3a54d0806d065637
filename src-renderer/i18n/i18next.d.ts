// Typed catalogue keys: `t('call.hangUp')` is checked against en.json at compile time.
import 'i18next';
import type en from './en.json';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}
