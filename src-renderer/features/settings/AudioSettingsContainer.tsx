/**
 * Reads `devices.list` when Settings opens (and on Refresh); a choice is saved at once by name.
 * The audio checks (test tone, ring test, microphone level) run in the core; their end and the
 * levels come back as events.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AudioProcessing, AudioTestKind, Settings } from '../../../src-main/contract/settings.js';
import { useCallsStore } from '../calls/calls-store.js';
import { useLink } from '../../app/link-context.js';
import { request } from '../../app/request.js';
import { AudioSettings } from './AudioSettings.js';
import { useSettingsStore } from './settings-store.js';

export function AudioSettingsContainer() {
  const link = useLink();
  const audio = useSettingsStore((s) => s.settings.audio);
  const processing = useSettingsStore((s) => s.settings.audioProcessing);
  const lockedKeys = useSettingsStore((s) => s.locks?.settings);
  const inCall = useCallsStore((s) => s.live.length > 0);
  const devices = useSettingsStore((s) => s.devices);
  const error = useSettingsStore((s) => s.devicesError);
  const [testing, setTesting] = useState<AudioTestKind>();
  const [micDb, setMicDb] = useState<number>();
  const [testError, setTestError] = useState<string>();
  const refresh = useCallback(() => {
    void request(link, 'devices.list', {}, { quiet: true }).then((r) => {
      useSettingsStore.getState().setDevices(r.ok ? r.value : undefined, r.ok ? undefined : r.error);
    });
  }, [link]);
  useEffect(refresh, [refresh]);
  useEffect(() => link.onEvent((e) => {
    if (e.type === 'audio-test') setTesting((now) => (e.running ? e.test : now === e.test ? undefined : now));
    if (e.type === 'levels') setMicDb(e.inputDb);
  }), [link]);
  // Leaving Settings ends a check that is still running.
  const running = useRef<AudioTestKind>(undefined);
  useEffect(() => { running.current = testing; }, [testing]);
  useEffect(() => () => {
    if (running.current) void request(link, 'audio.test', { test: running.current, on: false }, { quiet: true });
  }, [link]);
  const save = (patch: Pick<Settings, 'audio'> | Pick<Settings, 'audioProcessing'>) => {
    useSettingsStore.getState().setSettings({ ...useSettingsStore.getState().settings, ...patch });
    void request(link, 'settings.set', patch).then((r) => { if (r.ok) useSettingsStore.getState().setSettings(r.value); });
  };
  const locked = { audio: lockedKeys?.includes('audio') ?? false, processing: lockedKeys?.includes('audioProcessing') ?? false };
  const test = (kind: AudioTestKind, on: boolean) => {
    setTestError(undefined);
    if (on) setMicDb(undefined);
    void request(link, 'audio.test', { test: kind, on }, { quiet: true }).then((r) => { if (!r.ok) setTestError(r.error); });
  };
  return <AudioSettings audio={audio} devices={devices} error={error} onChange={(next) => save({ audio: next })} onRefresh={refresh}
    testing={testing} micDb={micDb} testError={testError} onTest={test}
    processing={processing} onProcessing={(next: AudioProcessing) => save({ audioProcessing: next })} locked={locked} inCall={inCall} />;
}
