/**
 * Global shortcuts (answer, hang up, mute, hold) for the Electron host: off by default, the
 * accelerators from Settings. Registered again whenever those settings change; a shortcut that
 * another application (or the OS) already holds, or that two actions share, is not taken, and
 * the user is told which one and why. Electron's `globalShortcut` comes in as a port.
 */
import type { Command } from '../contract/calls.js';
import type { Settings } from '../contract/settings.js';

export type ShortcutAction = 'answer' | 'hangUp' | 'mute' | 'hold';
export const shortcutActions: readonly ShortcutAction[] = ['answer', 'hangUp', 'mute', 'hold'];

export interface ShortcutPort {
  /** false when the accelerator is taken (Electron's `globalShortcut.register`). */
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
}

export type ShortcutProblem = { action: ShortcutAction; accelerator: string; reason: 'taken' | 'duplicate' };

/** Accelerators compare without case and with CmdOrCtrl spelled out. */
export function normaliseAccelerator(accelerator: string): string {
  return accelerator.split('+').map((part) => {
    const p = part.trim().toLowerCase();
    return p === 'cmdorctrl' ? 'commandorcontrol' : p === 'cmd' ? 'command' : p === 'ctrl' ? 'control' : p === 'esc' ? 'escape' : p === 'return' ? 'enter' : p;
  }).join('+');
}

/** What the phone does for a shortcut, from its state (mute and hold toggle). */
export function commandFor(action: ShortcutAction, state: { muted: boolean; calls: readonly { id: string; state: string; direction: string; onHold: boolean }[] }): Command | undefined {
  const ringing = state.calls.find((c) => c.direction === 'incoming' && c.state === 'incoming');
  const active = state.calls.find((c) => c.state !== 'incoming' && c.state !== 'ended' && !c.onHold);
  const held = state.calls.find((c) => c.onHold && c.state !== 'ended');
  switch (action) {
    case 'answer': return ringing ? { type: 'answer', callId: ringing.id } : undefined;
    case 'hangUp': return active ? { type: 'hangup', callId: active.id } : ringing ? { type: 'reject', callId: ringing.id } : undefined;
    case 'mute': return state.calls.length > 0 ? { type: state.muted ? 'unmute' : 'mute' } : undefined;
    case 'hold': return active ? { type: 'hold', callId: active.id } : held ? { type: 'resume', callId: held.id } : undefined;
  }
}

export class GlobalShortcuts {
  #registered: string[] = [];
  #applied: string | undefined;

  constructor(private readonly port: ShortcutPort, private readonly run: (action: ShortcutAction) => void) {}

  /** Registers the shortcuts of `settings` (nothing when off); returns what could not be taken. */
  apply(settings: Settings['shortcuts']): ShortcutProblem[] {
    const key = JSON.stringify(settings);
    if (key === this.#applied) return [];
    this.#applied = key;
    this.clear();
    if (!settings.enabled) return [];
    const problems: ShortcutProblem[] = [];
    const seen = new Set<string>();
    for (const action of shortcutActions) {
      const accelerator = settings[action];
      const normal = normaliseAccelerator(accelerator);
      if (seen.has(normal)) {
        problems.push({ action, accelerator, reason: 'duplicate' });
        continue;
      }
      seen.add(normal);
      let ok = false;
      try {
        ok = this.port.register(accelerator, () => this.run(action));
      } catch {
        ok = false;
      }
      if (ok) this.#registered.push(accelerator);
      else problems.push({ action, accelerator, reason: 'taken' });
    }
    return problems;
  }

  clear(): void {
    for (const accelerator of this.#registered) this.port.unregister(accelerator);
    this.#registered = [];
  }
}
