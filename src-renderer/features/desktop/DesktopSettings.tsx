/** Settings › Desktop (Electron app only): start at login, start in the tray, close to the tray. */
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../src-main/contract/settings.js';
import { Check } from '../../ui/Field.js';

type DesktopPart = Pick<Settings, 'startAtLogin' | 'startMinimised' | 'closeToTray'>;

export function DesktopSettings({ settings, onChange }: { settings: DesktopPart; onChange(patch: Partial<DesktopPart>): void }) {
  const { t } = useTranslation();
  return (
    <section className="settings-section" aria-labelledby="desktop-title">
      <div className="settings-section__head"><h2 id="desktop-title">{t('desktop.title')}</h2></div>
      <Check id="settings-start-at-login" label={t('desktop.startAtLogin')} checked={settings.startAtLogin} onChange={(on) => onChange({ startAtLogin: on })} />
      {settings.startAtLogin && (
        <Check id="settings-start-minimised" label={t('desktop.startMinimised')} checked={settings.startMinimised} onChange={(on) => onChange({ startMinimised: on })} />
      )}
      <Check id="settings-close-to-tray" label={t('desktop.closeToTray')} checked={settings.closeToTray} onChange={(on) => onChange({ closeToTray: on })} />
    </section>
  );
}
