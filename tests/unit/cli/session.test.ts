/**
 * The CLI session as its users see it: flags in, commands on stdin, one JSON line per event out,
 * the exit code. Real cores on loopback (null audio); two sessions call each other.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { parseCli } from '../../../src-main/cli/options.js';
import type { CliEvent } from '../../../src-main/cli/output.js';
import { CliSession } from '../../../src-main/cli/session.js';

interface Running {
  events: CliEvent[];
  /** Types one stdin line. */
  type(line: string): void;
  /** The first event (past or future) matching, within a generous wait. */
  next(match: (e: CliEvent) => boolean, what: string): Promise<CliEvent>;
  exit: Promise<number>;
}

function start(argv: string[]): Running {
  const input = new PassThrough();
  const events: CliEvent[] = [];
  const session = new CliSession(parseCli([...argv, '--json', '--null-audio', '--bind-address', '127.0.0.1'], {}), {
    input, write: (line) => events.push(JSON.parse(line) as CliEvent), signals: false,
  });
  const exit = session.run().finally(() => input.end());
  return {
    events,
    type: (line) => input.write(`${line}\n`),
    async next(match, what) {
      const until = Date.now() + 20_000;
      for (;;) {
        const found = events.find(match);
        if (found) return found;
        if (Date.now() > until) throw new Error(`no ${what} in 20 s; events: ${JSON.stringify(events)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    exit,
  };
}

const callIn = (state: string) => (e: CliEvent) => e.event === 'call' && e.state === state;

test('listen: ready names the bound port; calls, a bad line and a usage error are answered on stdout; quit exits 0', async () => {
  const phone = start(['listen', '--local-port', '0']);
  const ready = await phone.next((e) => e.event === 'ready', 'ready');
  assert.ok(ready.event === 'ready' && ready.transport === 'udp' && ready.address === '127.0.0.1' && ready.port > 0, JSON.stringify(ready));
  phone.type('calls');
  assert.deepEqual(await phone.next((e) => e.event === 'calls', 'calls'), { event: 'calls', calls: [] });
  phone.type('frobnicate now');
  const unknown = await phone.next((e) => e.event === 'error', 'error for an unknown word');
  assert.match(unknown.event === 'error' ? unknown.message : '', /^unknown command "frobnicate" \(call <uri> \| answer \[ID\]/);
  phone.type('dtmf');
  const usage = await phone.next((e) => e.event === 'error' && e.message.startsWith('usage'), 'usage error');
  assert.deepEqual(usage, { event: 'error', message: 'usage: dtmf DIGITS' });
  phone.type('hangup');
  await phone.next((e) => e.event === 'error' && e !== unknown && e !== usage, 'error for hangup without a call');
  phone.type('quit');
  assert.equal(await phone.exit, 0);
});

test('call: a second session auto-answers; --duration hangs up; both report the call and the caller exits 0', async () => {
  const callee = start(['listen', '--local-port', '0', '--auto-answer', '--incoming-policy', 'any', '--codecs', 'pcmu']);
  const ready = await callee.next((e) => e.event === 'ready', 'callee ready');
  const port = ready.event === 'ready' ? ready.port : 0;
  const caller = start(['call', `sip:1002@127.0.0.1:${port}`, '--local-port', '0', '--duration', '1']);
  assert.equal(await caller.exit, 0, JSON.stringify(caller.events));
  const states = caller.events.filter((e) => e.event === 'call').map((e) => e.event === 'call' && e.state);
  assert.equal(states[0], 'calling');
  assert.deepEqual(states.slice(-2), ['confirmed', 'ended']);
  const confirmed = caller.events.find(callIn('confirmed'));
  assert.ok(confirmed?.event === 'call' && confirmed.codec === 'PCMU' && confirmed.direction === 'outgoing', JSON.stringify(confirmed));
  const ended = caller.events.find(callIn('ended'));
  assert.ok(ended?.event === 'call' && ended.cause === 'local-hangup', JSON.stringify(ended));
  assert.ok(caller.events.some((e) => e.event === 'stats' && e.packetsSent > 0), 'stats at the end of the answered call');

  const theirs = await callee.next(callIn('ended'), 'callee ended');
  assert.ok(theirs.event === 'call' && theirs.direction === 'incoming' && theirs.cause === 'remote-hangup', JSON.stringify(theirs));
  assert.ok(callee.events.some(callIn('confirmed')));
  callee.type('quit');
  assert.equal(await callee.exit, 0);
});

test('call: the callee rejects from stdin; the caller reports the cause and status and exits 1', async () => {
  const callee = start(['listen', '--local-port', '0', '--incoming-policy', 'any']);
  const ready = await callee.next((e) => e.event === 'ready', 'callee ready');
  const port = ready.event === 'ready' ? ready.port : 0;
  const caller = start(['call', `sip:1002@127.0.0.1:${port}`, '--local-port', '0']);
  await callee.next((e) => e.event === 'call' && e.direction === 'incoming' && e.state === 'ringing', 'callee ringing');
  await caller.next(callIn('ringing'), 'caller hears ringing');
  callee.type('reject');
  assert.equal(await caller.exit, 1);
  const ended = caller.events.find(callIn('ended'));
  assert.ok(ended?.event === 'call' && ended.cause === 'busy' && ended.status === 486, JSON.stringify(ended));
  callee.type('quit');
  assert.equal(await callee.exit, 0);
});
