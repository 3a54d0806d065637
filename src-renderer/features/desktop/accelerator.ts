/**
 * A pressed key combination → an Electron accelerator ("CommandOrControl+Alt+A"), for the
 * Settings fields that record a global shortcut. Ctrl or ⌘ both become CommandOrControl (one
 * setting works on every OS); the key comes from `code` (the physical key), so layouts and Shift
 * do not change it. Pure.
 */
import { acceleratorSchema } from '../../../src-main/contract/settings.js';

export interface KeyPress {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

const named: Record<string, string> = {
  Space: 'Space', Enter: 'Enter', NumpadEnter: 'Enter', Backspace: 'Backspace', Delete: 'Delete', Insert: 'Insert',
  ArrowUp: 'Up', ArrowDown: 'Down', ArrowLeft: 'Left', ArrowRight: 'Right', Home: 'Home', End: 'End',
  PageUp: 'PageUp', PageDown: 'PageDown', Escape: 'Escape', Tab: 'Tab',
  Minus: '-', Equal: '=', BracketLeft: '[', BracketRight: ']', Semicolon: ';', Quote: "'", Comma: ',', Period: '.',
  Slash: '/', Backquote: '`', Backslash: '\\',
};

function keyOf(code: string): string | undefined {
  const letter = /^Key([A-Z])$/.exec(code);
  if (letter) return letter[1];
  const digit = /^(?:Digit|Numpad)([0-9])$/.exec(code);
  if (digit) return digit[1];
  if (/^F([1-9]|1[0-9]|2[0-4])$/.test(code)) return code;
  return named[code];
}

/** The accelerator, or: 'modifier' (only modifiers so far — keep listening), 'invalid' (no modifier, or a key we cannot name). */
export function acceleratorFromKey(e: KeyPress): string | 'modifier' | 'invalid' {
  if (['Control', 'Meta', 'Alt', 'Shift', 'AltGraph', 'OS'].includes(e.key)) return 'modifier';
  const key = keyOf(e.code);
  const modifiers = [e.ctrlKey || e.metaKey ? 'CommandOrControl' : '', e.altKey ? 'Alt' : '', e.shiftKey ? 'Shift' : ''].filter(Boolean);
  if (!key || modifiers.length === 0) return 'invalid';
  const accelerator = [...modifiers, key].join('+');
  return acceleratorSchema.safeParse(accelerator).success ? accelerator : 'invalid';
}

/** How an accelerator reads on this OS: ⌘ on macOS, Ctrl elsewhere. */
export function displayAccelerator(accelerator: string, mac: boolean): string {
  return accelerator.split('+').map((p) => (/^(CommandOrControl|CmdOrCtrl)$/.test(p) ? (mac ? '⌘' : 'Ctrl') : p === 'Alt' && mac ? '⌥' : p === 'Shift' && mac ? '⇧' : p)).join(mac ? '' : '+');
}
