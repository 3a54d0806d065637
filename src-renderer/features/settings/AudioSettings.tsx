/** Audio devices by name (microphone, speaker, ringing) and "ring on the speaker as well". */
import { RefreshCw } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { AudioDevice, AudioTestKind, Settings } from '../../../src-main/contract/settings.js';
import { Check, Field } from '../../ui/Field.js';
import { levelFraction } from '../calls/call-view.js';
import { deviceOptions } from './call-handling-form.js';

export interface AudioSettingsProps {
  audio: Settings['audio'];
  devices: AudioDevice[] | undefined;
  error: string | undefined;
  onChange(audio: Settings['audio']): void;
  onRefresh(): void;
  /** The audio check running now, the microphone level while one runs [dBFS], why the last one failed. */
  testing: AudioTestKind | undefined;
  micDb: number | undefined;
  testError: string | undefined;
  onTest(test: AudioTestKind, on: boolean): void;
}

const testLabel = { speaker: 'testSpeaker', ring: 'testRing', microphone: 'testMicrophone' } as const;

export function AudioSettings({ audio, devices, error, onChange, onRefresh, testing, micDb, testError, onTest }: AudioSettingsProps) {
  const { t } = useTranslation();
  const testButton = (test: AudioTestKind) => (
    <button type="button" className="button" aria-pressed={testing === test} onClick={() => onTest(test, testing !== test)}>
      {t(`settings.audio.${testLabel[test]}`)}
    </button>
  );
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
      <div className="settings-section__row">
        {testButton('microphone')}
        {testing === 'microphone' && (
          <meter min={0} max={1} low={0.75} high={0.95} optimum={0.5} value={levelFraction(micDb ?? -100)} aria-label={t('settings.audio.micLevel')} />
        )}
      </div>
      {picker('output', 'output')}
      <div className="settings-section__row">{testButton('speaker')}</div>
      {picker('ring', 'output')}
      <div className="settings-section__row">{testButton('ring')}</div>
      {testError && <p className="field__hint field__hint--error settings-section__note" role="alert">{t('settings.audio.testBusy', { error: testError })}</p>}
      <Check id="audio-ring-both" label={t('settings.audio.ringOnSpeakerToo')} checked={audio.ringOnSpeakerToo}
        onChange={(on) => onChange({ ...audio, ringOnSpeakerToo: on })} />
      <p className="field__hint">{t('settings.audio.nextCall')}</p>
    </section>
  );
}
