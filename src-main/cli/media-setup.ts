/** Which audio devices the CLI opens, from its flags (files and null for automation). */
import { defaultRingtone, type DeviceSelection } from '../core/phone.js';
import type { CliOptions } from './options.js';

export function deviceSelection(o: CliOptions): DeviceSelection {
  if (o.nullAudio) return { kind: 'null' };
  if (o.playFile || o.recFile) {
    return { kind: 'file', ...(o.playFile ? { playFile: o.playFile } : {}), ...(o.recFile ? { recFile: o.recFile } : {}) };
  }
  return {
    kind: 'portaudio', ringtone: defaultRingtone,
    ...(o.inputDevice ? { input: o.inputDevice } : {}),
    ...(o.outputDevice ? { output: o.outputDevice } : {}),
    ...(o.ringDevice ? { ring: o.ringDevice } : {}),
  };
}
