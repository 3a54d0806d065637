/** The app's settings turned into what the call manager, the call policy and the devices use. */
import type { CallManagerSettings } from '../calls/call-manager.js';
import type { DeviceSelection } from '../media/engine/protocol.js';
import type { AudioProcessing, Settings } from '../contract/settings.js';
import type { CallAutomation } from './call-policy.js';

/** Host flags (the CLI's --no-auto-hold, --forward, --auto-answer) as settings for this run. */
export interface HostCallOptions extends CallAutomation {
  autoHold?: boolean;
  forward?: { mode: 'always' | 'busy' | 'no-answer'; target: string; noAnswerSeconds: number };
}

export function hostOverrides(o: HostCallOptions | undefined): Partial<Settings> {
  return {
    ...(o?.autoHold !== undefined ? { autoHold: o.autoHold } : {}),
    ...(o?.forward ? { forward: o.forward } : {}),
    ...(o?.autoAnswerMs !== undefined ? { autoAnswer: { mode: 'after' as const, afterMs: o.autoAnswerMs } } : {}),
  };
}

export function callManagerSettings(s: Settings): Pick<CallManagerSettings, 'autoHold' | 'dnd' | 'forward' | 'callWaiting' | 'honorAutoAnswerRequests'> {
  return {
    autoHold: s.autoHold,
    dnd: s.dnd ? 486 : false,
    forward: s.forward.mode === 'off' ? undefined : { mode: s.forward.mode, target: s.forward.target, noAnswerSeconds: s.forward.noAnswerSeconds },
    callWaiting: s.callWaiting,
    honorAutoAnswerRequests: s.autoAnswer.mode !== 'off',
  };
}

export function automation(s: Settings, o: HostCallOptions | undefined): CallAutomation {
  return {
    ...(s.autoAnswer.mode === 'after' ? { autoAnswerMs: s.autoAnswer.afterMs } : {}),
    ...(o?.durationS !== undefined ? { durationS: o.durationS } : {}),
    ...(o?.dtmfAfterAnswer ? { dtmfAfterAnswer: o.dtmfAfterAnswer } : {}),
  };
}

/**
 * The devices chosen in Settings (by name) override the host's default selection for real devices.
 * "Ring on the speaker as well" matters only when the ringing device is another device than the
 * speaker (without one, the ring already plays on the speaker).
 */
export function deviceSelection(base: DeviceSelection, audio: Settings['audio']): DeviceSelection {
  if (base.kind !== 'portaudio') return base;
  const ring = audio.ring ?? base.ring;
  const output = audio.output ?? base.output;
  return {
    ...base,
    ...(audio.input ? { input: audio.input } : {}),
    ...(audio.output ? { output: audio.output } : {}),
    ...(audio.ring ? { ring: audio.ring } : {}),
    ...(audio.ringOnSpeakerToo && ring !== undefined && ring !== output ? { ringOnOutput: true } : {}),
  };
}

/**
 * Microphone processing for the devices being opened: on real devices the setting, with this
 * run's flags (CLI --aec/--ns/--agc) on top; file and null devices have no acoustic path, so only
 * what the flags ask for.
 */
export function withProcessing(sel: DeviceSelection, stored: AudioProcessing, flags: Partial<AudioProcessing> | undefined): DeviceSelection {
  if (sel.kind === 'portaudio') return { ...sel, processing: { ...stored, ...flags } };
  return flags && Object.keys(flags).length ? { ...sel, processing: { aec: false, ns: 'off', agc: false, ...flags } } : sel;
}
