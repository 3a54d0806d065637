/**
 * Keeps one headset session open for the window: finds telephony devices through WebHID
 * (`navigator.hid.getDevices()`: in the Electron app main grants them, in a browser the user
 * connects one with "Connect headset"), picks one (headset-choice.ts), follows plug and unplug,
 * the Settings switch and choice, and feeds it the calls. One tab of a browser owns the headset
 * at a time (a Web Lock), so two tabs never both answer a call.
 */
import type { Command } from '../../../src-main/contract/calls.js';
import { command } from '../../app/request.js';
import type { HostLink } from '../../transport/link.js';
import { useCallsStore } from '../calls/calls-store.js';
import { useSettingsStore } from '../settings/settings-store.js';
import { headsetChoices, headsetKey, pickHeadset } from './headset-choice.js';
import { HeadsetSession } from './headset-session.js';
import { useHeadsetStore } from './headset-store.js';
import { UsagePage } from './hid-usages.js';
import { webHidTransport } from './webhid-transport.js';
import type { HID, HIDDevice } from './webhid-types.js';

interface LockManager { request(name: string, callback: () => Promise<void>): Promise<void> }

/** Asks the browser for a telephony headset (the web host's "Connect headset"). */
export async function requestHeadset(hid: HID | undefined = hidOf()): Promise<void> {
  if (!hid) return;
  try {
    await hid.requestDevice({ filters: [{ usagePage: UsagePage.telephony }] });
  } catch {
    // Dismissed chooser: nothing to do.
  }
  await current?.refresh();
}

let current: { refresh(): Promise<void> } | undefined;

function hidOf(): HID | undefined {
  return (navigator as Navigator & { hid?: HID }).hid;
}

export function startHeadset(link: HostLink, hid: HID | undefined = hidOf()): () => void {
  const store = useHeadsetStore.getState();
  if (!hid) {
    store.update({ status: 'unsupported' });
    return () => undefined;
  }
  let stopped = false;
  let session: HeadsetSession | undefined;
  let device: HIDDevice | undefined;
  let queue = Promise.resolve();

  const send = (cmd: Command) => void command(link, cmd);
  const deps = { command: send, now: () => performance.now(), setTimer: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimer: (t: unknown) => clearTimeout(t as ReturnType<typeof setTimeout>) };

  const close = async () => {
    const s = session;
    session = undefined;
    device = undefined;
    await s?.close();
  };

  const sync = async () => {
    const devices = stopped ? [] : await hid.getDevices();
    const { headset, audio } = useSettingsStore.getState().settings;
    useHeadsetStore.getState().update({ devices: headsetChoices(devices) });
    if (stopped || !headset.enabled) {
      await close();
      useHeadsetStore.getState().update({ status: stopped ? 'none' : 'off', active: undefined });
      return;
    }
    const pick = pickHeadset(devices, headset.device, [audio.output, audio.input]);
    if (pick && pick === device) return;
    await close();
    if (!pick) {
      useHeadsetStore.getState().update({ status: 'none', active: undefined, error: undefined });
      return;
    }
    try {
      const { live, muted } = useCallsStore.getState();
      const opened = await HeadsetSession.open(webHidTransport(pick), deps, live, muted);
      if (!opened) throw new Error('no telephony controls');
      session = opened;
      device = pick;
      useHeadsetStore.getState().update({
        status: 'connected', error: undefined,
        active: { key: headsetKey(pick), name: pick.productName, ...opened.controls },
      });
    } catch (e) {
      useHeadsetStore.getState().update({ status: 'error', active: undefined, error: (e as Error).message });
    }
  };
  const refresh = () => (queue = queue.then(sync, sync));

  const onChange = () => void refresh();
  const onDisconnect = (e: { device: HIDDevice }) => {
    if (e.device === device) {
      // Unplugged: its timers stop; writing the dark LEDs fails quietly (nothing to darken).
      const gone = session;
      session = undefined;
      device = undefined;
      void gone?.close();
    }
    void refresh();
  };
  const offSettings = useSettingsStore.subscribe((s, prev) => {
    if (s.settings.headset !== prev.settings.headset || s.settings.audio !== prev.settings.audio) void refresh();
  });
  const offCalls = useCallsStore.subscribe((s, prev) => {
    if (s.live !== prev.live || s.muted !== prev.muted) session?.calls(s.live, s.muted);
  });
  const offStatus = link.onStatus((status) => {
    if (status !== 'open') return;
    void link.invoke('app.info', {}).then((r) => {
      if (r.ok) useHeadsetStore.getState().update({ canRequest: r.value.host === 'web' && typeof hid.requestDevice === 'function' });
    });
  });

  const begin = () => {
    hid.addEventListener('connect', onChange);
    hid.addEventListener('disconnect', onDisconnect);
    current = { refresh };
    void refresh();
  };
  let release: (() => void) | undefined;
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  if (locks) {
    // Held for the page's life; a second tab waits and takes over when the first closes.
    void locks.request('nimbus-headset', () => new Promise<void>((resolve) => {
      release = resolve;
      if (!stopped) begin();
      else resolve();
    }));
  } else {
    begin();
  }

  return () => {
    stopped = true;
    offSettings();
    offCalls();
    offStatus();
    hid.removeEventListener('connect', onChange);
    hid.removeEventListener('disconnect', onDisconnect);
    if (current?.refresh === refresh) current = undefined;
    void refresh().then(() => release?.());
  };
}
