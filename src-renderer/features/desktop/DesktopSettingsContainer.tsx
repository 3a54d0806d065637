/** Shows Settings › Desktop when the host is the Electron app (the web host has no login item or tray). */
import { useEffect, useMemo, useState } from 'react';
import { useLink } from '../../app/link-context.js';
import { request } from '../../app/request.js';
import { useSettingsStore } from '../settings/settings-store.js';
import { DesktopSettings } from './DesktopSettings.js';

export function DesktopSettingsContainer() {
  const link = useLink();
  const settings = useSettingsStore((s) => s.settings);
  const setSettings = useSettingsStore((s) => s.setSettings);
  const locks = useSettingsStore((s) => s.locks);
  const locked = useMemo(() => new Set(locks?.settings ?? []), [locks]);
  const [desktop, setDesktop] = useState(false);
  useEffect(() => {
    let live = true;
    void request(link, 'app.info', {}, { quiet: true }).then((r) => { if (live && r.ok) setDesktop(r.value.host === 'electron'); });
    return () => { live = false; };
  }, [link]);
  if (!desktop) return null;
  const mac = /Mac/.test(navigator.userAgent);
  return <DesktopSettings settings={settings} mac={mac} locked={locked} onChange={(patch) => void request(link, 'settings.set', patch).then((r) => { if (r.ok) setSettings(r.value); })} />;
}
