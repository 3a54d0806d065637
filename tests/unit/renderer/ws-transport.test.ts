import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { slowChannelTimeoutMs, type PhoneEvent } from '../../../src-main/contract/channels.js';
import { reconnectDelay } from '../../../src-renderer/transport/backoff.js';
import { DISCONNECTED, TIMED_OUT, type LinkStatus } from '../../../src-renderer/transport/link.js';
import { createWsTransport, socketUrl, type SocketLike } from '../../../src-renderer/transport/ws-transport.js';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((m: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string) { this.sent.push(JSON.parse(data)); }
  close() { this.drop(); }
  open() { this.readyState = 1; this.onopen?.(); }
  drop() { this.readyState = 3; this.onclose?.(); }
  receive(frame: unknown) { this.onmessage?.({ data: JSON.stringify(frame) }); }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number; live: boolean }[] = [];
  const statuses: LinkStatus[] = [];
  const link = createWsTransport({
    url: 'ws://127.0.0.1:1/ws?token=t',
    open: (url) => { const s = new FakeSocket(url); sockets.push(s); return s; },
    timers: {
      set: (fn, ms) => { const t = { fn, ms, live: true }; timers.push(t); return t; },
      clear: (t) => { (t as { live: boolean }).live = false; },
    },
    random: () => 0.5,
    requestTimeoutMs: 1000,
  });
  link.onStatus((s) => statuses.push(s));
  const fire = (ms: number) => { for (const t of timers.filter((x) => x.live && x.ms === ms)) { t.live = false; t.fn(); } };
  return { link, sockets, timers, statuses, fire, last: () => sockets.at(-1)! };
}

describe('renderer: WebSocket transport', () => {
  it('builds the socket address from the page address and its token', () => {
    assert.equal(socketUrl({ protocol: 'http:', host: '127.0.0.1:8080', hash: '#token=a+b/c' }), 'ws://127.0.0.1:8080/ws?token=a%2Bb%2Fc');
    assert.equal(socketUrl({ protocol: 'https:', host: 'h', hash: '#token=x' }), 'wss://h/ws?token=x');
    assert.equal(socketUrl({ protocol: 'http:', host: 'h', hash: '' }), undefined);
  });

  it('sends wire requests and settles them with the matching reply', async () => {
    const { link, last, statuses } = setup();
    assert.deepEqual(await link.invoke('settings.get', {}), { ok: false, error: DISCONNECTED }, 'not open yet');
    last().open();
    assert.deepEqual(statuses, ['connecting', 'open']);
    const pending = link.invoke('calls.command', { type: 'hangup' });
    assert.deepEqual(last().sent, [{ id: 1, channel: 'calls.command', request: { type: 'hangup' } }]);
    last().receive({ kind: 'reply', id: 99, reply: { ok: true, value: 'stray' } });
    last().receive({ kind: 'reply', id: 1, reply: { ok: true, value: 'c1' } });
    assert.deepEqual(await pending, { ok: true, value: 'c1' });
  });

  it('delivers events and ignores malformed frames', () => {
    const { link, last } = setup();
    const events: PhoneEvent[] = [];
    link.onEvent((e) => events.push(e));
    last().open();
    last().onmessage?.({ data: 'not json' });
    last().receive({ kind: 'event' });
    last().receive({ kind: 'event', event: { type: 'levels', inputDb: -20, outputDb: -30 } });
    assert.deepEqual(events, [{ type: 'levels', inputDb: -20, outputDb: -30 }]);
  });

  it('fails requests in flight on a drop, reconnects with back-off and reports open again', async () => {
    const { link, sockets, statuses, fire, last } = setup();
    last().open();
    const pending = link.invoke('accounts.list', {});
    last().drop();
    assert.deepEqual(await pending, { ok: false, error: DISCONNECTED });
    assert.equal(statuses.at(-1), 'closed');
    fire(reconnectDelay(0, 0.5));
    assert.equal(sockets.length, 2);
    last().drop();
    fire(reconnectDelay(1, 0.5));
    assert.equal(sockets.length, 3);
    last().open();
    assert.equal(statuses.at(-1), 'open');
    last().drop();
    fire(reconnectDelay(0, 0.5));
    assert.equal(sockets.length, 4, 'the back-off starts again after a successful open');
  });

  it('times out a request with no reply', async () => {
    const { link, last, fire } = setup();
    last().open();
    const pending = link.invoke('settings.get', {});
    fire(1000);
    assert.deepEqual(await pending, { ok: false, error: TIMED_OUT });
  });

  it('waits longer for a slow channel (a contact import): the default timeout does not end it, its own does', async () => {
    const { link, last, fire } = setup();
    last().open();
    let settled = false;
    const pending = link.invoke('contacts.import', { format: 'vcard', data: '' }).then((r) => { settled = true; return r; });
    fire(1000);
    await Promise.resolve();
    assert.equal(settled, false, 'still waiting after the default timeout');
    fire(slowChannelTimeoutMs['contacts.import']!);
    assert.deepEqual(await pending, { ok: false, error: TIMED_OUT });
  });

  it('stops reconnecting once closed', () => {
    const { link, sockets, timers } = setup();
    link.close();
    assert.equal(timers.filter((t) => t.live).length, 0);
    assert.equal(sockets.length, 1);
  });

  it('backs off from 250 ms to 5 s', () => {
    assert.equal(reconnectDelay(0, 0.5), 250);
    assert.equal(reconnectDelay(3, 0.5), 2000);
    assert.equal(reconnectDelay(30, 0.5), 5000);
    assert.ok(reconnectDelay(30, 1) <= 6250 && reconnectDelay(30, 0) >= 3750);
  });
});
