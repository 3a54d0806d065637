/** The channel map's handlers over the core's services; requests arrive validated (contract/channels.ts). */
import type { CallManager } from '../calls/call-manager.js';
import type { MediaEngine } from '../media/engine/media-engine.js';
import type { AudioDeviceInfo } from '../media/devices/audio-device.js';
import type { ChannelHandlers, PhoneEvent, PresenceChannel } from '../contract/channels.js';
import type { AdminConfig, AppInfo, Settings, SettingsPatch } from '../contract/settings.js';
import { adminAccountFor, refusedAccountChange, refusedSettingsChange, withAccountPolicy } from './admin-config.js';
import { historyQuerySchema } from '../contract/directory.js';
import type { HistoryStore } from '../store/history-store.js';
import type { AccountService } from './accounts.js';
import type { ContactDirectory } from './directory-service.js';
import type { CallHistory } from './history.js';
import type { AudioCheck } from './audio-check.js';

export interface HandlerDeps {
  info: AppInfo;
  manager: CallManager;
  accounts: AccountService;
  engine: MediaEngine;
  settings(): Settings;
  saveSettings(patch: SettingsPatch): Settings;
  historyStore: HistoryStore;
  history: CallHistory;
  contacts: ContactDirectory;
  audioCheck: Pick<AudioCheck, 'start' | 'stop'>;
  emit(e: PhoneEvent): void;
  /** The administrator's machine-wide configuration: changes to what it locks are refused. */
  admin?: AdminConfig | undefined;
}

const ok = <T>(value: T) => ({ ok: true as const, value });

/** Every channel but the presence service's (presence-handlers.ts). */
export function createHandlers(d: HandlerDeps): Omit<ChannelHandlers, PresenceChannel> {
  return {
    'app.info': async () => ok(d.info),
    // Links from the OS reach only the Electron host, which answers this itself (src-main/app/desktop.ts).
    'links.take': async () => ok(null),
    'calls.snapshot': async () => ok(d.manager.getState()),
    'calls.command': async (command) => {
      // DND is a setting: stored and announced like any other.
      if (command.type === 'dnd') {
        const refused = refusedSettingsChange({ dnd: command.on }, d.admin);
        return refused ? { ok: false, error: refused } : ok(d.saveSettings({ dnd: command.on }) && undefined);
      }
      // A dial without an account goes out from the default account.
      const account = command.type === 'dial' && !command.account ? d.accounts.defaultKey() : undefined;
      return d.manager.execute(account ? { ...command, account } : command);
    },
    'accounts.list': async () => ok(d.accounts.views()),
    'accounts.save': async (input) => {
      const record = input as unknown as Record<string, unknown>;
      const refused = refusedAccountChange(record, typeof input.key === 'string' ? d.accounts.get(input.key)?.aor : undefined, d.admin);
      return refused ? { ok: false, error: refused } : d.accounts.save(withAccountPolicy(input, d.admin));
    },
    'accounts.remove': async ({ key }) => (adminAccountFor(d.accounts.get(key)?.aor, d.admin)
      ? { ok: false, error: 'provided by your administrator: it cannot be removed' } : d.accounts.remove(key)),
    'settings.get': async () => ok(d.settings()),
    'settings.set': async (patch) => {
      const refused = refusedSettingsChange(patch, d.admin);
      return refused ? { ok: false, error: refused } : ok(d.saveSettings(patch));
    },
    'devices.list': async () => {
      try {
        const list = (await d.engine.listDevices()) as AudioDeviceInfo[];
        return ok(list.map((x) => ({ name: x.name, input: x.inputs > 0, output: x.outputs > 0, isDefault: x.isDefault })));
      } catch (e) {
        return { ok: false, error: `cannot list audio devices: ${(e as Error).message}` };
      }
    },
    'audio.test': async ({ test, on }) => {
      if (on) return d.audioCheck.start(test);
      d.audioCheck.stop();
      return ok(null);
    },
    'history.list': async (q) => ok(d.historyStore.list(historyQuerySchema.parse(q))),
    'history.remove': async ({ id }) => {
      if (!d.historyStore.remove(id)) return { ok: false, error: 'id: no such history entry' };
      d.history.changed();
      return ok(undefined);
    },
    'history.clear': async () => {
      d.historyStore.clear();
      d.history.changed();
      return ok(undefined);
    },
    'history.markSeen': async () => {
      d.history.markSeen();
      return ok(undefined);
    },
    'history.missedCount': async () => ok(d.historyStore.unseenMissed()),
    'contacts.search': async (q) => ok(d.contacts.search(q)),
    'contacts.get': async ({ id }) => {
      const c = d.contacts.get(id);
      return c ? ok(c) : { ok: false, error: 'id: no such contact' };
    },
    'contacts.save': async (input) => {
      const saved = d.contacts.save(input);
      if (saved.ok) d.emit({ type: 'contacts-changed' });
      return saved;
    },
    'contacts.remove': async ({ id }) => {
      if (!d.contacts.remove(id)) return { ok: false, error: 'id: no such contact' };
      d.emit({ type: 'contacts-changed' });
      return ok(undefined);
    },
    'contacts.import': async (request) => {
      const report = await d.contacts.import(request, (done, total) => d.emit({ type: 'import-progress', done, total }));
      if (report.ok && !request.dryRun) d.emit({ type: 'contacts-changed' });
      return report;
    },
    'contacts.export': async () => ok(await d.contacts.exportVCard()),
  };
}
