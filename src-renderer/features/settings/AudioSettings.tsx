/** Audio devices by name (microphone, speaker, ringing) and "ring on the speaker as well". */
import { RefreshCw } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { AudioDevice, Settings } from '../../../src-main/contract/settings.js';
import { Check, Field } from '../../ui/Field.js';
import { deviceOptions } from './call-handling-form.js';

export interface AudioSettingsProps {
  audio: Settings['audio'];
  devices: AudioDevice[] | undefined;
  error: string | undefined;
  onChange(audio: Settings['audio']): void;
  onRefresh(): void;
}

export function AudioSettings({ audio, devices, error, onChange, onRefresh }: AudioSettingsProps) {
  const { t } = useTranslation();
  const picker = (key: 'input' | 'output' | 'ring', kind: 'input' | 'output') => {
    const options = deviceOptions(devices ?? [], kind, audio[key]);
    return (
      <Field id={`audio-${key}`} label={t(`settings.audio.${key}`)}
        hint={audio[key] !== null && !options.find((o) => o.name === audio[key])?.present ? t('settings.audio.missing') : undefined}>
        <select className="select" value={audio[key] ?? ''} onChange={(e) => onChange({ ...audio, [key]: e.target.value === '' ? null : e.target.value })}>
          <option value="">{t('settings.audio.systemDefault')}</option>
          {options.map((o) => <option key={o.name} value={o.name}>{o.present ? o.name : t('settings.audio.notConnected', { name: o.name })}</option>)}
        </select>
      </Field>
    );
  };
  return (
    <section className="settings-section" aria-labelledby="audio-title">
      <div className="settings-section__head">
        <h2 id="audio-title">{t('settings.audio.title')}</h2>
        <button type="button" className="icon-button" onClick={onRefresh} aria-label={t('settings.audio.refresh')} title={t('settings.audio.refresh')}>
          <RefreshCw size={16} aria-hidden="true" />
        </button>
      </div>
      {error && <p className="field__hint field__hint--error settings-section__note">{t('settings.audio.listFailed', { error })}</p>}
      {devices?.length === 0 && !error && <p className="field__hint settings-section__note">{t('settings.audio.none')}</p>}
      {picker('input', 'input')}
      {picker('output', 'output')}
      {picker('ring', 'output')}
      <Check id="audio-ring-both" label={t('settings.audio.ringOnSpeakerToo')} checked={audio.ringOnSpeakerToo}
        onChange={(on) => onChange({ ...audio, ringOnSpeakerToo: on })} />
      <p className="field__hint">{t('settings.audio.nextCall')}</p>
    </section>
  );
}
