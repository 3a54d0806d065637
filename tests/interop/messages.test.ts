/**
 * Instant messages (RFC 3428 MESSAGE, text/plain UTF-8) through Kamailio with digest auth:
 * between two instances of our CLI and with baresip, both ways, accents and emoji intact; a 404
 * reported as failed; a MESSAGE from a stranger refused and never shown.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { testScope, waitFor } from './harness/index.js';
import { registered, startOurs } from './support/call-control.js';
import { after, startPresenceBed } from './support/presence-bed.js';
import type { SoftphoneEvent } from '../support/softphone-process.js';

const text = 'Réunion à 15 h ? Ça marche 👍🏽 — 日本語 ✓';
const message = (from: string, body: string) => (e: SoftphoneEvent) => e.event === 'message' && String(e.from).startsWith(from) && e.text === body;

describe('instant messages (MESSAGE through Kamailio)', () => {
  it('between two CLIs both ways, accents and emoji intact; delivered per the 200; a 404 reported as failed', async (t) => {
    const scope = testScope(t);
    const bed = await startPresenceBed(scope, {});
    const a = startOurs(scope, bed, 'listen', { user: '1001' });
    const b = startOurs(scope, bed, 'listen', { user: '1003' });
    await a.p.waitEvent(registered, '1001 registers');
    await b.p.waitEvent(registered, '1003 registers');
    a.p.command(`message sip:1003@${bed.domain} ${text}`);
    await b.p.waitEvent(message(`sip:1001@`, text), '1003 receives it intact');
    const sent = await a.p.waitEvent((e) => e.event === 'message-status', 'delivery status');
    assert.equal(sent.status, 'delivered');
    assert.equal(sent.code, 200);
    b.p.command(`message sip:1001@${bed.domain} Bien reçu — 😀😀`);
    await a.p.waitEvent(message('sip:1003@', 'Bien reçu — 😀😀'), '1001 receives the reply');
    assert.equal((await b.p.waitEvent((e) => e.event === 'message-status', 'reply status')).status, 'delivered');
    const mark = a.p.events.length;
    a.p.command(`message sip:1099@${bed.domain} anyone there?`);
    const failed = await after(a.p, mark, (e) => e.event === 'message-status', '404 status');
    assert.deepEqual({ status: failed.status, code: failed.code }, { status: 'failed', code: 404 });
    assert.ok(Number(failed.id) > Number(sent.id), 'message ids grow');
    // Digest auth: Kamailio challenged the first MESSAGE and took our credentials.
    assert.match(a.p.stderr(), />>> [^\n]*\nMESSAGE [^\n]*\n(?:[^\n]+\n)*?Proxy-Authorization: Digest /);
    a.p.command('quit');
    b.p.command('quit');
    assert.equal(await a.p.exited, 0);
    assert.equal(await b.p.exited, 0);
  });

  it('with baresip both ways (its contact module sends; it answers 200 to the text Kamailio relayed intact)', async (t) => {
    const scope = testScope(t);
    const bed = await startPresenceBed(scope, { '1002': { watch: ['1001'] } });
    const b2 = bed.peers['1002']!;
    const us = startOurs(scope, bed, 'listen', { user: '1001' });
    await us.p.waitEvent(registered, 'we register');
    us.p.command(`message sip:1002@${bed.domain} ${text}`);
    const status = await us.p.waitEvent((e) => e.event === 'message-status', 'delivery status');
    assert.deepEqual({ status: status.status, code: status.code }, { status: 'delivered', code: 200 });
    // baresip 1.0 shows received texts only on a console UI: the proof is its own 200 (Server:
    // baresip) to the MESSAGE whose body Kamailio logged as it relayed it.
    const ok = us.p.stderr().split(/\n(?=>>> |<<< )/).find((m) => m.startsWith('<<< ') && /\nCSeq: \d+ MESSAGE/.test(m) && /^SIP\/2\.0 200/m.test(m));
    assert.match(ok ?? '', /\nServer: baresip/);
    await waitFor(() => bed.kamailio.log().includes(`MESSAGE for 1002 body [${text}]`), { timeoutMs: 5000, what: 'Kamailio relayed the text intact', intervalMs: 100 });
    assert.equal((await b2.command('contact_next')).ok, true);
    assert.equal((await b2.command('message', 'Salut de baresip — ça va ? 🎉')).ok, true);
    await us.p.waitEvent(message('sip:1002@', 'Salut de baresip — ça va ? 🎉'), 'we receive baresip\'s message intact');
    us.p.command('quit');
    assert.equal(await us.p.exited, 0);
  });

  it('a MESSAGE from a stranger (not via our registrar, not for our user) gets 403 and is not shown', async (t) => {
    const scope = testScope(t);
    const bed = await startPresenceBed(scope, {});
    const us = startOurs(scope, bed, 'listen', { user: '1001' });
    await us.p.waitEvent(registered, 'we register');
    const ready = await us.p.waitEvent((e) => e.event === 'ready', 'ready');
    const port = Number(ready.port);
    // 127.0.0.2 is loopback but not the registrar's address: a scanner elsewhere on the network.
    const socket = createSocket('udp4');
    scope.use({ stop: () => new Promise<void>((resolve) => socket.close(() => resolve())) });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.2', resolve));
    const local = socket.address();
    const body = Buffer.from('cheap calls!!! ☎', 'utf8');
    const request = [
      `MESSAGE sip:100@127.0.0.1:${port} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.2:${local.port};branch=z9hG4bKstranger1;rport`,
      'Max-Forwards: 70', `From: <sip:scanner@127.0.0.2>;tag=s1`, `To: <sip:100@127.0.0.1:${port}>`,
      'Call-ID: stranger-1', 'CSeq: 1 MESSAGE', 'Content-Type: text/plain;charset=UTF-8', `Content-Length: ${body.length}`, '', '',
    ].join('\r\n');
    const answer = new Promise<string>((resolve) => socket.once('message', (m) => resolve(m.toString('utf8'))));
    socket.send(Buffer.concat([Buffer.from(request), body]), port, '127.0.0.1');
    const response = await answer;
    assert.match(response, /^SIP\/2\.0 403 /);
    await us.p.waitEvent((e) => e.event === 'notice' && /refused MESSAGE/.test(String(e.message)), 'a notice says so');
    us.p.command('quit');
    assert.equal(await us.p.exited, 0);
    assert.deepEqual(us.p.events.filter((e) => e.event === 'message'), [], 'nothing shown');
  });
});
