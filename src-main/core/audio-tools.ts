/**
 * Audio checks without a call. `softphone echo-test`: the whole audio path with no account — microphone → resample → encoder →
 * RTP over a loopback socket → jitter buffer → decoder → speaker — so anyone can hear it work.
 */
import { join } from 'node:path';
import { MediaEngine, type EngineIsolation } from '../media/engine/media-engine.js';
import type { DeviceSelection } from '../media/engine/protocol.js';
import type { CodecName } from '../media/codecs/codec.js';
import { codecByName } from '../media/codecs/registry.js';
import { allCodecs } from '../media/sdp/codecs.js';
import type { CallStats } from '../contract/calls.js';
import type { AudioDeviceInfo } from '../media/devices/audio-device.js';
import { packageRoot } from '../util/package-root.js';
import { defaultAppSettings, type AudioProcessing } from '../contract/settings.js';
import { DeviceGate } from './device-gate.js';
import { withProcessing } from './settings-apply.js';

export type { CodecName } from '../media/codecs/codec.js';
export type { AudioDeviceInfo } from '../media/devices/audio-device.js';

/** The ringtone shipped in resources/. */
export const defaultRingtone = join(packageRoot(), 'resources', 'ringtone.wav');

export interface EchoTestOptions {
  devices: DeviceSelection;
  isolation: EngineIsolation;
  codec?: CodecName;
  address: string;
  rtpPort?: number;
  /**
   * Microphone processing flags (CLI --aec/--ns/--agc). On sound devices they go over the default
   * setting (AEC on, NS low, AGC on); file and null devices get only what they ask for.
   */
  processing?: Partial<AudioProcessing>;
  /** Resolves when the test should end. */
  until: Promise<void>;
  notice(message: string): void;
}

export async function runEchoTest(o: EchoTestOptions): Promise<CallStats | undefined> {
  const engine = new MediaEngine(o.isolation);
  try {
    const devices = withProcessing(o.devices, defaultAppSettings.audioProcessing, o.processing);
    await new DeviceGate(() => engine, () => devices, o.notice).acquire();
    const codec = codecByName(o.codec ?? 'opus')!;
    const port = await engine.allocate('echo', o.address, o.rtpPort);
    await engine.start('echo', {
      remoteAddress: o.address, remotePort: port, remoteRtcpPort: port, rtcpMux: true,
      codec: codec.name, payloadType: allCodecs[codec.name].payloadType, telephoneEventPt: 101, ptime: 20,
      direction: 'sendrecv', srtp: undefined,
    });
    o.notice(`echo test with ${codec.name}: speak and hear yourself`);
    await o.until;
    return await engine.stop('echo');
  } finally {
    await engine.shutdown();
  }
}

/** The machine's audio devices (PortAudio), from a short-lived engine. */
export async function listAudioDevices(isolation: EngineIsolation): Promise<AudioDeviceInfo[]> {
  const engine = new MediaEngine(isolation);
  try {
    return (await engine.listDevices()) as AudioDeviceInfo[];
  } finally {
    await engine.shutdown();
  }
}
