/** The channel map's handlers over the core's services; requests arrive validated (contract/channels.ts). */
import type { CallManager } from '../calls/call-manager.js';
import type { MediaEngine } from '../media/engine/media-engine.js';
import type { AudioDeviceInfo } from '../media/devices/audio-device.js';
import type { ChannelHandlers } from '../contract/channels.js';
import type { AppInfo, Settings, SettingsPatch } from '../contract/settings.js';
import type { AccountService } from './accounts.js';

export interface HandlerDeps {
  info: AppInfo;
  manager: CallManager;
  accounts: AccountService;
  engine: MediaEngine;
  settings(): Settings;
  saveSettings(patch: SettingsPatch): Settings;
}

const ok = <T>(value: T) => ({ ok: true as const, value });

export function createHandlers(d: HandlerDeps): ChannelHandlers {
  return {
    'app.info': async () => ok(d.info),
    'calls.snapshot': async () => ok(d.manager.getState()),
    'calls.command': async (command) => {
      // A dial without an account goes out from the default account.
      const account = command.type === 'dial' && !command.account ? d.accounts.defaultKey() : undefined;
      return d.manager.execute(account ? { ...command, account } : command);
    },
    'accounts.list': async () => ok(d.accounts.views()),
    'accounts.save': (input) => d.accounts.save(input),
    'accounts.remove': ({ key }) => d.accounts.remove(key),
    'settings.get': async () => ok(d.settings()),
    'settings.set': async (patch) => ok(d.saveSettings(patch)),
    'devices.list': async () => {
      try {
        const list = (await d.engine.listDevices()) as AudioDeviceInfo[];
        return ok(list.map((x) => ({ name: x.name, input: x.inputs > 0, output: x.outputs > 0, isDefault: x.isDefault })));
      } catch (e) {
        return { ok: false, error: `cannot list audio devices: ${(e as Error).message}` };
      }
    },
  };
}
