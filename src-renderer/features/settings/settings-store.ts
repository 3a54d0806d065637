/** The settings slice: app settings and accounts as the core last reported them. */
import { create } from 'zustand';
import { defaultAppSettings, type AccountView, type AdminLocks, type AudioDevice, type Settings } from '../../../src-main/contract/settings.js';

interface SettingsStore {
  settings: Settings;
  accounts: AccountView[];
  /** `devices.list` as last read (undefined: not yet), or why it failed. */
  devices: AudioDevice[] | undefined;
  devicesError: string | undefined;
  /** What the administrator's machine-wide configuration fixes (app.info), if any. */
  locks: AdminLocks | undefined;
  setLocks(locks: AdminLocks | undefined): void;
  setDevices(devices: AudioDevice[] | undefined, error?: string): void;
  setSettings(settings: Settings): void;
  setAccounts(accounts: AccountView[]): void;
  applyRegistration(keyOrAor: string, registration: AccountView['registration']): void;
}

export const useSettingsStore = create<SettingsStore>()((set) => ({
  settings: defaultAppSettings,
  accounts: [],
  devices: undefined,
  devicesError: undefined,
  locks: undefined,
  setLocks: (locks) => set({ locks }),
  setDevices: (devices, error) => set({ devices, devicesError: error }),
  setSettings: (settings) => set({ settings }),
  setAccounts: (accounts) => set({ accounts }),
  applyRegistration: (key, registration) => set((s) => ({
    accounts: s.accounts.map((a) => (a.key === key || a.aor === key ? { ...a, registration } : a)),
  })),
}));
