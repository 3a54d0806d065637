/** Dial a number or address typed or picked anywhere (contacts, suggestions): the dialpad's rules. */
import { useAppStore } from '../../app/app-store.js';
import { command } from '../../app/request.js';
import { i18n } from '../../i18n/index.js';
import type { HostLink } from '../../transport/link.js';
import { dialAccount } from '../settings/account-form.js';
import { useSettingsStore } from '../settings/settings-store.js';
import { dialTarget } from './number.js';

/** True when the dial went out; an unusable number or a missing account says why in a notice. */
export async function dialNumber(link: HostLink, text: string): Promise<boolean> {
  const account = dialAccount(useSettingsStore.getState().accounts);
  const target = dialTarget(text, account);
  if (!target.ok) {
    if (target.error !== 'empty') {
      useAppStore.getState().notify({ kind: 'core', text: i18n.t(target.error === 'no-account' ? 'dialpad.noAccount' : 'dialpad.invalid') });
    }
    return false;
  }
  const reply = await command(link, { type: 'dial', uri: target.uri, ...(account ? { account: account.key } : {}) });
  return reply.ok;
}
