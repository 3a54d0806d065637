/** An account's registration as a catalogue key (under `accounts.registration`) and its values. */
import type { AccountView } from '../../../src-main/contract/settings.js';

export interface RegistrationText {
  key: 'registered' | 'registering' | 'disabled' | 'unregistered' | 'wrongPassword' | 'forbidden'
    | 'unreachable' | 'refused';
  tone: 'ok' | 'busy' | 'off' | 'error';
  status: number | undefined;
}

export function registrationText(reg: AccountView['registration']): RegistrationText {
  const status = reg.status;
  switch (reg.state) {
    case 'registered': return { key: 'registered', tone: 'ok', status };
    case 'registering': return { key: 'registering', tone: 'busy', status };
    case 'disabled': return { key: 'disabled', tone: 'off', status };
    case 'unregistered': return { key: 'unregistered', tone: 'off', status };
    case 'failed':
      if (status === 401 || status === 407) return { key: 'wrongPassword', tone: 'error', status };
      if (status === 403) return { key: 'forbidden', tone: 'error', status };
      if (status === undefined || status === 408 || status === 503) return { key: 'unreachable', tone: 'error', status };
      return { key: 'refused', tone: 'error', status };
  }
}
