/** Settings › Desktop (Electron app only): start at login, start in the tray, close to the tray, global shortcuts. */
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../src-main/contract/settings.js';
import { Check } from '../../ui/Field.js';
import { ShortcutField } from './ShortcutField.js';

type DesktopPart = Pick<Settings, 'startAtLogin' | 'startMinimised' | 'closeToTray' | 'shortcuts'>;

const actions = ['answer', 'hangUp', 'mute', 'hold'] as const;

export function DesktopSettings({ settings, mac, onChange }: { settings: DesktopPart; mac: boolean; onChange(patch: Partial<DesktopPart>): void }) {
  const { t } = useTranslation();
  const shortcuts = settings.shortcuts;
  return (
    <section className="settings-section" aria-labelledby="desktop-title">
      <div className="settings-section__head"><h2 id="desktop-title">{t('desktop.title')}</h2></div>
      <Check id="settings-start-at-login" label={t('desktop.startAtLogin')} checked={settings.startAtLogin} onChange={(on) => onChange({ startAtLogin: on })} />
      {settings.startAtLogin && (
        <Check id="settings-start-minimised" label={t('desktop.startMinimised')} checked={settings.startMinimised} onChange={(on) => onChange({ startMinimised: on })} />
      )}
      <Check id="settings-close-to-tray" label={t('desktop.closeToTray')} checked={settings.closeToTray} onChange={(on) => onChange({ closeToTray: on })} />
      <Check id="settings-shortcuts" label={t('desktop.shortcuts')} checked={shortcuts.enabled} onChange={(on) => onChange({ shortcuts: { ...shortcuts, enabled: on } })} />
      {shortcuts.enabled && actions.map((action) => (
        <ShortcutField
          key={action} id={`settings-shortcut-${action}`} label={t(`desktop.shortcut.${action}`)} value={shortcuts[action]} mac={mac}
          onChange={(accelerator) => onChange({ shortcuts: { ...shortcuts, [action]: accelerator } })}
        />
      ))}
    </section>
  );
}
