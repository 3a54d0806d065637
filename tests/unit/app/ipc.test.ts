import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { ChannelHandlers, PhoneEvent } from '../../../src-main/contract/channels.js';
import { EventForwarder, handleInvoke, ipcEventChannel, ipcInvokeChannel, isAppUrl, isTrustedSender, registerInvokeHandler, type SenderInfo } from '../../../src-main/app/ipc.js';

/** A stub of an IPC event as Electron builds it: the sending frame and its web contents. */
function senderEvent(url: string, options: { origin?: string; subframe?: boolean; detached?: boolean } = {}): SenderInfo {
  const mainFrame = { url, origin: options.origin ?? originOf(url), parent: null };
  if (options.detached) return { senderFrame: null, sender: { mainFrame } };
  if (options.subframe) {
    const frame = { url, origin: options.origin ?? originOf(url), parent: mainFrame };
    return { senderFrame: frame, sender: { mainFrame } };
  }
  return { senderFrame: mainFrame, sender: { mainFrame } };
}

/** Chromium's origin for a URL of a standard scheme (Node's URL says "null" for non-special schemes). */
function originOf(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*:)\/\/([^/?#]*)/i.exec(url);
  if (!m || m[1] === 'file:') return 'null';
  return `${m[1]}//${m[2]!.replace(/^.*@/, '')}`;
}

function fakeHandlers(calls: unknown[] = []): ChannelHandlers {
  const ok = async (request: unknown) => {
    calls.push(request);
    return { ok: true as const, value: undefined as never };
  };
  // Every channel answers; `then` stays undefined so a promise of these handlers resolves.
  return new Proxy({} as ChannelHandlers, { get: (_target, key) => (key === 'then' ? undefined : ok) });
}

describe('IPC sender check (exact origin, top frame)', () => {
  const cases: Array<[string, SenderInfo, boolean]> = [
    ['our page, top frame', senderEvent('app://nimbus/index.html'), true],
    ['our page on its incoming route', senderEvent('app://nimbus/index.html#/incoming'), true],
    ['our page with a query', senderEvent('app://nimbus/index.html?x=1'), true],
    ['an iframe of our page', senderEvent('app://nimbus/index.html', { subframe: true }), false],
    ['a frame that is gone (navigated or destroyed)', senderEvent('app://nimbus/index.html', { detached: true }), false],
    ['a foreign https origin', senderEvent('https://evil.example/index.html'), false],
    ['http on our host name', senderEvent('http://nimbus/index.html'), false],
    ['file:// (the old way of loading pages)', senderEvent('file:///opt/Nimbus Phone/resources/app.asar/out/renderer/index.html'), false],
    ['a lookalike host app://nimbus.evil', senderEvent('app://nimbus.evil/index.html'), false],
    ['a lookalike host app://nimbus-evil', senderEvent('app://nimbus-evil/index.html'), false],
    ['a lookalike host app://evilnimbus', senderEvent('app://evilnimbus/index.html'), false],
    ['credentials that look like our host', senderEvent('app://nimbus@evil/index.html'), false],
    ['our host with a port', senderEvent('app://nimbus:8080/index.html'), false],
    ['another scheme, same host', senderEvent('apps://nimbus/index.html'), false],
    ['right URL, but Chromium says another origin', senderEvent('app://nimbus/index.html', { origin: 'null' }), false],
    ['about:blank', senderEvent('about:blank'), false],
    ['data: URL', senderEvent('data:text/html,<script>1</script>'), false],
    ['empty URL', senderEvent(''), false],
  ];
  for (const [name, event, trusted] of cases) {
    it(`${trusted ? 'accepts' : 'refuses'} ${name}`, () => assert.equal(isTrustedSender(event), trusted));
  }

  it('refuses a top-level frame that is not its web contents\' main frame', () => {
    const frame = { url: 'app://nimbus/index.html', origin: 'app://nimbus', parent: null };
    assert.equal(isTrustedSender({ senderFrame: frame, sender: { mainFrame: { ...frame } } }), false);
  });

  it('isAppUrl rejects what is not a URL', () => {
    assert.equal(isAppUrl('nimbus/index.html'), false);
    assert.equal(isAppUrl('app://nimbus'), true);
  });
});

describe('IPC invoke handler', () => {
  it('validates through the contract and answers a Result for trusted senders', async () => {
    const seen: unknown[] = [];
    const reply = await handleInvoke(senderEvent('app://nimbus/index.html'), Promise.resolve(fakeHandlers(seen)), 'calls.command', { type: 'mute' });
    assert.deepEqual(reply, { ok: true, value: undefined });
    assert.deepEqual(seen, [{ type: 'mute' }]);
  });

  it('never reaches a handler for an untrusted sender', async () => {
    const seen: unknown[] = [];
    for (const event of [senderEvent('https://evil.example/'), senderEvent('app://nimbus/index.html', { subframe: true })]) {
      const reply = await handleInvoke(event, Promise.resolve(fakeHandlers(seen)), 'calls.command', { type: 'mute' });
      assert.deepEqual(reply, { ok: false, error: 'untrusted sender' });
    }
    assert.deepEqual(seen, []);
  });

  it('refuses unknown channels and invalid requests without calling a handler', async () => {
    const seen: unknown[] = [];
    const trusted = senderEvent('app://nimbus/index.html');
    assert.deepEqual(await handleInvoke(trusted, Promise.resolve(fakeHandlers(seen)), 'shell.exec', {}), { ok: false, error: 'unknown channel' });
    assert.deepEqual(await handleInvoke(trusted, Promise.resolve(fakeHandlers(seen)), '__proto__', {}), { ok: false, error: 'unknown channel' });
    const bad = await handleInvoke(trusted, Promise.resolve(fakeHandlers(seen)), 'calls.command', { type: 'dial', uri: 'javascript:alert(1)' });
    assert.equal(bad.ok, false);
    assert.deepEqual(seen, []);
  });

  it('answers an error Result when the phone failed to start', async () => {
    const failed = Promise.reject(new Error('port in use'));
    failed.catch(() => undefined);
    assert.deepEqual(await handleInvoke(senderEvent('app://nimbus/index.html'), failed, 'app.info', {}), { ok: false, error: 'the phone could not start: port in use' });
  });

  it('registers one channel on ipcMain and removes it', async () => {
    const registered = new Map<string, (...args: unknown[]) => unknown>();
    const ipcMain = {
      handle: (channel: string, listener: (...args: unknown[]) => unknown) => void registered.set(channel, listener),
      removeHandler: (channel: string) => void registered.delete(channel),
    };
    const remove = registerInvokeHandler(ipcMain as never, Promise.resolve(fakeHandlers()));
    assert.deepEqual([...registered.keys()], [ipcInvokeChannel]);
    const reply = await registered.get(ipcInvokeChannel)!(senderEvent('https://evil.example/'), 'app.info', {});
    assert.deepEqual(reply, { ok: false, error: 'untrusted sender' });
    remove();
    assert.equal(registered.size, 0);
  });
});

describe('Event forwarding', () => {
  class FakeContents extends EventEmitter {
    sent: Array<[string, unknown]> = [];
    destroyed = false;
    constructor(public url: string) { super(); }
    send(channel: string, payload: unknown): void { this.sent.push([channel, payload]); }
    isDestroyed(): boolean { return this.destroyed; }
    getURL(): string { return this.url; }
  }
  const event: PhoneEvent = { type: 'levels', inputDb: -20, outputDb: -30 };

  it('sends each phone event to every page of ours on the event channel', () => {
    const forwarder = new EventForwarder();
    const a = new FakeContents('app://nimbus/index.html');
    const b = new FakeContents('app://nimbus/index.html#/incoming');
    forwarder.add(a);
    forwarder.add(b);
    forwarder.send(event);
    assert.deepEqual(a.sent, [[ipcEventChannel, event]]);
    assert.deepEqual(b.sent, [[ipcEventChannel, event]]);
  });

  it('drops destroyed pages and never sends to a page not on our origin', () => {
    const forwarder = new EventForwarder();
    const gone = new FakeContents('app://nimbus/index.html');
    const foreign = new FakeContents('https://evil.example/');
    forwarder.add(gone);
    forwarder.add(foreign);
    gone.emit('destroyed');
    forwarder.send(event);
    assert.deepEqual(gone.sent, []);
    assert.deepEqual(foreign.sent, []);
    assert.equal(forwarder.size, 1);
  });
});
