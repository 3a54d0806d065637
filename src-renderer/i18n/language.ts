/** Which catalogue to show: the Settings choice, else the first supported OS language, else English. */
export const supportedLanguages = ['en', 'fr'] as const;
export type Language = (typeof supportedLanguages)[number];

export function resolveLanguage(setting: 'system' | Language | undefined, osLanguages: readonly string[]): Language {
  if (setting && setting !== 'system') return setting;
  for (const tag of osLanguages) {
    const base = tag.toLowerCase().split('-')[0];
    const found = supportedLanguages.find((l) => l === base);
    if (found) return found;
  }
  return 'en';
}

/** The locale for Intl dates, times and numbers: the OS's regional variant of the UI language (en-GB), else the UI language. */
export function intlLocale(language: string, osLanguages: readonly string[]): string {
  const base = language.toLowerCase().split('-')[0];
  return osLanguages.find((tag) => tag.toLowerCase().split('-')[0] === base) ?? language;
}
