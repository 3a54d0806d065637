/** Countries libphonenumber-js knows, named in the UI language (Intl.DisplayNames), sorted by name. */
import { getCountries } from 'libphonenumber-js';

export function countryOptions(language: string): { code: string; name: string }[] {
  const names = new Intl.DisplayNames([language], { type: 'region' });
  return getCountries()
    .map((code) => ({ code, name: names.of(code) ?? code }))
    .sort((a, b) => a.name.localeCompare(b.name, language));
}
