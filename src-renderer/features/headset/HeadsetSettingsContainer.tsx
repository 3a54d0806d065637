/** Wires Settings › Headset to the headset slice, the app settings and `settings.set`. */
import { useLink } from '../../app/link-context.js';
import { request } from '../../app/request.js';
import { useSettingsStore } from '../settings/settings-store.js';
import { requestHeadset } from './headset-manager.js';
import { HeadsetSettings } from './HeadsetSettings.js';
import { useHeadsetStore } from './headset-store.js';

export function HeadsetSettingsContainer() {
  const link = useLink();
  const headset = useSettingsStore((s) => s.settings.headset);
  const setSettings = useSettingsStore((s) => s.setSettings);
  const locked = useSettingsStore((s) => s.locks?.settings.includes('headset') ?? false);
  const { status, devices, active, error, canRequest } = useHeadsetStore();
  return (
    <HeadsetSettings
      headset={headset} locked={locked} status={status} devices={devices} active={active} error={error} canRequest={canRequest}
      onChange={(next) => void request(link, 'settings.set', { headset: next }).then((r) => { if (r.ok) setSettings(r.value); })}
      onConnect={() => void requestHeadset()}
    />
  );
}
