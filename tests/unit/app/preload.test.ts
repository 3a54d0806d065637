// The preload as Electron loads it: the bundle scripts/build-preload.mjs produces (the same step
// `npm run build` runs), evaluated as CommonJS with a stubbed `require('electron')` that records
// what it exposes and what it sends. Any other `require` fails, as in a sandboxed renderer.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { channels, type PhoneEvent, type PhoneTransport } from '../../../src-main/contract/channels.js';
import { ipcEventChannel, ipcInvokeChannel } from '../../../src-main/app/ipc-channels.js';

type Listener = (...args: unknown[]) => void;

interface Loaded {
  exposed: Map<string, unknown>;
  invoked: unknown[][];
  listeners: Map<string, Set<Listener>>;
  api: PhoneTransport;
}

let dir: string;
let bundle: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'nimbus-preload-'));
  const outfile = join(dir, 'preload.cjs');
  execFileSync(process.execPath, ['scripts/build-preload.mjs', outfile], { stdio: 'pipe' });
  bundle = readFileSync(outfile, 'utf8');
});
after(() => rmSync(dir, { recursive: true, force: true }));

function load(): Loaded {
  const exposed = new Map<string, unknown>();
  const invoked: unknown[][] = [];
  const listeners = new Map<string, Set<Listener>>();
  const ipcRenderer = {
    invoke: async (...args: unknown[]) => {
      invoked.push(args);
      return { ok: true, value: 'from main' };
    },
    on: (channel: string, listener: Listener) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
      return ipcRenderer;
    },
    removeListener: (channel: string, listener: Listener) => {
      listeners.get(channel)?.delete(listener);
      return ipcRenderer;
    },
    send: () => assert.fail('the preload must not use ipcRenderer.send'),
    sendSync: () => assert.fail('the preload must not use ipcRenderer.sendSync'),
  };
  const electron = { contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) }, ipcRenderer };
  const required: string[] = [];
  const require = (id: string) => {
    required.push(id);
    if (id === 'electron') return electron;
    throw new Error(`a sandboxed preload cannot require ${id}`);
  };
  const module = { exports: {} };
  new Function('require', 'module', 'exports', bundle)(require, module, module.exports);
  assert.deepEqual(required, ['electron']);
  return { exposed, invoked, listeners, api: exposed.get('nimbus') as PhoneTransport };
}

describe('preload (bundled, sandboxed)', () => {
  it('is one CommonJS file that requires only electron and carries no zod', () => {
    assert.doesNotMatch(bundle, /\brequire\((?!"electron"\))/);
    assert.doesNotMatch(bundle, /node_modules\/zod/);
    assert.ok(bundle.length < 10_000, `preload is ${bundle.length} bytes`);
  });

  it('exposes exactly window.nimbus with invoke and onEvent, and nothing of ipcRenderer', () => {
    const { exposed, api } = load();
    assert.deepEqual([...exposed.keys()], ['nimbus']);
    assert.deepEqual(Object.keys(api).sort(), ['invoke', 'onEvent']);
    for (const value of Object.values(api)) assert.equal(typeof value, 'function');
    assert.ok(!('ipcRenderer' in api) && !('send' in api) && !('on' in api));
  });

  it('sends every channel of the contract on the one invoke channel', async () => {
    const { api, invoked } = load();
    for (const channel of channels) {
      const reply = await api.invoke(channel, {} as never);
      assert.deepEqual(reply, { ok: true, value: 'from main' });
    }
    assert.deepEqual(invoked, channels.map((channel) => [ipcInvokeChannel, channel, {}]));
  });

  it('refuses names outside the channel map before sending anything', async () => {
    const { api, invoked } = load();
    const names: unknown[] = ['shell.exec', 'app:info', 'nimbus:invoke', '__proto__', 'constructor', 'hasOwnProperty', 'toString', '', 'APP.INFO', 42, null, undefined, { toString: () => 'app.info' }, ['app.info']];
    for (const name of names) {
      const reply = await api.invoke(name as never, {} as never);
      assert.equal(reply.ok, false, `accepted ${String(name)}`);
      assert.match((reply as { error: string }).error, /^unknown channel/);
    }
    assert.deepEqual(invoked, []);
  });

  it('delivers events without the IPC event object, and unsubscribes', () => {
    const { api, listeners } = load();
    const received: unknown[][] = [];
    const unsubscribe = api.onEvent((...args: unknown[]) => void received.push(args));
    assert.equal(typeof unsubscribe, 'function');
    const registered = [...(listeners.get(ipcEventChannel) ?? [])];
    assert.equal(registered.length, 1);
    const event: PhoneEvent = { type: 'levels', inputDb: -12, outputDb: -40 };
    const ipcEvent = { sender: 'ipcRenderer itself', ports: [] };
    registered[0]!(ipcEvent, event);
    assert.deepEqual(received, [[event]]);
    unsubscribe();
    assert.equal(listeners.get(ipcEventChannel)?.size, 0);
    assert.equal(listeners.size, 1, 'listens on the event channel only');
  });

  it('refuses a listener that is not a function', () => {
    const { api, listeners } = load();
    assert.throws(() => api.onEvent('alert(1)' as never), TypeError);
    assert.equal(listeners.size, 0);
  });
});
