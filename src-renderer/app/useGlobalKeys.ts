/** Window-level keyboard routing (see keyboard.ts): the DOM side. */
import { useEffect } from 'react';
import { formattingCountry } from '../features/dialpad/formatting-country.js';
import { insertAt } from '../features/dialpad/number.js';
import { useDialpadStore } from '../features/dialpad/dialpad-store.js';
import { useCallsStore } from '../features/calls/calls-store.js';
import { isCurrent } from '../features/calls/call-view.js';
import { useSettingsStore } from '../features/settings/settings-store.js';
import type { HostLink } from '../transport/link.js';
import { useAppStore, views } from './app-store.js';
import { routeKey } from './keyboard.js';
import { command } from './request.js';

export const CALL_SCOPE = 'data-call-scope';
/** Marks a view's search box (what `/` focuses). */
export const VIEW_SEARCH = 'data-view-search';

/** `/`: the History or Contacts search box (from other views, Contacts'). */
function focusSearch(): void {
  const app = useAppStore.getState();
  if (app.view !== 'history' && app.view !== 'contacts') app.setView('contacts');
  const tryFocus = (left: number): void => {
    const box = document.querySelector<HTMLElement>(`[${VIEW_SEARCH}]`);
    if (box) { box.focus(); return; }
    if (left > 0) setTimeout(() => tryFocus(left - 1), 30);
  };
  requestAnimationFrame(() => tryFocus(5));
}

function isEditable(el: Element | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  return el instanceof HTMLInputElement && !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file'].includes(el.type);
}

export function useGlobalKeys(link: HostLink): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || e.isComposing) return;
      // A modal dialog owns the keyboard (it closes itself on Escape).
      if (document.querySelector('dialog:modal')) return;
      const target = document.activeElement;
      const calls = useCallsStore.getState();
      const current = calls.live.find(isCurrent);
      const action = routeKey(
        { key: e.key, code: e.code, ctrl: e.ctrlKey, meta: e.metaKey, alt: e.altKey, editable: isEditable(target), inCallScope: !!target?.closest(`[${CALL_SCOPE}]`) },
        { keypadOpen: calls.panel?.kind === 'keypad', panelOpen: calls.panel !== undefined, hasCurrentCall: current !== undefined },
      );
      if (!action) return;
      e.preventDefault();
      if (action.kind === 'view') useAppStore.getState().setView(views[action.index]!);
      else if (action.kind === 'focus-search') focusSearch();
      else if (action.kind === 'hangup' && current) void command(link, { type: 'hangup', callId: current.id });
      else if (action.kind === 'close-panel') calls.openPanel(undefined);
      else if (action.kind === 'dtmf' && calls.panel) {
        calls.addTone(calls.panel.callId, action.digit);
        void command(link, { type: 'dtmf', callId: calls.panel.callId, digits: action.digit });
      } else if (action.kind === 'type') {
        const dialpad = useDialpadStore.getState();
        const country = formattingCountry(useSettingsStore.getState().accounts, navigator.languages);
        dialpad.setField(insertAt({ ...dialpad.field, caret: dialpad.field.display.length }, action.text, country));
        useAppStore.getState().setView('dialpad');
        dialpad.requestFocus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [link]);
}
