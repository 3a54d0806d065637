/** Which audio devices the CLI opens, from its flags (files and null for automation). */
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.js';
import type { DeviceSelection } from '../media/engine/protocol.js';
import type { CliOptions } from './options.js';

/** The ringtone shipped in resources/. */
export const ringtone = join(packageRoot(), 'resources', 'ringtone.wav');

export function deviceSelection(o: CliOptions): DeviceSelection {
  if (o.nullAudio) return { kind: 'null' };
  if (o.playFile || o.recFile) {
    return { kind: 'file', ...(o.playFile ? { playFile: o.playFile } : {}), ...(o.recFile ? { recFile: o.recFile } : {}) };
  }
  return {
    kind: 'portaudio', ringtone,
    ...(o.inputDevice ? { input: o.inputDevice } : {}),
    ...(o.outputDevice ? { output: o.outputDevice } : {}),
    ...(o.ringDevice ? { ring: o.ringDevice } : {}),
  };
}
