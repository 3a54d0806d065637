/**
 * Audio devices by name (microphone, speaker, ringing), "ring on the speaker as well", and the
 * microphone processing (echo cancellation, noise suppression, gain control), each explained.
 * What the administrator locked shows disabled, saying so.
 */
import { RefreshCw } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { AudioDevice, AudioProcessing, AudioTestKind, Settings } from '../../../src-main/contract/settings.js';
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
  processing: AudioProcessing;
  onProcessing(processing: AudioProcessing): void;
  /** Set by the administrator: shown disabled. */
  locked?: { audio: boolean; processing: boolean } | undefined;
  /** A call is in progress (it keeps its devices until it ends; processing changes reach it at once). */
  inCall?: boolean | undefined;
}

const testLabel = { speaker: 'testSpeaker', ring: 'testRing', microphone: 'testMicrophone' } as const;

export function AudioSettings({ audio, devices, error, onChange, onRefresh, testing, micDb, testError, onTest, processing, onProcessing, locked, inCall }: AudioSettingsProps) {
  const { t } = useTranslation();
  const lockedHint = t('settings.locked');
  /** A hint with the lock first when locked. */
  const withLock = (isLocked: boolean | undefined, hint?: string) => (isLocked ? (hint ? `${lockedHint}. ${hint}` : lockedHint) : hint);
  const testButton = (test: AudioTestKind) => (
    <button type="button" className="button" aria-pressed={testing === test} onClick={() => onTest(test, testing !== test)}>
      {t(`settings.audio.${testLabel[test]}`)}
    </button>
  );
  const picker = (key: 'input' | 'output' | 'ring', kind: 'input' | 'output') => {
    const options = deviceOptions(devices ?? [], kind, audio[key]);
    return (
      <Field id={`audio-${key}`} label={t(`settings.audio.${key}`)}
        hint={withLock(locked?.audio, audio[key] !== null && !options.find((o) => o.name === audio[key])?.present ? t('settings.audio.missing') : undefined)}>
        <select className="select" value={audio[key] ?? ''} disabled={locked?.audio} onChange={(e) => onChange({ ...audio, [key]: e.target.value === '' ? null : e.target.value })}>
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
        onChange={(on) => onChange({ ...audio, ringOnSpeakerToo: on })} disabled={locked?.audio} hint={withLock(locked?.audio)} />
      <h3 className="settings-section__subtitle" id="audio-processing-title">{t('settings.audio.processing')}</h3>
      <div role="group" aria-labelledby="audio-processing-title">
        <Check id="audio-aec" label={t('settings.audio.aec')} checked={processing.aec} disabled={locked?.processing}
          hint={withLock(locked?.processing, t('settings.audio.aecHint'))} onChange={(aec) => onProcessing({ ...processing, aec })} />
        <Field id="audio-ns" label={t('settings.audio.ns')} hint={withLock(locked?.processing, t('settings.audio.nsHint'))}>
          <select className="select" value={processing.ns} disabled={locked?.processing}
            onChange={(e) => onProcessing({ ...processing, ns: e.target.value as AudioProcessing['ns'] })}>
            <option value="off">{t('settings.audio.nsOff')}</option>
            <option value="low">{t('settings.audio.nsLow')}</option>
            <option value="high">{t('settings.audio.nsHigh')}</option>
          </select>
        </Field>
        <Check id="audio-agc" label={t('settings.audio.agc')} checked={processing.agc} disabled={locked?.processing}
          hint={withLock(locked?.processing, t('settings.audio.agcHint'))} onChange={(agc) => onProcessing({ ...processing, agc })} />
      </div>
      <p className="field__hint" role={inCall ? 'note' : undefined}>{t(inCall ? 'settings.audio.inCall' : 'settings.audio.nextCall')}</p>
    </section>
  );
}
