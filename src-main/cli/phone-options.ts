/** The core's options from the CLI's flags: devices, SIP, media, the account and call automation. */
import { defaultRingtone, guessBindAddress, type DeviceSelection, type EngineIsolation, type MediaOverrides, type PhoneOptions } from '../core/phone.js';
import type { CliOptions } from './options.js';

export function deviceSelection(o: CliOptions): DeviceSelection {
  if (o.nullAudio) return { kind: 'null' };
  if (o.playFile || o.recFile) {
    return { kind: 'file', ...(o.playFile ? { playFile: o.playFile } : {}), ...(o.recFile ? { recFile: o.recFile } : {}) };
  }
  return {
    kind: 'portaudio', ringtone: defaultRingtone,
    ...(o.inputDevice ? { input: o.inputDevice } : {}),
    ...(o.outputDevice ? { output: o.outputDevice } : {}),
    ...(o.ringDevice ? { ring: o.ringDevice } : {}),
  };
}

export function phoneOptionsFrom(o: CliOptions, host: PhoneOptions['host'], engineIsolation: EngineIsolation): PhoneOptions {
  const register = o.registrar !== undefined || o.password !== undefined;
  return {
    host,
    // The CLI shows no level meter: no level reports from the media worker (the web host's UI has one).
    devices: host === 'cli' ? { ...deviceSelection(o), levels: false } : deviceSelection(o),
    engineIsolation,
    sip: {
      bindAddress: o.bindAddress ?? guessBindAddress([o.outboundProxy, o.registrar, o.target, o.id]),
      localPort: o.localPort,
      ...(o.tlsCa ? { tlsCa: o.tlsCa } : {}),
      ...(o.sipTrace ? { trace: (line: string) => process.stderr.write(line) } : {}),
    },
    media: {
      ...(o.srtp !== 'off' || host === 'cli' ? { srtp: o.srtp } : {}), ...(o.codecs ? { codecs: o.codecs } : {}), ...(o.rtpPort !== undefined ? { rtpPort: o.rtpPort } : {}),
      ...(o.nat ? { nat: natTraversal(o.nat, o.tlsCa) } : {}),
    },
    accountExtra: { expires: o.expires, incomingCallPolicy: o.incomingCallPolicy },
    ...(o.processing ? { processing: o.processing } : {}),
    calls: {
      // Only --no-auto-hold overrides: without it the stored setting (web host, app) applies.
      ...(o.autoHold ? {} : { autoHold: false }),
      ...(o.forward ? { forward: o.forward } : {}),
      ...(o.autoAnswer !== undefined ? { autoAnswerMs: o.autoAnswer } : {}),
      ...(o.duration !== undefined ? { durationS: o.duration } : {}),
      ...(o.dtmf ? { dtmfAfterAnswer: o.dtmf } : {}),
    },
    ...(o.id ? {
      account: {
        key: o.id, aor: o.id, enabled: register,
        ...(o.username ? { username: o.username } : {}),
        ...(o.password !== undefined ? { password: o.password } : {}),
        ...(o.registrar ? { registrar: o.registrar } : {}),
        ...(o.outboundProxy ? { outboundProxy: o.outboundProxy } : {}),
        ...(o.transferPolicy ? { transferPolicy: o.transferPolicy } : {}),
        transport: o.transport,
      },
    } : {}),
  };
}

/** --stun/--turn/--ice/--ice-policy as the call layer takes them; TURN over TLS trusts --tls-ca too. */
function natTraversal(n: NonNullable<CliOptions['nat']>, tlsCa: string | undefined): NonNullable<MediaOverrides['nat']> {
  return {
    ice: n.ice, relayOnly: n.relayOnly,
    ...(n.stun ? { stun: { host: n.stun.host, port: n.stun.port } } : {}),
    ...(n.turn ? { turn: { ...n.turn, ...(tlsCa ? { ca: tlsCa } : {}) } } : {}),
  };
}
