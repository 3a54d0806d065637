/** Settings › Desktop (Electron app only): start at login, start in the tray, close to the tray, global shortcuts. */
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../src-main/contract/settings.js';
import { Check } from '../../ui/Field.js';
import { ShortcutField } from './ShortcutField.js';

type DesktopPart = Pick<Settings, 'startAtLogin' | 'startMinimised' | 'closeToTray' | 'shortcuts'>;

const actions = ['answer', 'hangUp', 'mute', 'hold'] as const;

export function DesktopSettings({ settings, mac, onChange, locked }: {
  settings: DesktopPart; mac: boolean; onChange(patch: Partial<DesktopPart>): void;
  /** Settings the administrator locked: disabled, saying why. */
  locked?: ReadonlySet<keyof Settings> | undefined;
}) {
  const { t } = useTranslation();
  const shortcuts = settings.shortcuts;
  const lock = (key: keyof DesktopPart) => (locked?.has(key) ? { disabled: true, hint: t('settings.locked') } : {});
  return (
    <section className="settings-section" aria-labelledby="desktop-title">
      <div className="settings-section__head"><h2 id="desktop-title">{t('desktop.title')}</h2></div>
      <Check id="settings-start-at-login" label={t('desktop.startAtLogin')} checked={settings.startAtLogin} onChange={(on) => onChange({ startAtLogin: on })} {...lock('startAtLogin')} />
      {settings.startAtLogin && (
        <Check id="settings-start-minimised" label={t('desktop.startMinimised')} checked={settings.startMinimised} onChange={(on) => onChange({ startMinimised: on })} {...lock('startMinimised')} />
      )}
      <Check id="settings-close-to-tray" label={t('desktop.closeToTray')} checked={settings.closeToTray} onChange={(on) => onChange({ closeToTray: on })} {...lock('closeToTray')} />
      <Check id="settings-shortcuts" label={t('desktop.shortcuts')} checked={shortcuts.enabled} onChange={(on) => onChange({ shortcuts: { ...shortcuts, enabled: on } })} {...lock('shortcuts')} />
      {shortcuts.enabled && actions.map((action) => (
        <ShortcutField
          key={action} id={`settings-shortcut-${action}`} label={t(`desktop.shortcut.${action}`)} value={shortcuts[action]} mac={mac}
          locked={locked?.has('shortcuts')}
          onChange={(accelerator) => onChange({ shortcuts: { ...shortcuts, [action]: accelerator } })}
        />
      ))}
    </section>
  );
}
