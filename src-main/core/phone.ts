/**
 * The one factory every host builds the phone with (CLI, Electron main, web host, tests): SIP
 * stack, accounts and registration, network watch, media engine with devices opened only for
 * calls, call manager, storage. Hosts see only this module's `Phone` and the contract.
 */
import { EventEmitter } from 'node:events';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { createSipStack } from '../sip/ua/stack.js';
import { MediaEngine, type EngineIsolation } from '../media/engine/media-engine.js';
import type { DeviceSelection } from '../media/engine/protocol.js';
import { CallManager, defaultSettings } from '../calls/call-manager.js';
import type { Result } from '../contract/calls.js';
import type { ChannelHandlers, PhoneEvent } from '../contract/channels.js';
import { accountSettingsSchema, defaultAppSettings, settingsPatchSchema, type AccountInput, type AccountSettings, type AppInfo, type AudioProcessing, type Settings, type SettingsPatch } from '../contract/settings.js';
import type { IncomingCallPolicy } from '../sip/ua/core/account.js';
import { watchNetwork } from './network-recovery.js';
import { openDatabase, type Database } from '../store/database.js';
import { JsonRows } from '../store/json-rows.js';
import { cipherSecretStore, fileSecretStore, memorySecretStore, type SecretCipher } from '../store/secrets.js';
import { AccountService } from './accounts.js';
import { applyCallPolicy } from './call-policy.js';
import { automation, callManagerSettings, deviceSelection, hostOverrides, withProcessing, type HostCallOptions } from './settings-apply.js';
import { DeviceGate } from './device-gate.js';
import { instanceIdFor } from './instance-id.js';
import { accountNat, mediaOptionsFor, type MediaOverrides } from './media-options.js';
import { keepAliveMapping, keepAliveUnanswered, MappingComparison, probeSipMapping } from './sip-mapping.js';
import { createHandlers } from './handlers.js';
import { AudioCheck } from './audio-check.js';
import { adminAccountFor, adminConfigPath, locksOf, mergeSettings, readAdminConfig } from './admin-config.js';
import { monitoredRowSchema, PresenceService } from './presence-service.js';
import { MessagingService } from './messaging-service.js';
import { createPresenceHandlers } from './presence-handlers.js';
import { MessageStore } from '../store/message-store.js';
import { createContactDirectory } from './contacts.js';
import { CallHistory } from './history.js';
import { HistoryStore } from '../store/history-store.js';

export type { CallAutomation } from './call-policy.js';
export type { MediaOverrides } from './media-options.js';
export type { SecretCipher } from '../store/secrets.js';
export type { DeviceSelection } from '../media/engine/protocol.js';
export type { EngineIsolation } from '../media/engine/media-engine.js';
export { installCrashGuard } from './crash-guard.js';
export { defaultRingtone, listAudioDevices, runEchoTest, type AudioDeviceInfo, type CodecName } from './audio-tools.js';

const userAgent = 'NimbusPhone/0.1.0';

export interface PhoneOptions {
  host: AppInfo['host'] | 'cli';
  version?: string;
  /** Where the database and secrets live; undefined keeps everything in memory (the CLI). */
  dataDir?: string;
  /** Electron's safeStorage: passwords are encrypted with the OS keychain instead of a 0600 file. */
  secretCipher?: SecretCipher;
  devices: DeviceSelection;
  engineIsolation?: EngineIsolation;
  sip: { bindAddress: string; localPort?: number; tlsCa?: string; trace?: (text: string) => void };
  media?: MediaOverrides;
  /** An account from flags or a config file: saved (web, app) or kept for this run (CLI). */
  account?: AccountInput;
  /** Registration settings the host applies to every account (CLI flags). */
  accountExtra?: { expires?: number; incomingCallPolicy?: IncomingCallPolicy };
  /** This run's call options (CLI flags): they override stored settings without being stored. */
  calls?: HostCallOptions;
  /** This run's microphone processing flags (CLI --aec, --ns, --agc): over the stored setting, not stored. */
  processing?: Partial<AudioProcessing>;
  /** The machine-wide configuration file (admin-config.ts); default: the OS's place for it. */
  adminConfigPath?: string;
}

export interface Phone {
  readonly handlers: ChannelHandlers;
  /** Where SIP listens over UDP. */
  readonly sipAddress: { transport: 'udp'; address: string; port: number };
  /** The account saved from `options.account`, if any. */
  readonly accountKey: string | undefined;
  onEvent(listener: (event: PhoneEvent) => void): () => void;
  stop(): Promise<void>;
}

/** Builds and starts the phone; accounts begin registering at once. */
export async function createPhone(options: PhoneOptions): Promise<Phone> {
  const events = new EventEmitter<{ event: [PhoneEvent] }>();
  const emit = (e: PhoneEvent) => events.emit('event', e);
  const notice = (message: string) => emit({ type: 'notice', message });

  const db: Database = openDatabase(options.dataDir ? join(options.dataDir, 'nimbus.sqlite') : ':memory:');
  const keychain = options.secretCipher?.isEncryptionAvailable() ? options.secretCipher : undefined;
  const secrets = !options.dataDir ? memorySecretStore()
    : keychain ? cipherSecretStore(db, keychain)
    : fileSecretStore(join(options.dataDir, 'secrets.json'));
  const settingsRows = new JsonRows(db, 'settings', settingsPatchSchema);
  // The administrator's machine-wide file: its locked settings win over the user's and the host's flags.
  const adminFile = await readAdminConfig(options.adminConfigPath ?? adminConfigPath());
  const admin = adminFile.config;
  if (adminFile.problem) queueMicrotask(() => notice(`administrator configuration not used: ${adminFile.problem}`));
  // Stored settings (what the user chose) and this run's host flags on top (not stored).
  let stored: SettingsPatch = settingsRows.get('app') ?? {};
  let settings: Settings = mergeSettings(defaultAppSettings, { ...stored, ...hostOverrides(options.calls) }, admin);

  if (options.secretCipher && !keychain) {
    queueMicrotask(() => notice('the system keychain is not available: passwords are kept in secrets.json (readable by your user only)'));
  }

  const engine = new MediaEngine(options.engineIsolation ?? 'thread');
  engine.on('error', (e) => notice(`media engine: ${e.message}`));
  engine.on('device', (event, detail) => notice(`audio device ${event}: ${detail}`));
  engine.on('echo-high', (info) => emit({ type: 'echo-advice', ...info }));
  engine.on('no-rtp', (stream, seconds) => notice(`stream ${stream}: no RTP for ${seconds} s`));
  engine.on('stream-failed', (stream, reason) => notice(`stream ${stream} stopped: ${reason}`));
  const devices = new DeviceGate(() => engine, () => withProcessing(deviceSelection(options.devices, settings.audio), settings.audioProcessing, options.processing), notice);
  // Supervision: calls on a dead engine end with cause media-failure; the next call starts a new one.
  engine.on('crashed', (code) => {
    devices.reset();
    notice(`media engine stopped (exit ${code}); calls using it end, the next call restarts it`);
    for (const call of manager.calls.values()) call.failMedia();
  });
  try {
    await devices.check();
  } catch (e) {
    await engine.shutdown();
    db.close();
    throw new Error(`cannot open audio files: ${(e as Error).message}`);
  }

  const stack = await createSipStack({
    bindAddress: options.sip.bindAddress,
    port: options.sip.localPort ?? 0,
    userAgent,
    ...(options.sip.tlsCa ? { tlsCa: options.sip.tlsCa } : {}),
    ...(options.sip.trace ? { trace: options.sip.trace } : {}),
    // A lost flow to a registrar re-registers that account inside the stack (flow-recovery.ts).
    onTransportEvent: (e) => notice(`${e.kind}: ${e.message}`),
  }).catch(async (e: Error) => {
    await engine.shutdown();
    db.close();
    throw new Error(`cannot listen on ${options.sip.bindAddress}:${options.sip.localPort ?? 0}: ${e.message}`);
  });
  const ua = stack.ua;
  ua.on('notice', notice);
  ua.on('mapping', (account, mapped, previous) => emit(keepAliveMapping(account, mapped, previous)));
  // Most PBXs do not answer STUN: an event for diagnostics, not a notice the app would pop up.
  ua.on('stun-unanswered', (account, detail) => emit(keepAliveUnanswered(account, detail)));
  const mappings = new MappingComparison();
  events.on('event', (e) => {
    const differs = mappings.observe(e);
    if (differs) notice(differs);
  });

  const accounts = new AccountService({
    ua,
    rows: new JsonRows<AccountSettings>(db, 'accounts', accountSettingsSchema),
    secrets,
    instanceId: (aor) => instanceIdFor(aor),
    extra: {
      ...(options.accountExtra?.expires !== undefined ? { expires: options.accountExtra.expires } : {}),
      ...(options.accountExtra?.incomingCallPolicy ? { incomingCallPolicy: options.accountExtra.incomingCallPolicy } : {}),
    },
  });
  accounts.on('changed', (list) => emit({ type: 'accounts', accounts: list }));
  accounts.on('registration', (account, s) => emit({
    type: 'registration', account, state: s.state, reason: s.reason, status: s.status, expires: s.expires,
  }));

  const udp = stack.transport.localAddress('udp');
  let nextRtpPort = options.media?.rtpPort;
  const countryOf = (key: string | undefined) => (key ? accounts.get(key)?.defaultCountry : undefined);
  const contacts = createContactDirectory(db, { defaultCountry: () => countryOf(accounts.defaultKey()) });
  const manager = new CallManager({
    ua,
    engine,
    // Caller identification; a late snapshot after the database closed shows no contact.
    identifyContact: (uri, account) => {
      try {
        return contacts.identify(uri, countryOf(account));
      } catch {
        return undefined;
      }
    },
    mediaOptions: (account) => {
      const rtpPort = nextRtpPort;
      if (nextRtpPort !== undefined) nextRtpPort += 2;
      return mediaOptionsFor(account ? accounts.get(account) : undefined, { ...options.media, ...(rtpPort !== undefined ? { rtpPort } : {}) }, options.sip.bindAddress,
        account ? accounts.turnPassword(account) : undefined, options.sip.tlsCa);
    },
  }, { ...defaultSettings, ...callManagerSettings(settings) });

  const historyStore = new HistoryStore(db);
  const history = new CallHistory(historyStore, contacts, countryOf, emit);
  const callsState = () => manager.getState();
  manager.on('event', (e) => {
    if (e.type === 'history') history.record(e.record);
    emit(e);
    if (e.type === 'call') emit({ type: 'calls', state: callsState() });
  });
  const audioCheck = new AudioCheck({
    engine: () => engine, gate: devices, inCall: () => manager.calls.size > 0,
    onChange: (test, running) => emit({ type: 'audio-test', test, running }),
  });
  manager.on('call', (call) => {
    audioCheck.callStarted();
    void devices.acquire().catch(() => call.session.hangup());
    applyCallPolicy(manager, call, automation(settings, options.calls), notice);
    call.once('ended', () => {
      if (call.stats && call.answeredAt !== undefined) emit({ type: 'stats', callId: call.id, stats: { ...call.stats, ...(call.iceStats ? { ice: call.iceStats } : {}) } });
      if (manager.getState().calls.every((c) => c.state === 'ended')) devices.release();
    });
  });
  engine.on('level', (inputDb, outputDb) => {
    if (devices.isOpen) emit({ type: 'levels', inputDb, outputDb });
  });

  // Presence, busy lamps, voicemail waiting and messages (issue 11).
  const presence = new PresenceService({
    ua, manager, accounts, rows: new JsonRows(db, 'settings', monitoredRowSchema), settings: () => settings,
    saveSettings: (patch) => void handlers['settings.set'](patch), emit, notice,
  });
  const messaging = new MessagingService({ ua, store: new MessageStore(db), accounts, emit });
  events.on('event', (e) => presence.observe(e));

  accounts.start();
  if (admin) {
    // The administrator's accounts (passwords come from the user) and policies on every account.
    for (const a of admin.accounts) {
      const existing = accounts.views().find((v) => v.aor.toLowerCase() === a.aor.toLowerCase());
      const { enabled: _enabled, isDefault: _isDefault, ...given } = a;
      const saved = await accounts.save(existing ? { ...given, ...admin.accountPolicy, key: existing.key } : { ...a, ...admin.accountPolicy });
      if (!saved.ok) notice(`administrator account ${a.aor}: ${saved.error}`);
    }
    for (const v of accounts.views()) {
      const policy = admin.accountPolicy as Record<string, unknown>;
      if (!adminAccountFor(v.aor, admin) && Object.keys(policy).some((k) => (v as unknown as Record<string, unknown>)[k] !== policy[k])) {
        await accounts.save({ key: v.key, ...admin.accountPolicy });
      }
    }
  }
  let accountKey: string | undefined;
  if (options.account) {
    const saved = await accounts.save(options.account);
    if (!saved.ok) {
      await stop();
      throw new Error(`account: ${saved.error}`);
    }
    accountKey = saved.value.key;
  }

  presence.start();

  // The interfaces are polled every second while calls are up (a call must recover within 5 s of a
  // roam: detection, re-registration, ICE restart), every 15 s otherwise: each poll wakes an idle
  // phone (docs/benchmarks.md, idle). The calls' media renews first, so their refreshes carry offers.
  const network = watchNetwork(ua, notice, { intervalMs: 1000, idleIntervalMs: 15_000, beforeRecovery: () => manager.networkChanged() });
  manager.on('call', (call) => {
    network.setBusy(true);
    call.once('ended', () => {
      if (manager.getState().calls.every((c) => c.state === 'ended')) network.setBusy(false);
    });
  });

  const info: AppInfo = {
    name: 'Nimbus Phone', version: options.version ?? '0.1.0', host: options.host === 'electron' ? 'electron' : 'web',
    ...(admin ? { locked: locksOf(admin) } : {}),
  };
  const handlers: ChannelHandlers = { ...createHandlers({
    info, manager, accounts, engine, historyStore, history, contacts, emit, admin, audioCheck,
    settings: () => settings,
    saveSettings: (patch) => {
      stored = { ...stored, ...patch };
      settingsRows.put('app', stored);
      settings = mergeSettings(settings, patch, admin);
      Object.assign(manager.settings, callManagerSettings(settings));
      // Microphone processing reaches the devices open now, a call in progress included (issue 17).
      void devices.applyProcessing();
      emit({ type: 'settings', settings });
      return settings;
    },
  }), ...createPresenceHandlers(presence, messaging) };

  let stopping: Promise<void> | undefined;
  async function stop(): Promise<void> {
    stopping ??= (async () => {
      network?.stop();
      const live = manager.calls.size;
      manager.hangupAll();
      // Give BYE/CANCEL a moment to leave, and unregister (bounded).
      await new Promise((r) => setTimeout(r, live > 0 ? 300 : 0));
      await presence.stop(2000);
      await Promise.race([stack.stop(), new Promise((r) => setTimeout(r, 4000))]);
      await engine.shutdown();
      db.close();
    })();
    return stopping;
  }

  // The SIP port's public mapping as the STUN server sees it (issue 13): a diagnostic, reported
  // once; the flag's server replaces the accounts' as for media. Started last, so a host that
  // subscribes right after createPhone resolves sees its event.
  const stunServers = options.media?.nat ? [options.media.nat.stun]
    : accounts.views().filter((v) => v.enabled).map((v) => accountNat(accounts.get(v.key), undefined)?.stun);
  const servers = stunServers.filter((s): s is NonNullable<typeof s> => s !== undefined);
  if (servers.length > 0) {
    void probeSipMapping(servers, { stunBinding: (to) => stack.transport.stunBinding(to), family: isIP(udp.address) === 6 ? 6 : 4, emit });
  }

  return {
    handlers,
    sipAddress: { transport: 'udp', address: udp.address, port: udp.port },
    accountKey,
    onEvent(listener) {
      events.on('event', listener);
      return () => void events.off('event', listener);
    },
    stop,
  };
}

/** Loopback peers get a loopback bind; anything else binds all interfaces. */
export function guessBindAddress(uris: Array<string | undefined>): string {
  for (const uri of uris) {
    const host = uri?.replace(/^sips?:/i, '').replace(/^[^@]*@/, '').replace(/[;?].*$/, '');
    const ip = host?.startsWith('[') ? host.slice(1, host.indexOf(']')) : host?.split(':')[0];
    if (ip && isIP(ip)) return ip.startsWith('127.') ? '127.0.0.1' : ip === '::1' ? '::1' : '0.0.0.0';
  }
  return '0.0.0.0';
}

export type { Result };
