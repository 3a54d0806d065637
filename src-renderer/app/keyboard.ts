/**
 * What a key pressed in the main window does, decided without the DOM (so it is unit-tested):
 * typing dial characters anywhere goes to the Number field (or to DTMF while a line's keypad is
 * open), Esc closes a line's open panel (keypad, transfer) and otherwise hangs up the current call,
 * only from inside the call area or the dialpad. Keys typed
 * into a form control stay there; modified keys (shortcuts of the OS or the browser) are left alone,
 * except Ctrl/Cmd+1..6, which switch views (by physical key, so AZERTY's Ctrl+& works too), and
 * `/` outside a text field, which focuses the search box.
 */
export interface KeyInfo {
  key: string;
  ctrl: boolean;
  meta: boolean;
  alt: boolean;
  /** KeyboardEvent.code (the physical key), when known. */
  code?: string;
  /** Focus is in a text field, select or editable element. */
  editable: boolean;
  /** Focus is inside the call area or the dialpad. */
  inCallScope: boolean;
}

export interface KeyContext {
  keypadOpen: boolean;
  /** A line's keypad or transfer panel is open. */
  panelOpen?: boolean;
  hasCurrentCall: boolean;
}

export type KeyAction =
  | { kind: 'dtmf'; digit: string }
  | { kind: 'type'; text: string }
  | { kind: 'hangup' }
  | { kind: 'close-panel' }
  /** Ctrl/Cmd+1..6: Dialpad, History, Contacts, Team, Messages, Settings (0-based). */
  | { kind: 'view'; index: 0 | 1 | 2 | 3 | 4 | 5 }
  | { kind: 'focus-search' }
  | undefined;

const dialChar = /^[0-9*#+A-Za-z@.:_-]$/;

const viewKey = (k: KeyInfo): number | undefined => {
  const byCode = /^(?:Digit|Numpad)([1-6])$/.exec(k.code ?? '')?.[1];
  const digit = byCode ?? (/^[1-6]$/.test(k.key) ? k.key : undefined);
  return digit === undefined ? undefined : Number(digit) - 1;
};

export function routeKey(k: KeyInfo, ctx: KeyContext): KeyAction {
  if ((k.ctrl || k.meta) && !k.alt) {
    const index = viewKey(k);
    return index === undefined ? undefined : { kind: 'view', index: index as 0 | 1 | 2 | 3 | 4 | 5 };
  }
  if (k.ctrl || k.meta || k.alt) return undefined;
  if (k.key === '/' && !k.editable) return { kind: 'focus-search' };
  if (k.key === 'Escape') {
    if (!k.inCallScope) return undefined;
    if (ctx.panelOpen || ctx.keypadOpen) return { kind: 'close-panel' };
    return ctx.hasCurrentCall ? { kind: 'hangup' } : undefined;
  }
  if (k.editable || !dialChar.test(k.key)) return undefined;
  if (ctx.keypadOpen) return /^[0-9*#]$/.test(k.key) ? { kind: 'dtmf', digit: k.key } : undefined;
  return { kind: 'type', text: k.key };
}
