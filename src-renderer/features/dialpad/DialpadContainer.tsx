/** Wires the dialpad to its slice, the accounts and the `dial`/`redial` commands. */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../app/app-store.js';
import { useLink } from '../../app/link-context.js';
import { command } from '../../app/request.js';
import { useCallsStore } from '../calls/calls-store.js';
import { dialAccount } from '../settings/account-form.js';
import { useSettingsStore } from '../settings/settings-store.js';
import { useDialpadStore } from './dialpad-store.js';
import { formattingCountry } from './formatting-country.js';
import { DialpadView } from './DialpadView.js';
import { applyEdit, dialTarget, emptyField, insertAt, normaliseNumber } from './number.js';
import { dialNumber } from './dial-number.js';
import { mergeSuggestions } from './suggestions.js';
import { request } from '../../app/request.js';

export function DialpadContainer() {
  const { t } = useTranslation();
  const link = useLink();
  const { field, error, focusPending, setField, setError, focusHandled } = useDialpadStore();
  const accounts = useSettingsStore((s) => s.accounts);
  const hasCalls = useCallsStore((s) => s.live.length > 0);
  const setView = useAppStore((s) => s.setView);
  const account = dialAccount(accounts);
  const country = formattingCountry(accounts, navigator.languages);
  const suggestions = useDialpadStore((s) => s.suggestions);
  const setSuggestions = useDialpadStore((s) => s.setSuggestions);

  // Suggestions while typing: contacts (name, company, digits) and recent calls' numbers.
  const typed = field.raw.trim();
  useEffect(() => {
    if (typed.length < 2) { setSuggestions([]); return; }
    let live = true;
    const timer = setTimeout(() => {
      void Promise.all([
        request(link, 'contacts.search', { query: typed, limit: 5 }, { quiet: true }),
        request(link, 'history.list', { search: typed, limit: 20 }, { quiet: true }),
      ]).then(([c, h]) => {
        if (live) setSuggestions(mergeSuggestions(typed, c.ok ? c.value.contacts : [], h.ok ? h.value.entries : []));
      });
    }, 150);
    return () => { live = false; clearTimeout(timer); };
  }, [link, typed, setSuggestions]);

  const call = async (): Promise<void> => {
    if (field.raw.trim() === '') {
      await command(link, { type: 'redial' });
      return;
    }
    const target = dialTarget(field.raw, account);
    if (!target.ok) {
      if (target.error !== 'empty') setError(target.error === 'no-account' ? 'no-account' : 'invalid');
      return;
    }
    const reply = await command(link, { type: 'dial', uri: target.uri, ...(account ? { account: account.key } : {}) });
    if (reply.ok) setField(emptyField);
  };

  return (
    <DialpadView
      field={{
        display: field.display,
        caret: field.caret,
        focusPending,
        onFocused: focusHandled,
        onEdit: (text, caret, inputType) => setField(applyEdit(field, text, caret, country, inputType)),
        onPaste: (text, start, end) => {
          const next = field.display.slice(0, start) + normaliseNumber(text) + field.display.slice(end);
          setField(applyEdit(field, next, next.length - (field.display.length - end), country));
        },
        onEnter: () => void call(),
      }}
      error={error === 'invalid' ? t('dialpad.invalid') : error === 'no-account' ? t('dialpad.noAccount') : undefined}
      fromAccount={accounts.length > 1 && account ? (account.displayName || account.aor.replace(/^sips?:/i, '')) : undefined}
      noAccount={accounts.length === 0}
      compact={hasCalls}
      onKey={(key) => setField(insertAt(field, key, country))}
      onCall={() => void call()}
      onRedial={() => void command(link, { type: 'redial' })}
      onDelete={() => {
        const at = Math.min(field.caret, field.display.length);
        if (at === 0) return;
        setField(applyEdit(field, field.display.slice(0, at - 1) + field.display.slice(at), at - 1, country, 'deleteContentBackward'));
      }}
      onAddAccount={() => setView('settings')}
      suggestions={suggestions}
      onSuggestion={(item) => {
        const sent = item.dial.kind === 'uri'
          ? command(link, { type: 'dial', uri: item.dial.uri, ...(account ? { account: account.key } : {}) }).then((r) => r.ok)
          : dialNumber(link, item.dial.text);
        void sent.then((ok) => { if (ok) setField(emptyField); });
      }}
    />
  );
}
