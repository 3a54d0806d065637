/**
 * Message waiting (RFC 3842): our subscription to message-summary at Kamailio's presence_mwi, fed
 * by a voicemail server's PUBLISH (sipp), and unsolicited NOTIFYs as many PBXs send them (sipp from
 * the registrar's address) — taken only from our server: a stranger's NOTIFY is refused.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { freeUdpTcpPort, runSipp, testScope } from './harness/index.js';
import { registered, startOurs } from './support/call-control.js';
import { after, startPresenceBed } from './support/presence-bed.js';

const SIPP = join(import.meta.dirname, 'fixtures', 'sipp');

describe('message waiting (RFC 3842)', () => {
  it('subscribed: a PUBLISH of Messages-Waiting: yes, Voice-Message: 2/8 at presence_mwi gives the mwi event', async (t) => {
    const scope = testScope(t);
    const bed = await startPresenceBed(scope, {});
    const us = startOurs(scope, bed, 'listen', { user: '1001' });
    await us.p.waitEvent(registered, 'we register');
    // Our SUBSCRIBE to our own message-summary goes out at registration; give it a moment.
    await new Promise((r) => setTimeout(r, 700));
    assert.match(us.p.stderr(), />>> [^\n]*\nSUBSCRIBE sip:1001@[^\n]*\n(?:[^\n]+\n)*?Event: message-summary/);
    const sipp = runSipp({ scenario: join(SIPP, 'publish-mwi.xml'), dir: scope.dir, localPort: await freeUdpTcpPort(1), remote: bed.domain });
    scope.use(sipp);
    const result = await sipp.done;
    assert.equal(result.code, 0, result.log);
    const mwi = await us.p.waitEvent((e) => e.event === 'mwi', 'mwi event');
    assert.deepEqual({ account: mwi.account, waiting: mwi.waiting, new: mwi.new, old: mwi.old },
      { account: `sip:1001@${bed.domain}`, waiting: true, new: 2, old: 8 });
    us.p.command('quit');
    assert.equal(await us.p.exited, 0);
    // Unsubscribed at exit (Expires: 0 in the subscription's dialog).
    assert.match(us.p.stderr(), />>> [^\n]*\nSUBSCRIBE [^\n]*\n(?:[^\n]+\n)*?Event: message-summary\r?\n(?:[^\n]+\n)*?Expires: 0/);
  });

  it('unsolicited: NOTIFYs from the registrar\'s address light and clear the indicator; a stranger\'s NOTIFY gets 403', async (t) => {
    const scope = testScope(t);
    const bed = await startPresenceBed(scope, {});
    const us = startOurs(scope, bed, 'listen', { user: '1001' });
    await us.p.waitEvent(registered, 'we register');
    const port = Number((await us.p.waitEvent((e) => e.event === 'ready', 'ready')).port);
    const notify = async (waiting: string, n: number, o: number) => {
      const sipp = runSipp({
        scenario: join(SIPP, 'notify-mwi.xml'), dir: scope.dir, localPort: await freeUdpTcpPort(1), remote: `127.0.0.1:${port}`,
        extraArgs: ['-key', 'waiting', waiting, '-key', 'new', String(n), '-key', 'old', String(o)],
      });
      scope.use(sipp);
      const r = await sipp.done;
      assert.equal(r.code, 0, r.log);
    };
    let mark = us.p.events.length;
    await notify('yes', 3, 9);
    const lit = await after(us.p, mark, (e) => e.event === 'mwi', 'mwi lit');
    assert.deepEqual({ waiting: lit.waiting, new: lit.new, old: lit.old }, { waiting: true, new: 3, old: 9 });
    mark = us.p.events.length;
    await notify('no', 0, 12);
    const cleared = await after(us.p, mark, (e) => e.event === 'mwi', 'mwi cleared');
    assert.deepEqual({ waiting: cleared.waiting, new: cleared.new, old: cleared.old }, { waiting: false, new: 0, old: 12 });

    // From 127.0.0.2 (not the registrar): refused, nothing shown.
    mark = us.p.events.length;
    const socket = createSocket('udp4');
    scope.use({ stop: () => new Promise<void>((resolve) => socket.close(() => resolve())) });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.2', resolve));
    const body = 'Messages-Waiting: yes\r\nVoice-Message: 99/99\r\n';
    const request = [
      `NOTIFY sip:1001@127.0.0.1:${port} SIP/2.0`, `Via: SIP/2.0/UDP 127.0.0.2:${socket.address().port};branch=z9hG4bKstrangemwi;rport`,
      'Max-Forwards: 70', 'From: <sip:vm@127.0.0.2>;tag=x1', `To: <sip:1001@127.0.0.1:${port}>`, 'Call-ID: strange-mwi', 'CSeq: 1 NOTIFY',
      'Event: message-summary', 'Subscription-State: active', 'Content-Type: application/simple-message-summary',
      `Content-Length: ${Buffer.byteLength(body)}`, '', body,
    ].join('\r\n');
    const answer = new Promise<string>((resolve) => socket.once('message', (m) => resolve(m.toString('utf8'))));
    socket.send(request, port, '127.0.0.1');
    assert.match(await answer, /^SIP\/2\.0 403 /);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(us.p.events.slice(mark).filter((e) => e.event === 'mwi'), [], 'the indicator did not change');
    us.p.command('quit');
    assert.equal(await us.p.exited, 0);
  });
});
