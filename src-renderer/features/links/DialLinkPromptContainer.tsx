/** Wires the link question to the links slice, the dialpad and the `dial` command. */
import { useLink } from '../../app/link-context.js';
import { command } from '../../app/request.js';
import { useDialpadStore } from '../dialpad/dialpad-store.js';
import { dialTarget, emptyField } from '../dialpad/number.js';
import { dialAccount } from '../settings/account-form.js';
import { useSettingsStore } from '../settings/settings-store.js';
import { DialLinkPrompt } from './DialLinkPrompt.js';
import { useLinkStore } from './link-store.js';

export function DialLinkPromptContainer() {
  const link = useLink();
  const { pending, settle } = useLinkStore();
  const accounts = useSettingsStore((s) => s.accounts);
  const { field, setField, setError } = useDialpadStore();
  if (!pending) return null;

  const call = async (): Promise<void> => {
    settle();
    const account = dialAccount(accounts);
    const target = dialTarget(field.raw || pending, account);
    if (!target.ok) {
      if (target.error !== 'empty') setError(target.error === 'no-account' ? 'no-account' : 'invalid');
      return;
    }
    const reply = await command(link, { type: 'dial', uri: target.uri, ...(account ? { account: account.key } : {}) });
    if (reply.ok) setField(emptyField);
  };
  return <DialLinkPrompt target={field.display || pending} onCall={() => void call()} onCancel={settle} />;
}
