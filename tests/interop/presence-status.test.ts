/**
 * Presence (RFC 3856 SUBSCRIBE, PIDF RFC 3863 with RPID RFC 4480) and publication (RFC 3903)
 * through Kamailio's presence server: what baresip and a second instance of our CLI publish shows
 * up on our side; what we publish — the status we pick, "on the phone" during a call — shows up at
 * baresip and at the other CLI; leaving removes it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testScope, waitFor } from './harness/index.js';
import { registered, startOurs } from './support/call-control.js';
import { after, baresipContacts, presenceOf, startPresenceBed } from './support/presence-bed.js';
import type { Softphone, SoftphoneEvent } from '../support/softphone-process.js';

const presence = (uri: string) => (e: SoftphoneEvent) => e.event === 'presence' && e.uri === uri;

/** The next presence event for `uri` after `from`, with the status expected. */
async function next(p: Softphone, from: number, uri: string, status: string, what: string): Promise<SoftphoneEvent> {
  const e = await after(p, from, presenceOf(uri, status), what);
  return e;
}

describe('presence and publication (Kamailio presence server)', () => {
  it('what baresip publishes (its presence module) and what our second CLI publishes (status) shows up here', async (t) => {
    const scope = testScope(t);
    const bed = await startPresenceBed(scope, { '1002': {} });
    const b2 = bed.peers['1002']!;
    const us = startOurs(scope, bed, 'listen', { user: '1001' });
    const other = startOurs(scope, bed, 'listen', { user: '1003' });
    await us.p.waitEvent(registered, 'we register');
    await other.p.waitEvent(registered, '1003 registers');
    const baresipUri = `sip:1002@${bed.domain}`;
    const otherUri = `sip:1003@${bed.domain}`;
    us.p.command(`subscribe ${baresipUri}`);
    us.p.command(`subscribe ${otherUri}`);
    await us.p.waitEvent(presenceOf(baresipUri, 'available'), 'baresip published open');
    await us.p.waitEvent(presenceOf(otherUri, 'available'), '1003 published available');

    let mark = us.p.events.length;
    assert.equal((await b2.command('presence_offline')).ok, true);
    await next(us.p, mark, baresipUri, 'offline', 'baresip offline (basic closed)');
    mark = us.p.events.length;
    await b2.command('presence_online');
    await next(us.p, mark, baresipUri, 'available', 'baresip online again');

    for (const status of ['away', 'busy', 'dnd', 'available']) {
      mark = us.p.events.length;
      other.p.command(`status ${status}`);
      const e = await next(us.p, mark, otherUri, status, `1003 ${status}`);
      assert.equal(e.note, null);
    }
    const dnd = other.p.events.filter((e) => e.event === 'error');
    assert.deepEqual(dnd, [], 'the other CLI took every status');
    us.p.command('quit');
    other.p.command('quit');
    assert.equal(await us.p.exited, 0);
    assert.equal(await other.p.exited, 0);
  });

  it('our PUBLISH is seen by baresip and by the other CLI — busy, then "on the phone" during a call — and is removed when we leave', async (t) => {
    const scope = testScope(t);
    const bed = await startPresenceBed(scope, { '1002': { watch: ['1001'] } });
    const b2 = bed.peers['1002']!;
    const ourUri = `sip:1001@${bed.domain}`;
    const us = startOurs(scope, bed, 'listen', { user: '1001' });
    const other = startOurs(scope, bed, 'listen', { user: '1003' });
    await us.p.waitEvent(registered, 'we register');
    await other.p.waitEvent(registered, '1003 registers');
    other.p.command(`subscribe ${ourUri}`);
    await other.p.waitEvent(presenceOf(ourUri, 'available'), '1003 sees us available');
    const baresipSees = async (status: string, what: string) => waitFor(async () => new RegExp(`${status}\\s+<sip:1001@`).test(await baresipContacts(b2)), {
      timeoutMs: 10_000, what, intervalMs: 200, log: b2.log,
    });
    // baresip re-subscribes to its contacts on its own schedule; wait for its first view of us.
    await baresipSees('Online', 'baresip sees us online');

    let mark = other.p.events.length;
    us.p.command('status busy');
    await next(other.p, mark, ourUri, 'busy', '1003 sees us busy');
    await baresipSees('Busy', 'baresip sees us busy');
    mark = other.p.events.length;
    us.p.command('status available');
    await next(other.p, mark, ourUri, 'available', '1003 sees us available');
    await baresipSees('Online', 'baresip sees us online again');

    // A call: the phone sets "on the phone" by itself.
    mark = other.p.events.length;
    us.p.command(`call sip:1002@${bed.domain}`);
    await b2.waitForEvent('CALL_INCOMING', 10_000);
    await b2.accept();
    await us.p.waitEvent((e) => e.event === 'call' && e.state === 'confirmed', 'our call answered');
    const onPhone = await next(other.p, mark, ourUri, 'busy', '1003 sees us on the phone');
    assert.equal(onPhone.note, 'On the phone');
    await baresipSees('Busy', 'baresip sees us busy (rpid:on-the-phone)');
    mark = other.p.events.length;
    await b2.hangup();
    await us.p.waitEvent((e) => e.event === 'call' && e.state === 'ended', 'call ended');
    const back = await next(other.p, mark, ourUri, 'available', '1003 sees us available after the call');
    assert.equal(back.note, null);

    // Leaving: PUBLISH with Expires: 0 removes our state at once (not when it would expire).
    mark = other.p.events.length;
    us.p.command('quit');
    assert.equal(await us.p.exited, 0);
    await after(other.p, mark, presenceOf(ourUri, 'offline'), '1003 sees us offline when we leave', 5000);
    const trace = us.p.stderr();
    assert.match(trace, />>> [^\n]*\nPUBLISH [^\n]*\n(?:[^\n]+\n)*?Expires: 0\r?\n/, 'a PUBLISH with Expires: 0 went out');
    other.p.command('quit');
    assert.equal(await other.p.exited, 0);
    const seen = other.p.events.filter(presence(ourUri)).map((e) => `${e.status}${e.note ? ` (${e.note})` : ''}`);
    t.diagnostic(`1003 saw: ${seen.join(' → ')}`);
  });
});
