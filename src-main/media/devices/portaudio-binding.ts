/**
 * The part of naudiodon2 (PortAudio 19.7) we use, loaded lazily so the core runs without it. We
 * talk to its native addon directly (its `create()` object: start/read/write/quit) rather than
 * through its Node streams: no stream buffering between us and the device, no console logging on
 * errors, and a fake binding for unit tests is a few lines.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { AudioDeviceInfo } from './audio-device.js';

export interface PaDeviceInfo {
  id: number;
  name: string;
  maxInputChannels: number;
  maxOutputChannels: number;
  defaultSampleRate: number;
  hostAPIName: string;
}

export interface PaHostApis {
  defaultHostAPI: number;
  HostAPIs: { id: number; name: string; defaultInput: number; defaultOutput: number }[];
}

/** naudiodon2's stream options (Params.h). */
export interface PaStreamOptions {
  /** −1: PortAudio's default device for the direction. */
  deviceId: number;
  sampleRate: number;
  channelCount: number;
  /** 16 = paInt16. */
  sampleFormat: number;
  framesPerBuffer: number;
  /** Chunks the native queue holds before write() waits. */
  maxQueue: number;
  closeOnError: boolean;
}

export interface PaReadResult {
  buf?: Buffer;
  finished?: boolean;
  err?: string;
}

export interface PaStream {
  start(): void;
  /** Resolves with `bytes` bytes once captured (waits on a libuv pool thread). */
  read(bytes: number): Promise<PaReadResult>;
  /** Copies `buf` at once; resolves when the native queue has room (an error text or undefined). */
  write(buf: Buffer): Promise<string | undefined>;
  quit(mode: 'WAIT' | 'ABORT'): Promise<void>;
}

export interface PaBinding {
  getDevices(): PaDeviceInfo[];
  getHostAPIs(): PaHostApis;
  create(options: { inOptions?: PaStreamOptions; outOptions?: PaStreamOptions }): PaStream;
}

export const SAMPLE_FORMAT_INT16 = 16;

let loaded: PaBinding | undefined;

/** Loads naudiodon2's native addon on first use; throws a clear error when it is not installed/built. */
export function loadPortAudio(): PaBinding {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  let root: string;
  try {
    root = dirname(require.resolve('naudiodon2/package.json'));
  } catch {
    throw new Error('PortAudio unavailable: the naudiodon2 package is not installed');
  }
  const errors: string[] = [];
  for (const build of ['Release', 'Debug']) {
    try {
      loaded = require(join(root, 'build', build, 'naudiodon.node')) as PaBinding;
      return loaded;
    } catch (e) {
      errors.push(e instanceof Error ? e.message : String(e));
    }
  }
  throw new Error(`PortAudio unavailable: naudiodon2's native addon is not built (${errors[0]})`);
}

export type Direction = 'input' | 'output';

function channelsOf(d: PaDeviceInfo, dir: Direction): number {
  return dir === 'input' ? d.maxInputChannels : d.maxOutputChannels;
}

/** Ids of PortAudio's default input and output devices (of the default host API). */
function defaults(b: PaBinding): { input: number; output: number } {
  const apis = b.getHostAPIs();
  const api = apis.HostAPIs.find((a) => a.id === apis.defaultHostAPI) ?? apis.HostAPIs[apis.defaultHostAPI];
  return { input: api?.defaultInput ?? -1, output: api?.defaultOutput ?? -1 };
}

export function listPortAudioDevices(b: PaBinding = loadPortAudio()): AudioDeviceInfo[] {
  const def = defaults(b);
  return b.getDevices().map((d) => ({
    id: String(d.id), name: d.name, inputs: d.maxInputChannels, outputs: d.maxOutputChannels,
    isDefault: d.id === def.input || d.id === def.output, hostApi: d.hostAPIName,
  }));
}

export interface Selection {
  /** −1 = the default device. */
  deviceId: number;
  name: string;
  /** Set when the named device is missing: why the default is used. */
  fallbackReason?: string;
}

/**
 * Finds a device by name for `dir`: exact, then case-insensitive, then case-insensitive substring.
 * Missing (or no name asked): the default device.
 */
export function selectDevice(b: PaBinding, dir: Direction, name: string | undefined): Selection {
  const devices = b.getDevices().filter((d) => channelsOf(d, dir) > 0);
  const def = defaults(b)[dir];
  const defName = devices.find((d) => d.id === def)?.name ?? 'default';
  if (name === undefined) return { deviceId: -1, name: defName };
  const lower = name.toLowerCase();
  const found = devices.find((d) => d.name === name)
    ?? devices.find((d) => d.name.toLowerCase() === lower)
    ?? devices.find((d) => d.name.toLowerCase().includes(lower));
  if (found) return { deviceId: found.id, name: found.name };
  return { deviceId: -1, name: defName, fallbackReason: `no ${dir} device named "${name}"` };
}
