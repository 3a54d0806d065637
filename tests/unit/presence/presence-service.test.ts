/**
 * The core's presence service over a user agent on the fake network (scripted presence server):
 * watched colleagues kept across restarts, lamps from dialog-info, our PUBLISH following status,
 * DND and calls ("on the phone"), message waiting, pickup (Replaces, else feature code) and the
 * voicemail call.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { parseUri } from '../../../src-main/sip/message/index.js';
import type { SipRequest } from '../../../src-main/sip/message/index.js';
import { PresenceService, voicemailTarget, type MonitoredRow } from '../../../src-main/core/presence-service.js';
import type { PhoneEvent } from '../../../src-main/contract/channels.js';
import type { AccountSettings, Settings } from '../../../src-main/contract/settings.js';
import { defaultAppSettings } from '../../../src-main/contract/settings.js';
import { FakeNetwork, Notifier, PBX, subscriber } from './support.js';

const settingsFor = (over: Partial<AccountSettings> = {}): AccountSettings => ({
  key: 'alice', aor: `sip:alice@${PBX}`, transport: 'udp', srtp: 'off', codecs: ['pcmu'], enabled: true, isDefault: true, ...over,
}) as AccountSettings;

function bed(over: Partial<AccountSettings> = {}, stored: MonitoredRow = []) {
  const net = new FakeNetwork();
  const pbx = new Notifier(net, () => 200, { edit: (req, r) => { if (req.method === 'PUBLISH' && r.status < 300) r.headers.append('SIP-ETag', 'e1'); } });
  const { alice } = subscriber(net);
  const events: PhoneEvent[] = [];
  const notices: string[] = [];
  const dials: Array<{ uri: string; account: string | undefined; headers: Array<[string, string]> | undefined }> = [];
  let settings: Settings = { ...defaultAppSettings };
  const accounts = Object.assign(new EventEmitter(), {
    get: (key: string) => (key === 'alice' ? settingsFor(over) : undefined),
    defaultKey: () => 'alice',
  });
  const rows = new Map<string, MonitoredRow>([['presence.monitored', stored]]);
  const service = new PresenceService({
    ua: alice.ua,
    manager: { dial: async (uri: string, account?: string, headers?: Array<[string, string]>) => {
      dials.push({ uri, account, headers });
      return { ok: true, value: 'call-1' };
    } },
    accounts,
    rows: { get: (k: string) => rows.get(k), put: (k: string, v: MonitoredRow) => void rows.set(k, v) },
    settings: () => settings,
    saveSettings: (patch) => {
      settings = { ...settings, ...patch } as Settings;
      service.observe({ type: 'settings', settings });
    },
    emit: (e) => events.push(e),
    notice: (m) => notices.push(m),
  });
  const registered = () => accounts.emit('registration', 'alice', { state: 'registered' });
  return { net, pbx, service, events, notices, dials, rows, registered, settings: () => settings };
}

const publishes = (pbx: Notifier) => pbx.requests.filter((r) => r.method === 'PUBLISH' && r.body.length > 0).map((r) => r.body.toString());
const subscribe = (pbx: Notifier, event: string, user = 'bob') => pbx.subscribes().find((r) => r.headers.get('Event') === event && r.uri.user === user);

test('registered: PUBLISH our state and SUBSCRIBE to our own message-summary; status, DND and calls change what we publish', async () => {
  const b = bed();
  b.registered();
  await b.net.run(50);
  assert.match(publishes(b.pbx)[0] ?? '', /<basic>open<\/basic>.*<rpid:activities><\/rpid:activities>/s);
  assert.ok(subscribe(b.pbx, 'message-summary', 'alice'), 'RFC 3842 §3: subscribed to our own address');
  b.service.setStatus('away', 'back at 3');
  await b.net.run(50);
  assert.match(publishes(b.pbx).at(-1)!, /<rpid:away\/>.*<dm:note>back at 3<\/dm:note>/s);
  b.service.setStatus('dnd', undefined);
  await b.net.run(50);
  assert.equal(b.settings().dnd, true, 'dnd turns on do not disturb');
  assert.match(publishes(b.pbx).at(-1)!, /<rpid:busy\/><rpid:other>dnd<\/rpid:other>/);
  // DND turned off elsewhere (settings): back to the status before it.
  b.service.observe({ type: 'settings', settings: { ...b.settings(), dnd: false } });
  await b.net.run(50);
  assert.equal(b.service.snapshot().own.status, 'away');
  b.service.observe({ type: 'calls', state: { calls: [{ state: 'active' }], muted: false, dnd: false } } as unknown as PhoneEvent);
  await b.net.run(50);
  assert.match(publishes(b.pbx).at(-1)!, /<rpid:on-the-phone\/>/);
  b.service.observe({ type: 'calls', state: { calls: [], muted: false, dnd: false } } as unknown as PhoneEvent);
  await b.net.run(50);
  assert.doesNotMatch(publishes(b.pbx).at(-1)!, /on-the-phone/);
  assert.deepEqual(b.events.filter((e) => e.type === 'own-presence').map((e) => e.type === 'own-presence' && `${e.presence.status}${e.presence.onThePhone ? '+phone' : ''}`),
    ['away', 'dnd', 'away', 'away+phone', 'away']);
});

test('watched colleagues: kept in the rows, lamp from dialog-info (empty NOTIFY = idle), pickup by Replaces, unwatch', async () => {
  const b = bed();
  assert.deepEqual(b.service.subscribe(`sip:bob@${PBX}`), { ok: true, value: undefined });
  assert.deepEqual(b.rows.get('presence.monitored'), [{ uri: `sip:bob@${PBX}` }]);
  await b.net.run(20);
  const dialog = subscribe(b.pbx, 'dialog')!;
  assert.ok(subscribe(b.pbx, 'presence'));
  b.pbx.notify(dialog, { state: 'active;expires=600' });
  await b.net.run(20);
  assert.equal(b.service.snapshot().monitored[0]!.lamp, 'idle');
  assert.deepEqual(await b.service.pickup(`sip:bob@${PBX}`), { ok: false, error: `calls.pickup: no call is ringing at sip:bob@${PBX}` });
  b.pbx.notify(dialog, { state: 'active;expires=600', body: '<dialog-info version="0" state="full" entity="sip:bob@pbx"><dialog id="d" call-id="cid" local-tag="bt" remote-tag="ct" direction="recipient"><state>early</state><remote><identity>sip:carol@pbx</identity></remote></dialog></dialog-info>' });
  await b.net.run(20);
  assert.deepEqual(b.events.filter((e) => e.type === 'blf').map((e) => e.type === 'blf' && e.state), ['idle', 'ringing']);
  assert.equal(b.service.snapshot().monitored[0]!.pickup, 'replaces');
  assert.deepEqual(await b.service.pickup(`sip:bob@${PBX}`), { ok: true, value: 'call-1' });
  assert.deepEqual(b.dials[0], { uri: 'sip:carol@pbx', account: 'alice', headers: [['Replaces', 'cid;to-tag=ct;from-tag=bt;early-only']] });
  const stopped = b.service.unsubscribe(`sip:bob@${PBX}`);
  await b.net.run(20);
  assert.deepEqual(await stopped, { ok: true, value: undefined });
  assert.deepEqual(b.rows.get('presence.monitored'), []);
  assert.equal(b.pbx.subscribes().filter((r) => r.headers.get('Expires') === '0').length, 2, 'both subscriptions ended');
});

test('a click on a lamp ringing before its dialog tags are known waits for the NOTIFY that names them, then picks up by Replaces', async () => {
  const b = bed();
  b.service.subscribe(`sip:bob@${PBX}`);
  await b.net.run(20);
  const dialog = subscribe(b.pbx, 'dialog')!;
  // pua_dialoginfo reports the forwarded INVITE (trying) before the callee's 180 gives it a tag.
  b.pbx.notify(dialog, { state: 'active;expires=600', body: '<dialog-info version="0" state="full" entity="sip:bob@pbx"><dialog id="d" call-id="cid" local-tag="bt" direction="recipient"><state>trying</state></dialog></dialog-info>' });
  await b.net.run(20);
  assert.equal(b.service.snapshot().monitored[0]!.lamp, 'ringing');
  assert.equal(b.service.snapshot().monitored[0]!.pickup, 'none');
  const picking = b.service.pickup(`sip:bob@${PBX}`);
  b.pbx.notify(dialog, { state: 'active;expires=600', body: '<dialog-info version="1" state="full" entity="sip:bob@pbx"><dialog id="d" call-id="cid" local-tag="bt" remote-tag="ct" direction="recipient"><state>early</state><remote><identity>sip:carol@pbx</identity></remote></dialog></dialog-info>' });
  await b.net.run(20);
  assert.deepEqual(await picking, { ok: true, value: 'call-1' });
  assert.deepEqual(b.dials[0], { uri: 'sip:carol@pbx', account: 'alice', headers: [['Replaces', 'cid;to-tag=ct;from-tag=bt;early-only']] });
});

test('watched colleagues from an earlier run are subscribed at start; a bad body is ignored with a notice; feature code when no dialog ids', async () => {
  const b = bed({ pickupCode: '*8' }, [{ uri: `sip:bob@${PBX}` }]);
  b.service.start();
  await b.net.run(20);
  const dialog = subscribe(b.pbx, 'dialog')!;
  b.pbx.notify(dialog, { state: 'active;expires=600', body: '<dialog-info version="1"><bad' });
  await b.net.run(20);
  assert.match(b.notices.join('\n'), /busy lamp sip:bob@10\.0\.0\.10: ignored a dialog-info body \(malformed XML/);
  assert.equal(b.service.snapshot().monitored[0]!.lamp, 'unknown');
  assert.deepEqual(await b.service.pickup(`sip:bob@${PBX}`), { ok: true, value: 'call-1' });
  assert.deepEqual(b.dials[0], { uri: `sip:*8bob@${PBX}`, account: 'alice', headers: [] });
});

test('message waiting from our subscription; the voicemail call dials the account\'s number at its domain', async () => {
  const b = bed({ voicemail: '*97' });
  b.registered();
  await b.net.run(50);
  const mwi = subscribe(b.pbx, 'message-summary', 'alice')!;
  b.pbx.notify(mwi, { state: 'active;expires=600', type: 'application/simple-message-summary', body: 'Messages-Waiting: yes\r\nVoice-Message: 2/8\r\n' });
  await b.net.run(20);
  const e = b.events.find((x) => x.type === 'mwi');
  assert.deepEqual(e, { type: 'mwi', mwi: { account: 'alice', waiting: true, new: 2, old: 8, voicemail: `sip:*97@${PBX}` } });
  assert.deepEqual(await b.service.callVoicemail(), { ok: true, value: 'call-1' });
  assert.equal(b.dials[0]!.uri, `sip:*97@${PBX}`);
  let done = false;
  void b.service.stop(1000).then(() => (done = true));
  await b.net.run(1100);
  assert.equal(done, true);
  assert.ok(b.pbx.requests.some((r: SipRequest) => r.method === 'PUBLISH' && r.headers.get('Expires') === '0'), 'our state removed at exit');
});

test('voicemail target: a number at the account\'s domain, a SIP address as is, else the summary\'s Message-Account', () => {
  assert.equal(voicemailTarget(settingsFor({ aor: 'sip:1001@pbx.example.com:5070', voicemail: '*97' }), undefined), 'sip:*97@pbx.example.com:5070');
  assert.equal(voicemailTarget(settingsFor({ voicemail: 'sip:vm@vm.example.com' }), 'sip:other@x'), 'sip:vm@vm.example.com');
  assert.equal(voicemailTarget(settingsFor(), 'sip:1001@vm.example.com'), 'sip:1001@vm.example.com');
  assert.equal(voicemailTarget(settingsFor(), undefined), undefined);
  assert.equal(parseUri(voicemailTarget(settingsFor({ voicemail: '+33123' }), undefined)!).user, '+33123');
});
