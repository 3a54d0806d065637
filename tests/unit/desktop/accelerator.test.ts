import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { acceleratorFromKey, displayAccelerator } from '../../../src-renderer/features/desktop/accelerator.js';

const press = (code: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {}, key = 'x') =>
  ({ key, code, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });

describe('recording a global shortcut from a key press', () => {
  it('Ctrl or ⌘ both record CommandOrControl; the physical key names the key', () => {
    assert.equal(acceleratorFromKey(press('KeyA', { ctrlKey: true, altKey: true })), 'CommandOrControl+Alt+A');
    assert.equal(acceleratorFromKey(press('KeyA', { metaKey: true, shiftKey: true }, 'A')), 'CommandOrControl+Shift+A');
    assert.equal(acceleratorFromKey(press('Digit7', { altKey: true }, '&')), 'Alt+7', 'an AZERTY digit row still records the digit');
    assert.equal(acceleratorFromKey(press('F12', { ctrlKey: true })), 'CommandOrControl+F12');
    assert.equal(acceleratorFromKey(press('ArrowUp', { ctrlKey: true, shiftKey: true })), 'CommandOrControl+Shift+Up');
  });
  it('modifiers alone keep listening; a bare key or an unknown key is refused', () => {
    assert.equal(acceleratorFromKey(press('ControlLeft', { ctrlKey: true }, 'Control')), 'modifier');
    assert.equal(acceleratorFromKey(press('KeyA')), 'invalid');
    assert.equal(acceleratorFromKey(press('IntlBackslash', { ctrlKey: true })), 'invalid');
  });
  it('reads as the OS writes it', () => {
    assert.equal(displayAccelerator('CommandOrControl+Alt+A', false), 'Ctrl+Alt+A');
    assert.equal(displayAccelerator('CommandOrControl+Shift+M', true), '⌘⇧M');
  });
});
