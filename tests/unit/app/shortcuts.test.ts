/** Global shortcuts with a stubbed `globalShortcut`: off by default, collisions reported, the right command per call state. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { acceleratorSchema, defaultAppSettings } from '../../../src-main/contract/settings.js';
import { commandFor, GlobalShortcuts, normaliseAccelerator, type ShortcutAction } from '../../../src-main/app/shortcuts.js';
import { mainStrings } from '../../../src-main/app/strings.js';

function stubPort(taken: string[] = []) {
  const registered = new Map<string, () => void>();
  return {
    registered,
    port: {
      register: (accelerator: string, callback: () => void) => {
        if (taken.includes(accelerator) || registered.has(accelerator)) return false;
        registered.set(accelerator, callback);
        return true;
      },
      unregister: (accelerator: string) => void registered.delete(accelerator),
    },
  };
}

describe('global shortcuts', () => {
  it('are off by default: nothing registered', () => {
    const s = stubPort();
    const shortcuts = new GlobalShortcuts(s.port, () => undefined);
    assert.equal(defaultAppSettings.shortcuts.enabled, false);
    assert.deepEqual(shortcuts.apply(defaultAppSettings.shortcuts), []);
    assert.equal(s.registered.size, 0);
  });

  it('turned on, each accelerator runs its action; turned off, all are released', () => {
    const s = stubPort();
    const ran: ShortcutAction[] = [];
    const shortcuts = new GlobalShortcuts(s.port, (a) => ran.push(a));
    assert.deepEqual(shortcuts.apply({ ...defaultAppSettings.shortcuts, enabled: true }), []);
    assert.deepEqual([...s.registered.keys()], ['CommandOrControl+Alt+A', 'CommandOrControl+Alt+E', 'CommandOrControl+Alt+M', 'CommandOrControl+Alt+H']);
    s.registered.get('CommandOrControl+Alt+M')!();
    s.registered.get('CommandOrControl+Alt+A')!();
    assert.deepEqual(ran, ['mute', 'answer']);
    shortcuts.apply(defaultAppSettings.shortcuts);
    assert.equal(s.registered.size, 0);
  });

  it('a shortcut another application holds, or one set twice, is reported with a clear message', () => {
    const s = stubPort(['CommandOrControl+Alt+M']);
    const shortcuts = new GlobalShortcuts(s.port, () => undefined);
    const problems = shortcuts.apply({ ...defaultAppSettings.shortcuts, enabled: true, hold: 'CmdOrCtrl+alt+a' });
    assert.deepEqual(problems, [
      { action: 'mute', accelerator: 'CommandOrControl+Alt+M', reason: 'taken' },
      { action: 'hold', accelerator: 'CmdOrCtrl+alt+a', reason: 'duplicate' },
    ]);
    assert.equal(mainStrings('en', []).shortcutProblem(problems[0]!),
      'The shortcut CommandOrControl+Alt+M for Mute is used by another application or the system: choose another in Settings.');
    assert.match(mainStrings('fr', []).shortcutProblem(problems[1]!), /déjà attribué/);
    assert.deepEqual([...s.registered.keys()], ['CommandOrControl+Alt+A', 'CommandOrControl+Alt+E']);
  });

  it('unchanged settings are not registered again (no flicker, no repeated notices)', () => {
    const s = stubPort(['CommandOrControl+Alt+M']);
    const shortcuts = new GlobalShortcuts(s.port, () => undefined);
    const on = { ...defaultAppSettings.shortcuts, enabled: true };
    assert.equal(shortcuts.apply(on).length, 1);
    assert.equal(shortcuts.apply({ ...on }).length, 0);
  });

  it('what each shortcut does depends on the calls', () => {
    const ringing = { id: 'r', state: 'incoming', direction: 'incoming', onHold: false };
    const active = { id: 'a', state: 'active', direction: 'outgoing', onHold: false };
    const held = { id: 'h', state: 'held', direction: 'outgoing', onHold: true };
    assert.deepEqual(commandFor('answer', { muted: false, calls: [ringing] }), { type: 'answer', callId: 'r' });
    assert.equal(commandFor('answer', { muted: false, calls: [active] }), undefined);
    assert.deepEqual(commandFor('hangUp', { muted: false, calls: [active, ringing] }), { type: 'hangup', callId: 'a' });
    assert.deepEqual(commandFor('hangUp', { muted: false, calls: [ringing] }), { type: 'reject', callId: 'r' });
    assert.deepEqual(commandFor('mute', { muted: true, calls: [active] }), { type: 'unmute' });
    assert.equal(commandFor('mute', { muted: false, calls: [] }), undefined);
    assert.deepEqual(commandFor('hold', { muted: false, calls: [active] }), { type: 'hold', callId: 'a' });
    assert.deepEqual(commandFor('hold', { muted: false, calls: [held] }), { type: 'resume', callId: 'h' });
  });

  it('accelerators: a modifier and one key (a bare key would be taken from every app)', () => {
    for (const ok of ['CommandOrControl+Alt+A', 'Ctrl+Shift+F12', 'Alt+Space', 'Super+Shift+End']) assert.equal(acceleratorSchema.safeParse(ok).success, true, ok);
    for (const bad of ['A', 'Ctrl+', 'Ctrl+Alt+AB', 'Ctrl+Alt+é', '', 'Ctrl+Alt+A+B']) assert.equal(acceleratorSchema.safeParse(bad).success, false, bad);
    assert.equal(normaliseAccelerator('CmdOrCtrl+alt+Esc'), 'commandorcontrol+alt+escape');
  });
});
