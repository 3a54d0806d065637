/**
 * The renderer's side of links from the OS: told a link waits (or (re)connected), the page takes
 * it once, puts it in the dialpad, opens the dialpad and asks — it never sends a dial itself.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PhoneEvent } from '../../../src-main/contract/channels.js';
import { useMessagesStore } from '../../../src-renderer/features/messages/messages-store.js';
import { useAppStore } from '../../../src-renderer/app/app-store.js';
import { useDialpadStore } from '../../../src-renderer/features/dialpad/dialpad-store.js';
import { startLinkRequests } from '../../../src-renderer/features/links/link-requests.js';
import { useLinkStore } from '../../../src-renderer/features/links/link-store.js';
import type { HostLink, LinkStatus } from '../../../src-renderer/transport/link.js';

function fakeLink(links: (string | null)[]) {
  const invoked: string[] = [];
  let onEvent: ((e: PhoneEvent) => void) | undefined;
  let onStatus: ((s: LinkStatus) => void) | undefined;
  const link = {
    invoke: async (channel: string) => {
      invoked.push(channel);
      return channel === 'links.take' ? { ok: true, value: links.shift() ?? null } : { ok: false, error: 'not here' };
    },
    onEvent: (fn: (e: PhoneEvent) => void) => { onEvent = fn; return () => { onEvent = undefined; }; },
    onStatus: (fn: (s: LinkStatus) => void) => { onStatus = fn; return () => { onStatus = undefined; }; },
  } as unknown as HostLink;
  return { link, invoked, event: (e: PhoneEvent) => onEvent?.(e), status: (s: LinkStatus) => onStatus?.(s) };
}
const settle = () => new Promise((r) => setImmediate(r));

describe('links in the renderer', () => {
  it('on connect the page takes the link the app was started with: dialpad filled and shown, the question asked, nothing dialled', async () => {
    useAppStore.getState().setView('settings');
    const f = fakeLink(['+33123456789']);
    const stop = startLinkRequests(f.link);
    f.status('open');
    await settle();
    assert.deepEqual(f.invoked, ['links.take']);
    assert.equal(useDialpadStore.getState().field.raw, '+33123456789');
    assert.equal(useAppStore.getState().view, 'dialpad');
    assert.equal(useLinkStore.getState().pending, '+33123456789');
    assert.ok(!f.invoked.includes('calls.command'), 'no dial without the user');
    stop();
    useLinkStore.getState().settle();
  });

  it('open-link while running takes the new link; no link waiting changes nothing', async () => {
    const f = fakeLink([null, 'sip:alice@example.com']);
    startLinkRequests(f.link);
    f.status('open');
    await settle();
    assert.equal(useLinkStore.getState().pending, undefined);
    f.event({ type: 'open-link' });
    await settle();
    assert.equal(useLinkStore.getState().pending, 'sip:alice@example.com');
    assert.equal(useDialpadStore.getState().field.raw, 'sip:alice@example.com');
  });

  it('a clicked missed-call notification brings History forward', () => {
    const f = fakeLink([]);
    startLinkRequests(f.link);
    f.event({ type: 'show-view', view: 'history' });
    assert.equal(useAppStore.getState().view, 'history');
  });

  it('a clicked message notification opens Messages on that conversation', () => {
    const f = fakeLink([]);
    startLinkRequests(f.link);
    f.event({ type: 'show-view', view: 'messages', peer: 'sip:1002@pbx.example.com' });
    assert.equal(useAppStore.getState().view, 'messages');
    assert.equal(useMessagesStore.getState().open, 'sip:1002@pbx.example.com');
  });
});
