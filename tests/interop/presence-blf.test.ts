/**
 * Busy lamps (RFC 4235 dialog event package through Kamailio's presence_dialoginfo, fed by
 * pua_dialoginfo) and call pickup from a ringing lamp (RFC 3891 Replaces …;early-only), with real
 * peers and audio checked as tones both ways.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testScope } from './harness/index.js';
import { assertHears, registered, sleep, startOurs } from './support/call-control.js';
import { after, lamp, startPresenceBed } from './support/presence-bed.js';

describe('busy lamps and pickup (Kamailio presence, baresip)', () => {
  it('the lamp of 1002 goes ringing when a third phone calls it, busy when answered, idle after hang-up', async (t) => {
    const scope = testScope(t);
    const bed = await startPresenceBed(scope, { '1002': {}, '1010': {} });
    const b2 = bed.peers['1002']!;
    const caller = bed.peers['1010']!;
    const ext = `sip:1002@${bed.domain}`;
    const { p } = startOurs(scope, bed, 'listen');
    await p.waitEvent(registered, 'registered');
    p.command(`subscribe ${ext}`);
    await p.waitEvent(lamp(ext, 'idle'), 'lamp idle');
    let mark = p.events.length;
    await caller.dial(ext);
    await b2.waitForEvent('CALL_INCOMING', 10_000);
    await after(p, mark, lamp(ext, 'ringing'), 'lamp ringing');
    mark = p.events.length;
    await b2.accept();
    await after(p, mark, lamp(ext, 'busy'), 'lamp busy');
    mark = p.events.length;
    await b2.hangup();
    await after(p, mark, lamp(ext, 'idle'), 'lamp idle again');
    const seen = p.events.filter((e) => e.event === 'blf').map((e) => e.state);
    t.diagnostic(`lamp: ${seen.join(' → ')}`);
    assert.deepEqual(seen, ['idle', 'ringing', 'busy', 'idle']);
    p.command(`unsubscribe ${ext}`);
    p.command('quit');
    assert.equal(await p.exited, 0);
  });

  it('pickup: we take the call ringing at 1002 (INVITE with Replaces …;early-only to the caller) and talk to the caller, tones both ways', async (t) => {
    const scope = testScope(t);
    const bed = await startPresenceBed(scope, { '1002': {} });
    const b2 = bed.peers['1002']!;
    const ext = `sip:1002@${bed.domain}`;
    const us = startOurs(scope, bed, 'listen', { user: '1001', tone: 600 });
    await us.p.waitEvent(registered, 'we register');
    us.p.command(`subscribe ${ext}`);
    await us.p.waitEvent(lamp(ext, 'idle'), 'lamp idle');
    // The caller is another instance of our CLI (its own tone and recording).
    const caller = startOurs(scope, bed, 'call', { user: '1003', tone: 1300, target: ext });
    await b2.waitForEvent('CALL_INCOMING', 10_000);
    await us.p.waitEvent(lamp(ext, 'ringing'), 'lamp ringing');
    us.p.command(`pickup ${ext}`);
    const ours = await us.p.waitEvent((e) => e.event === 'call' && e.direction === 'outgoing' && e.state === 'confirmed', 'our pickup call answered');
    assert.match(String(ours.remote), /^sip:1003@/);
    await caller.p.waitEvent((e) => e.event === 'call' && e.direction === 'incoming' && e.state === 'confirmed', 'the caller took our call in place of its ringing one');
    await caller.p.waitEvent((e) => e.event === 'call' && e.direction === 'outgoing' && e.state === 'ended', 'the ringing call ended');
    await b2.waitForEvent('CALL_CLOSED', 5000);
    await us.p.waitEvent(lamp(ext, 'idle'), 'lamp idle after the pickup');
    const invite = us.p.stderr().split(/\n(?=>>> |<<< )/).find((m) => m.startsWith('>>> ') && /\nINVITE /.test(m) && /\nReplaces: /i.test(m));
    assert.ok(invite, 'we sent an INVITE with Replaces');
    assert.match(invite, /\nReplaces: [^\r\n]+;early-only/i);
    await sleep(3500);
    us.p.command('quit');
    assert.equal(await us.p.exited, 0);
    assert.equal(await caller.p.exited, 0, 'the caller ends normally when we hang up');
    assertHears(us.rec, 1300, 2, 'we hear the caller');
    assertHears(caller.rec, 600, 2, 'the caller hears us');
  });
});
