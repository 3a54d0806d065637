/** The country numbers are formatted for: the dialling account's, else the OS locale's region. */
import type { AccountView } from '../../../src-main/contract/settings.js';
import { dialAccount } from '../settings/account-form.js';
import { localeCountry } from './number.js';

export function formattingCountry(accounts: AccountView[], languages: readonly string[]): string | undefined {
  return dialAccount(accounts)?.defaultCountry ?? localeCountry(languages);
}
