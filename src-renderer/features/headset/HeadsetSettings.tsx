/** Settings › Headset: call control on/off, which headset, its state, and "Connect headset" where the page must ask. */
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../src-main/contract/settings.js';
import { Check, Field } from '../../ui/Field.js';
import type { ActiveHeadset, HeadsetStatus } from './headset-store.js';

export interface HeadsetSettingsProps {
  headset: Settings['headset'];
  status: HeadsetStatus;
  devices: { key: string; name: string }[];
  active: ActiveHeadset | undefined;
  error: string | undefined;
  canRequest: boolean;
  onChange(headset: Settings['headset']): void;
  onConnect(): void;
  /** Set by the administrator: shown, not changeable. */
  locked?: boolean | undefined;
}

export function HeadsetSettings({ headset, status, devices, active, error, canRequest, onChange, onConnect, locked }: HeadsetSettingsProps) {
  const { t } = useTranslation();
  const chosenMissing = headset.device !== null && !devices.some((d) => d.key === headset.device);
  const statusText = status === 'connected' && active ? t('headset.statusConnected', { name: active.name })
    : status === 'error' ? t('headset.statusError', { error: error ?? '' })
    : t(`headset.status.${status}`);
  return (
    <section className="settings-section" aria-labelledby="headset-title">
      <div className="settings-section__head"><h2 id="headset-title">{t('headset.title')}</h2></div>
      <Check id="settings-headset-enabled" label={t('headset.enabled')} checked={headset.enabled}
        onChange={(enabled) => onChange({ ...headset, enabled })} disabled={locked} hint={locked ? t('settings.locked') : undefined} />
      {headset.enabled && status !== 'unsupported' && (
        <Field id="settings-headset-device" label={t('headset.device')}>
          <select className="select" value={headset.device ?? ''} disabled={locked} onChange={(e) => onChange({ ...headset, device: e.target.value || null })}>
            <option value="">{t('headset.automatic')}</option>
            {devices.map((d) => <option key={d.key} value={d.key}>{d.name}</option>)}
            {chosenMissing && <option value={headset.device!}>{t('headset.notPlugged', { name: headset.device!.replace(/^\S+ /, '') })}</option>}
          </select>
        </Field>
      )}
      <p className="field__hint" role="status">{statusText}</p>
      {status === 'connected' && active && (
        <p className="field__hint">{t('headset.controls', { controls: active.inputs.map((c) => t(`headset.control.${c}`)).join(', ') })}</p>
      )}
      {headset.enabled && canRequest && (
        <button type="button" className="button" onClick={onConnect}>{t('headset.connect')}</button>
      )}
    </section>
  );
}
