/**
 * Decoded input fields → what the user did, per the control's HUT form (usage-map.ts):
 * a switch reports a state (every report, so the controller can compare it with the host's),
 * a toggle button or an array entry reports a press, on/off buttons report on (+1) or off (−1).
 * Buttons declared as switches (Plantronics' Flash) act on the rising edge only, so this keeps
 * the last value of each.
 */
import type { InputControl } from './hid-usages.js';
import type { InputSample } from './report-codec.js';

export type HeadsetSignal =
  /** A hook switch reporting its state: off-hook (1) or on-hook (0). */
  | { type: 'hook'; offHook: boolean }
  /** A toggle hook button: flip the hook. */
  | { type: 'hook-press' }
  /** A mute switch reporting its state. */
  | { type: 'mute'; on: boolean }
  /** A mute toggle button. */
  | { type: 'mute-press' }
  | { type: 'flash' }
  | { type: 'redial' }
  | { type: 'drop' }
  /** Line Busy Tone: headsets send it to refuse a ringing call. */
  | { type: 'busy' };

const pressOf: Record<Exclude<InputControl, 'hookSwitch' | 'phoneMute'>, HeadsetSignal> = {
  flash: { type: 'flash' }, redial: { type: 'redial' }, drop: { type: 'drop' }, lineBusyTone: { type: 'busy' },
};

export class SignalReader {
  private readonly last = new Map<InputControl, number>();

  read(samples: readonly InputSample[]): HeadsetSignal[] {
    const signals: HeadsetSignal[] = [];
    for (const { control, form, value } of samples) {
      const before = this.last.get(control) ?? 0;
      this.last.set(control, value);
      if (control === 'hookSwitch' || control === 'phoneMute') {
        const hook = control === 'hookSwitch';
        if (form === 'switch') signals.push(hook ? { type: 'hook', offHook: value !== 0 } : { type: 'mute', on: value !== 0 });
        else if (form === 'on-off' && value !== 0) signals.push(hook ? { type: 'hook', offHook: value > 0 } : { type: 'mute', on: value > 0 });
        else if ((form === 'toggle' || form === 'momentary') && value > 0) signals.push({ type: hook ? 'hook-press' : 'mute-press' });
      } else {
        const pressed = form === 'switch' ? value !== 0 && before === 0 : value > 0;
        if (pressed) signals.push(pressOf[control]);
      }
    }
    return signals;
  }
}
