/** Reads `devices.list` when Settings opens (and on Refresh); a choice is saved at once by name. */
import { useCallback, useEffect } from 'react';
import type { Settings } from '../../../src-main/contract/settings.js';
import { useLink } from '../../app/link-context.js';
import { request } from '../../app/request.js';
import { AudioSettings } from './AudioSettings.js';
import { useSettingsStore } from './settings-store.js';

export function AudioSettingsContainer() {
  const link = useLink();
  const audio = useSettingsStore((s) => s.settings.audio);
  const devices = useSettingsStore((s) => s.devices);
  const error = useSettingsStore((s) => s.devicesError);
  const refresh = useCallback(() => {
    void request(link, 'devices.list', {}, { quiet: true }).then((r) => {
      useSettingsStore.getState().setDevices(r.ok ? r.value : undefined, r.ok ? undefined : r.error);
    });
  }, [link]);
  useEffect(refresh, [refresh]);
  const save = (next: Settings['audio']) => {
    useSettingsStore.getState().setSettings({ ...useSettingsStore.getState().settings, audio: next });
    void request(link, 'settings.set', { audio: next }).then((r) => { if (r.ok) useSettingsStore.getState().setSettings(r.value); });
  };
  return <AudioSettings audio={audio} devices={devices} error={error} onChange={save} onRefresh={refresh} />;
}
