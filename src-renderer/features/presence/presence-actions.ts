/** Presence requests over the link, applied to the slice (what containers and presence-sync call). */
import type { OwnStatus } from '../../../src-main/contract/presence.js';
import { useAppStore } from '../../app/app-store.js';
import { command, request } from '../../app/request.js';
import { i18n } from '../../i18n/index.js';
import { DISCONNECTED, TIMED_OUT, type HostLink } from '../../transport/link.js';
import { isCurrent } from '../calls/call-view.js';
import { useCallsStore } from '../calls/calls-store.js';
import { dialTarget, type DialTarget } from '../dialpad/number.js';
import { dialAccount } from '../settings/account-form.js';
import { useSettingsStore } from '../settings/settings-store.js';
import { numberIsUri, sipAddress } from './presence-model.js';
import { usePresenceStore } from './presence-store.js';

const account = () => dialAccount(useSettingsStore.getState().accounts);
const from = () => { const a = account(); return a ? { account: a.key } : {}; };

export async function refreshPresence(link: HostLink): Promise<void> {
  const reply = await request(link, 'presence.snapshot', {}, { quiet: true });
  if (!reply.ok) return;
  usePresenceStore.getState().applySnapshot(reply.value);
  void resolveNames(link, reply.value.monitored.map((e) => e.uri));
}

let pending: ReturnType<typeof setTimeout> | undefined;
/** Read the snapshot again soon (a lamp changed: whether its call can be picked up comes with it). */
export function refreshSoon(link: HostLink): void {
  if (pending) clearTimeout(pending);
  pending = setTimeout(() => { pending = undefined; void refreshPresence(link); }, 150);
}

export type WatchResult = DialTarget | { ok: false; error: 'failed' };

/** Watch a colleague typed as an extension, number or SIP address; the target's error when unusable. */
export async function watch(link: HostLink, typed: string): Promise<WatchResult> {
  const target = dialTarget(typed, account());
  if (!target.ok) return target;
  const uri = target.uri.replace(/[;?].*$/, '');
  if (usePresenceStore.getState().monitored.some((e) => e.uri === uri)) return { ok: true, uri };
  const reply = await request(link, 'presence.subscribe', { uri, ...from() });
  if (!reply.ok) return { ok: false, error: 'failed' };
  await refreshPresence(link);
  return { ok: true, uri };
}

export async function unwatch(link: HostLink, uri: string): Promise<void> {
  const reply = await request(link, 'presence.unsubscribe', { uri });
  if (reply.ok) usePresenceStore.getState().removed(uri);
}

export const callUri = (link: HostLink, uri: string) => command(link, { type: 'dial', uri, ...from() });

/** Take the call ringing at a colleague; a refusal (answered meanwhile, no way to pick up) says so in the UI language. */
export async function pickUp(link: HostLink, uri: string, name: string): Promise<void> {
  const reply = await request(link, 'calls.pickup', { uri, ...from() }, { quiet: true });
  if (!reply.ok) notifyFailure(reply.error, i18n.t('presence.pickupFailed', { name }));
}

function notifyFailure(error: string, text: string): void {
  const app = useAppStore.getState();
  if (error === DISCONNECTED || error === TIMED_OUT) app.notify({ kind: error === DISCONNECTED ? 'disconnected' : 'timedOut', text: error });
  else app.notify({ kind: 'core', text });
}

/** The call a colleague can take over: the one talking now (held lines are transferred from their own line). */
export const transferableCall = () => useCallsStore.getState().live.find((c) => isCurrent(c) && c.state !== 'calling' && c.state !== 'early');

/** Blind transfer of the current call to a colleague. */
export async function transferTo(link: HostLink, uri: string): Promise<void> {
  const call = transferableCall();
  if (call) await command(link, { type: 'transfer', callId: call.id, uri });
}

export async function setMyStatus(link: HostLink, status: OwnStatus): Promise<void> {
  const reply = await request(link, 'presence.setStatus', { status });
  if (reply.ok) usePresenceStore.getState().applyOwn(reply.value);
}

export async function callVoicemail(link: HostLink, accountKey: string): Promise<void> {
  const reply = await request(link, 'voicemail.call', { account: accountKey }, { quiet: true });
  if (!reply.ok) notifyFailure(reply.error, /voicemail number/.test(reply.error) ? i18n.t('presence.noVoicemail') : i18n.t('errors.failed', { error: reply.error }));
}

// ---- names: the contact whose number is a watched (or chatting) address ----

const asked = new Set<string>();

/** Forget the names found (the contacts changed) and look the given addresses up again. */
export function contactsChanged(link: HostLink, uris: readonly string[]): void {
  asked.clear();
  void resolveNames(link, uris);
}

/** Find contact names for addresses not looked up yet (one search per address, by its user part). */
export async function resolveNames(link: HostLink, uris: readonly string[]): Promise<void> {
  const todo = [...new Set(uris)].filter((u) => !asked.has(u));
  if (todo.length === 0) return;
  for (const u of todo) asked.add(u);
  const found: Record<string, string | undefined> = {};
  await Promise.all(todo.map(async (uri) => {
    const user = sipAddress(uri)?.user;
    if (!user) return;
    const reply = await request(link, 'contacts.search', { query: user.slice(0, 128), limit: 20 }, { quiet: true });
    if (!reply.ok) { asked.delete(uri); return; }
    found[uri] = reply.value.contacts.find((c) => c.numbers.some((n) => numberIsUri(n.value, uri)))?.name;
  }));
  usePresenceStore.getState().setNames(found);
}
