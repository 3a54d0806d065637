/**
 * The few strings main shows itself (OS notification); the renderer's own come from its i18n
 * catalogues. Same languages: English and French, following the setting, else the OS.
 */
export interface MainStrings {
  incomingCall: string;
  incomingCallOn(account: string): string;
}

const catalogue: Record<'en' | 'fr', MainStrings> = {
  en: { incomingCall: 'Incoming call', incomingCallOn: (account: string) => `Incoming call on ${account}` },
  fr: { incomingCall: 'Appel entrant', incomingCallOn: (account: string) => `Appel entrant sur ${account}` },
};

/** `setting` is the app's language setting (`system`, `en`, `fr`); `systemLanguages` the OS's, preferred first. */
export function mainStrings(setting: string | undefined, systemLanguages: readonly string[]): MainStrings {
  if (setting === 'en' || setting === 'fr') return catalogue[setting];
  for (const tag of systemLanguages) {
    const language = tag.toLowerCase().split(/[-_]/)[0];
    if (language === 'en' || language === 'fr') return catalogue[language];
  }
  return catalogue.en;
}
