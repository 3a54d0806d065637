/** The headset slice: what Settings shows about call control (devices, the one in use, why none). */
import { create } from 'zustand';
import type { InputControl, OutputControl } from './hid-usages.js';

export type HeadsetStatus =
  /** No WebHID here (not Chromium, or not a secure context). */
  | 'unsupported'
  /** Turned off in Settings. */
  | 'off'
  /** No telephony headset granted to this page (or plugged in). */
  | 'none'
  | 'connected'
  /** The device would not open (in use by another program, unplugged while opening…). */
  | 'error';

export interface ActiveHeadset {
  key: string;
  name: string;
  inputs: InputControl[];
  outputs: OutputControl[];
}

interface HeadsetStore {
  status: HeadsetStatus;
  devices: { key: string; name: string }[];
  active: ActiveHeadset | undefined;
  error: string | undefined;
  /** The page may ask the browser for a device (web host): show "Connect headset". */
  canRequest: boolean;
  update(patch: Partial<Omit<HeadsetStore, 'update'>>): void;
}

export const useHeadsetStore = create<HeadsetStore>()((set) => ({
  status: 'none',
  devices: [],
  active: undefined,
  error: undefined,
  canRequest: false,
  update: (patch) => set(patch),
}));
