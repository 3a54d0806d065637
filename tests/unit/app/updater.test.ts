/**
 * Auto-update (issue 12): the pure rules (feed from settings, channels, "may we install now?"),
 * the Updater with a stubbed electron-updater `autoUpdater` (background download, install deferred
 * while a call exists, never a quit with a call up), and electron-updater's own generic provider
 * reading a real feed served on 127.0.0.1 (latest.yml / beta.yml per platform) with the feed
 * configuration our Updater hands it.
 */
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { defaultAppSettings, type Settings } from '../../../src-main/contract/settings.js';
import { Desktop } from '../../../src-main/app/desktop.js';
import { installDecision, updaterOptions, type FeedConfig } from '../../../src-main/app/update-policy.js';
import { Updater, type AutoUpdaterPort } from '../../../src-main/app/updater.js';
import { mainStrings } from '../../../src-main/app/strings.js';
import { snapshot } from '../renderer/support.js';

const updates = (over: Partial<Settings['updates']>): Settings['updates'] => ({ ...defaultAppSettings.updates, ...over });

describe('update policy', () => {
  it('no feed, no updates; https or loopback http only; the feed is a folder', () => {
    assert.deepEqual(updaterOptions(updates({})), { ok: false, reason: 'no update feed is configured' });
    for (const bad of ['http://updates.example.com/nimbus', 'ftp://updates.example.com/', 'https://u:p@updates.example.com/', 'https://updates.example.com/?x=1']) {
      assert.equal(updaterOptions(updates({ feedUrl: bad })).ok, false, bad);
    }
    const stable = updaterOptions(updates({ feedUrl: 'https://updates.example.com/nimbus' }));
    assert.deepEqual(stable, { ok: true, value: { feed: { provider: 'generic', url: 'https://updates.example.com/nimbus/', channel: 'latest' }, allowPrerelease: false, allowDowngrade: false } });
    const beta = updaterOptions(updates({ feedUrl: 'http://127.0.0.1:8080/feed/', channel: 'beta' }));
    assert.deepEqual(beta, { ok: true, value: { feed: { provider: 'generic', url: 'http://127.0.0.1:8080/feed/', channel: 'beta' }, allowPrerelease: true, allowDowngrade: false } });
  });

  it('installs only with an update downloaded, no call, and nobody working in the window', () => {
    const table: Array<[boolean, number, boolean, ReturnType<typeof installDecision>]> = [
      [false, 0, false, 'nothing'],
      [true, 1, false, 'wait-for-calls'],
      [true, 2, true, 'wait-for-calls'],
      [true, 0, true, 'wait-for-idle'],
      [true, 0, false, 'install'],
    ];
    for (const [downloaded, liveCalls, windowFocused, expected] of table) {
      assert.equal(installDecision({ downloaded, liveCalls, windowFocused }), expected, JSON.stringify({ downloaded, liveCalls, windowFocused }));
    }
  });
});

/** electron-updater's autoUpdater as a stub recording what the Updater does to it. */
function stubUpdater() {
  const listeners = new Map<string, (arg: never) => void>();
  const log: string[] = [];
  const port = {
    autoDownload: false, autoInstallOnAppQuit: false, allowPrerelease: false, allowDowngrade: false,
    _channel: null as string | null,
    feeds: [] as FeedConfig[],
    get channel() { return this._channel; },
    // electron-updater: setting the channel turns downgrades on.
    set channel(c: string | null) { this._channel = c; this.allowDowngrade = true; },
    setFeedURL(feed: FeedConfig) { this.feeds.push(feed); },
    checkForUpdates: async () => void log.push('check'),
    quitAndInstall: (silent?: boolean, runAfter?: boolean) => void log.push(`install silent=${silent} runAfter=${runAfter}`),
    on(event: string, l: (arg: never) => void) { listeners.set(event, l); return port; },
  };
  const emit = (event: string, arg: unknown) => listeners.get(event)!(arg as never);
  return { port: port as typeof port & AutoUpdaterPort, log, emit };
}

function setup() {
  const u = stubUpdater();
  const timers: Array<{ fn: () => void; ms: number; cleared: boolean }> = [];
  const notices: string[] = [];
  const quits: string[] = [];
  const desktop = new Desktop({
    platform: 'win32', argv: [], openedAtLogin: () => false, setLoginItemSettings: () => {}, setBadgeCount: () => {},
    strings: () => mainStrings('en', []), notify: () => {}, mainWindow: () => undefined, showMain: () => {}, sendToPages: () => {},
    command: async () => {}, confirmQuit: async () => true, quit: () => void quits.push('quit'),
  });
  const window = { focused: false };
  const updater = new Updater({
    updater: u.port,
    liveCalls: () => desktop.calls.count,
    windowFocused: () => window.focused,
    allowQuit: () => desktop.allowQuitForUpdate(),
    notice: (m) => void notices.push(m),
    setInterval: (fn, ms) => { const t = { fn, ms, cleared: false }; timers.push(t); return t; },
    clearInterval: (t) => void ((t as { cleared: boolean }).cleared = true),
  });
  return { ...u, updater, desktop, window, timers, notices, quits };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('Updater (stubbed autoUpdater)', () => {
  it('downloads in the background; reads the feed at start, on a change of channel, and every 4 hours', async () => {
    const s = setup();
    assert.equal(s.port.autoDownload, true);
    s.updater.configure(updates({}));
    assert.deepEqual(s.port.feeds, [], 'no feed: nothing read');
    s.updater.configure(updates({ feedUrl: 'https://updates.example.com/nimbus' }));
    assert.deepEqual(s.port.feeds, [{ provider: 'generic', url: 'https://updates.example.com/nimbus/', channel: 'latest' }]);
    assert.equal(s.port.channel, 'latest');
    assert.equal(s.port.allowDowngrade, false, 'set after the channel (which turns it on)');
    assert.equal(s.port.allowPrerelease, false);
    s.updater.configure(updates({ feedUrl: 'https://updates.example.com/nimbus' }));
    assert.equal(s.port.feeds.length, 1, 'the same settings again: not read again');
    s.updater.configure(updates({ feedUrl: 'https://updates.example.com/nimbus', channel: 'beta' }));
    assert.equal(s.port.channel, 'beta');
    assert.equal(s.port.allowPrerelease, true);
    await tick();
    assert.deepEqual(s.log, ['check', 'check']);
    assert.equal(s.timers.length, 2);
    assert.equal(s.timers[0]!.cleared, true, 'the old timer is stopped');
    assert.equal(s.timers[1]!.ms, 4 * 3600_000);
    s.timers[1]!.fn();
    await tick();
    assert.deepEqual(s.log, ['check', 'check', 'check']);
  });

  it('a download during a call waits for the last call to end, then installs silently and restarts', () => {
    const s = setup();
    s.updater.configure(updates({ feedUrl: 'https://updates.example.com/nimbus' }));
    s.desktop.onPhoneEvent({ type: 'call', call: snapshot({ id: 'a', state: 'active' }) });
    s.desktop.onPhoneEvent({ type: 'call', call: snapshot({ id: 'b', state: 'incoming', direction: 'incoming' }) });
    s.emit('update-downloaded', { version: '1.2.0' });
    assert.equal(s.updater.downloaded, '1.2.0');
    assert.ok(!s.log.some((l) => l.startsWith('install')), 'not during calls');
    s.desktop.onPhoneEvent({ type: 'call', call: snapshot({ id: 'a', state: 'ended' }) });
    assert.equal(s.updater.maybeInstall(), false, 'one call left (ringing)');
    s.desktop.onPhoneEvent({ type: 'call', call: snapshot({ id: 'b', state: 'ended', direction: 'incoming' }) });
    assert.equal(s.updater.maybeInstall(), true);
    assert.deepEqual(s.log.filter((l) => l.startsWith('install')), ['install silent=true runAfter=true']);
    assert.equal(s.updater.maybeInstall(), false, 'once');
  });

  it('waits while the person works in the window; installs when it loses focus', () => {
    const s = setup();
    s.window.focused = true;
    s.emit('update-downloaded', { version: '1.2.0' });
    assert.equal(s.log.length, 0);
    s.window.focused = false;
    assert.equal(s.updater.maybeInstall(), true);
  });

  it('with no call the download installs at once; the quit it starts is not held by close-to-tray', () => {
    const s = setup();
    s.emit('update-downloaded', { version: '1.2.0' });
    assert.deepEqual(s.log, ['install silent=true runAfter=true']);
    const close = { prevented: false, preventDefault() { close.prevented = true; } };
    s.desktop.start();
    s.desktop.onWindowClose(close);
    assert.equal(close.prevented, false, 'the window closes instead of hiding to the tray');
  });

  it('never quits with a call up: the Desktop refuses the update\'s quit during a call', () => {
    const s = setup();
    s.desktop.onPhoneEvent({ type: 'call', call: snapshot({ id: 'a', state: 'active' }) });
    assert.equal(s.desktop.allowQuitForUpdate(), false);
    const quit = { prevented: false, preventDefault() { quit.prevented = true; } };
    s.desktop.onBeforeQuit(quit);
    assert.equal(quit.prevented, true, 'a quit during the call still asks');
  });

  it('feed errors become notices, not crashes', async () => {
    const s = setup();
    s.port.checkForUpdates = async () => { throw new Error('ERR_UPDATER_CHANNEL_FILE_NOT_FOUND'); };
    s.updater.configure(updates({ feedUrl: 'https://updates.example.com/nimbus' }));
    s.emit('error', new Error('net::ERR_CONNECTION_REFUSED'));
    await tick();
    assert.deepEqual(s.notices.sort(), ['update: ERR_UPDATER_CHANNEL_FILE_NOT_FOUND', 'update: net::ERR_CONNECTION_REFUSED']);
  });
});

describe('electron-updater\'s generic provider on a real local feed', () => {
  // electron-updater's own modules (no Electron needed for feed parsing); its HTTP goes through a
  // small node:http executor in place of Electron's net.
  const requireUpdater = createRequire(createRequire(import.meta.url).resolve('electron-updater'));
  const { createClient } = requireUpdater('./providerFactory.js') as { createClient(feed: unknown, updater: unknown, options: unknown): { getLatestVersion(): Promise<{ version: string; path: string; files: Array<{ url: string }> }> } };
  const { HttpExecutor } = requireUpdater('builder-util-runtime') as { HttpExecutor: new () => object };
  class NodeExecutor extends HttpExecutor {
    createRequest(options: object, callback: (response: unknown) => void) {
      return httpRequest(options, callback);
    }
  }
  const yml = (version: string, file: string) => `version: ${version}\nfiles:\n  - url: ${file}\n    sha512: ${'A'.repeat(86)}==\n    size: 1024\npath: ${file}\nsha512: ${'A'.repeat(86)}==\nreleaseDate: '2026-12-01T10:00:00.000Z'\n`;
  const files: Record<string, string> = {
    '/feed/latest.yml': yml('1.2.0', 'Nimbus-Phone-Setup-1.2.0.exe'),
    '/feed/beta.yml': yml('1.3.0-beta.2', 'Nimbus-Phone-Setup-1.3.0-beta.2.exe'),
    '/feed/latest-mac.yml': yml('1.2.0', 'Nimbus-Phone-1.2.0-arm64-mac.zip'),
    '/feed/beta-mac.yml': yml('1.3.0-beta.2', 'Nimbus-Phone-1.3.0-beta.2-arm64-mac.zip'),
    '/feed/latest-linux.yml': yml('1.2.0', 'Nimbus-Phone-1.2.0.AppImage'),
    '/feed/beta-linux.yml': yml('1.3.0-beta.2', 'Nimbus-Phone-1.3.0-beta.2.AppImage'),
  };
  let server: Server;
  let base: string;
  const asked: string[] = [];
  before(async () => {
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      asked.push(path);
      const body = files[path];
      res.writeHead(body ? 200 : 404, { 'content-type': 'text/yaml' }).end(body ?? 'not found');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  /** What our Updater hands electron-updater for these settings, then the provider electron-updater builds from it. */
  async function latestFor(channel: 'stable' | 'beta', platform: 'win32' | 'darwin' | 'linux', feedUrl = base) {
    const s = setup();
    s.updater.configure(updates({ feedUrl, channel }));
    const provider = createClient(s.port.feeds[0], { channel: s.port.channel, isAddNoCacheQuery: false }, { platform, executor: new NodeExecutor(), isUseMultipleRangeRequest: false });
    return provider.getLatestVersion();
  }

  for (const platform of ['win32', 'darwin', 'linux'] as const) {
    it(`${platform}: stable resolves latest*.yml's 1.2.0, beta resolves beta*.yml's 1.3.0-beta.2`, async () => {
      const stable = await latestFor('stable', platform);
      assert.equal(stable.version, '1.2.0');
      const beta = await latestFor('beta', platform);
      assert.equal(beta.version, '1.3.0-beta.2');
      const suffix = platform === 'win32' ? '' : platform === 'darwin' ? '-mac' : '-linux';
      assert.deepEqual(asked.slice(-2), [`/feed/latest${suffix}.yml`, `/feed/beta${suffix}.yml`]);
    });
  }

  it('a feed without the channel file is an error electron-updater names (and our Updater turns into a notice)', async () => {
    await assert.rejects(latestFor('stable', 'win32', `${base}/missing`), /ERR_UPDATER_CHANNEL_FILE_NOT_FOUND|Cannot find channel "latest.yml"/);
  });
});
