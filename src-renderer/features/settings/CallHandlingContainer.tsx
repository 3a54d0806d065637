/**
 * Call handling: toggles save at once; typed fields are checked as the user types and saved (after
 * a short pause) only when valid. The draft follows the stored settings while the user is not in it.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { SettingsPatch } from '../../../src-main/contract/settings.js';
import { useLink } from '../../app/link-context.js';
import { request } from '../../app/request.js';
import { dialAccount } from './account-form.js';
import { callHandlingDraft, checkCallHandling, type CallHandlingDraft, type CallHandlingErrors, type CallHandlingField } from './call-handling-form.js';
import { CallHandlingSettings } from './CallHandlingSettings.js';
import { useSettingsStore } from './settings-store.js';

export function CallHandlingContainer() {
  const link = useLink();
  const settings = useSettingsStore((s) => s.settings);
  const account = dialAccount(useSettingsStore((s) => s.accounts));
  const locks = useSettingsStore((s) => s.locks);
  const locked = useMemo(() => new Set(locks?.settings ?? []), [locks]);
  const [draft, setDraft] = useState(() => callHandlingDraft(settings));
  const inside = useRef(false);
  /** Errors show for fields the user has typed in (not for a field that just appeared empty). */
  const [touched, setTouched] = useState<Partial<Record<CallHandlingField, true>>>({});
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);

  useEffect(() => {
    if (!inside.current) setDraft(callHandlingDraft(settings));
  }, [settings]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const save = (patch: SettingsPatch) =>
    void request(link, 'settings.set', patch).then((r) => { if (r.ok) useSettingsStore.getState().setSettings(r.value); });
  const checked = checkCallHandling(draft, account);
  const onDraft = (next: CallHandlingDraft) => {
    const typed = (['forwardTarget', 'forwardSeconds', 'autoAnswerSeconds'] as const).filter((f) => next[f] !== draft[f]);
    if (typed.length > 0) setTouched((t) => ({ ...t, ...Object.fromEntries(typed.map((f) => [f, true])) }));
    setDraft(next);
    clearTimeout(timer.current);
    const result = checkCallHandling(next, account);
    if (result.ok) timer.current = setTimeout(() => save(result.patch), 400);
  };
  return (
    <div onFocus={() => { inside.current = true; }} onBlur={(e) => { if (!e.currentTarget.contains(e.relatedTarget)) inside.current = false; }}>
      <CallHandlingSettings
        settings={settings}
        draft={draft}
        errors={checked.ok ? {} : Object.fromEntries(Object.entries(checked.errors).filter(([f]) => touched[f as CallHandlingField])) as CallHandlingErrors}
        onToggle={save}
        onDraft={onDraft}
        locked={locked}
      />
    </div>
  );
}
