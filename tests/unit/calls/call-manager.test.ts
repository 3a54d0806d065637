/** The call manager over two or three full stacks (fake network, fake media engine). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCommand } from '../../../src-main/contract/calls.js';
import { callOf, connect, desk, FakeNetwork } from './support.js';

test('the contract rejects bad commands and names the field', () => {
  assert.deepEqual(parseCommand({ type: 'dial', uri: 'sip:bob@x' }), { ok: true, value: { type: 'dial', uri: 'sip:bob@x' } });
  const bad = [
    [{ type: 'teleport' }, /type|discriminator|Invalid/],
    [{ type: 'dial', uri: 'http://x' }, /^uri: /],
    [{ type: 'dtmf', digits: '12x' }, /^digits: /],
    [{ type: 'reject', status: 200 }, /^status: /],
    [{ type: 'hold', callId: 'a', extra: 1 }, /extra|Unrecognized/],
    [null, /./],
  ] as const;
  for (const [input, message] of bad) {
    const r = parseCommand(input);
    assert.equal(r.ok, false, JSON.stringify(input));
    if (!r.ok) assert.match(r.error, message);
  }
});

test('dial, ring, answer: both sides active, media started with the negotiated codec, history on hangup', async () => {
  const net = new FakeNetwork();
  const a = desk(net, 'alice', '10.0.0.1');
  const b = desk(net, 'bob', '10.0.0.2');
  const dialled = await a.manager.execute({ type: 'dial', uri: b.uri });
  assert.equal(dialled.ok, true);
  await net.run(50);
  assert.equal(callOf(b).state, 'incoming');
  assert.deepEqual(b.engine.rings, [true], 'the ringer sounds for the first call');
  assert.equal((await b.manager.execute({ type: 'answer' })).ok, true);
  await net.run(50);
  assert.equal(callOf(a).state, 'active');
  assert.equal(callOf(b).state, 'active');
  assert.deepEqual(b.engine.rings, [true, false]);
  assert.equal([...a.engine.started.values()][0]?.codec, 'opus');
  assert.equal([...a.engine.started.values()][0]?.direction, 'sendrecv');
  await a.manager.execute({ type: 'hangup' });
  await net.run(50);
  const history = b.events.filter((e) => e.type === 'history');
  assert.equal(history.length, 1);
  assert.equal(history[0]?.type === 'history' && history[0].record.outcome, 'answered');
  assert.equal(b.manager.calls.size, 0);
});

test('RFC 3264 §8.4 hold and resume: sendonly offer, the peer shows remote-held, engine stops both ways locally', async () => {
  const net = new FakeNetwork();
  const a = desk(net, 'alice', '10.0.0.1');
  const b = desk(net, 'bob', '10.0.0.2');
  await connect(net, a, b);
  const held = a.manager.execute({ type: 'hold' });
  await net.run(50);
  assert.equal((await held).ok, true);
  assert.equal(callOf(a).state, 'held');
  assert.equal(callOf(b).state, 'remote-held');
  assert.equal([...a.engine.started.values()][0]?.direction, 'inactive', 'no microphone to the held party');
  assert.equal([...b.engine.started.values()][0]?.direction, 'recvonly', 'the held side may still play music on hold');
  const resumed = a.manager.execute({ type: 'resume' });
  await net.run(50);
  assert.equal((await resumed).ok, true);
  assert.equal(callOf(a).state, 'active');
  assert.equal(callOf(b).state, 'active');
});

test('call waiting: a second call beeps in the earpiece, answering it holds the first', async () => {
  const net = new FakeNetwork();
  const a = desk(net, 'alice', '10.0.0.1');
  const b = desk(net, 'bob', '10.0.0.2');
  const c = desk(net, 'carol', '10.0.0.3');
  await connect(net, b, a);
  await c.manager.execute({ type: 'dial', uri: a.uri });
  await net.run(50);
  const first = callOf(a, 0);
  assert.deepEqual(a.engine.rings, [true, false], 'no ringer for the waiting call');
  assert.deepEqual(a.engine.tones.at(-1), [first.media.stream, 'call-waiting']);
  const second = callOf(a, 1);
  const answered = a.manager.execute({ type: 'answer', callId: second.id });
  await net.run(100);
  assert.equal((await answered).ok, true);
  assert.equal(first.state, 'held');
  assert.equal(second.state, 'active');
  assert.equal(callOf(b).state, 'remote-held');
});

test('do not disturb refuses with 486 and the caller sees busy', async () => {
  const net = new FakeNetwork();
  const a = desk(net, 'alice', '10.0.0.1');
  const b = desk(net, 'bob', '10.0.0.2');
  await a.manager.execute({ type: 'dnd', on: true });
  const ended: string[] = [];
  b.manager.on('event', (e) => { if (e.type === 'call' && e.call.state === 'ended') ended.push(`${e.call.cause}/${e.call.status}`); });
  await b.manager.execute({ type: 'dial', uri: a.uri });
  await net.run(100);
  assert.deepEqual(ended, ['busy/486']);
  assert.equal(a.manager.calls.size, 0);
  assert.deepEqual(b.engine.tones.at(-1), ['local-busy', 'busy'], 'the caller hears a busy signal');
});

test('RFC 5589 §6 blind transfer: the peer follows the REFER, our call ends as transferred', async () => {
  const net = new FakeNetwork();
  const a = desk(net, 'alice', '10.0.0.1');
  // Direct-IP desks share no SIP domain: Bob follows any transfer (transfer-policy.test.ts has the rest).
  const b = desk(net, 'bob', '10.0.0.2', {}, { transferPolicy: 'any' });
  const c = desk(net, 'carol', '10.0.0.3');
  c.manager.on('call', (call) => queueMicrotask(() => void c.manager.answer(call.id)));
  await connect(net, a, b);
  const transfer = a.manager.execute({ type: 'transfer', uri: c.uri });
  await net.run(3000);
  assert.equal((await transfer).ok, true);
  const statuses = a.events.filter((e) => e.type === 'transfer').map((e) => e.type === 'transfer' && e.status);
  assert.deepEqual([statuses[0], statuses.at(-1)], ['trying', 'success']);
  const history = a.events.find((e) => e.type === 'history');
  assert.equal(history?.type === 'history' && history.record.outcome, 'transferred');
  assert.equal(callOf(c).state, 'active');
  const bCalls = [...b.manager.calls.values()];
  assert.equal(bCalls.length, 1, 'bob now only has the call to carol');
  assert.equal(bCalls[0]?.snapshot().peer.uri, c.uri);
});

/** Alice with a call to Bob (held by the second dial) and a call to Carol; both peers answer by themselves. */
async function aliceWithTwoCalls() {
  const net = new FakeNetwork();
  const a = desk(net, 'alice', '10.0.0.1');
  const b = desk(net, 'bob', '10.0.0.2');
  const c = desk(net, 'carol', '10.0.0.3');
  for (const peer of [b, c]) peer.manager.on('call', (call) => queueMicrotask(() => void peer.manager.answer(call.id)));
  await a.manager.execute({ type: 'dial', uri: b.uri });
  await net.run(100);
  // Dialling holds the active call first: the re-INVITE needs the network to run.
  const second = a.manager.execute({ type: 'dial', uri: c.uri });
  await net.run(200);
  assert.equal((await second).ok, true);
  return { net, a, b, c, withB: callOf(a, 0), withC: callOf(a, 1) };
}

test('local 3-way conference: both calls active and bridged in the engine, split ends it', async () => {
  const { net, a, withB, withC } = await aliceWithTwoCalls();
  assert.equal(withB.state, 'held', 'dialling the second call held the first');
  const merged = a.manager.execute({ type: 'conference', callIds: [withB.id, withC.id] });
  await net.run(100);
  assert.equal((await merged).ok, true);
  assert.deepEqual([withB.state, withC.state], ['conference', 'conference']);
  assert.deepEqual(a.engine.conferenceStreams, [withB.media.stream, withC.media.stream]);
  const split = a.manager.execute({ type: 'split', callId: withC.id });
  await net.run(100);
  assert.equal((await split).ok, true);
  assert.deepEqual(a.engine.conferenceStreams, []);
  assert.deepEqual([withB.state, withC.state], ['held', 'active']);
});

test('a conference leg hanging up leaves the other party as an ordinary active call', async () => {
  const { net, a, c, withB, withC } = await aliceWithTwoCalls();
  const merged = a.manager.execute({ type: 'conference', callIds: [withB.id, withC.id] });
  await net.run(100);
  await merged;
  await c.manager.execute({ type: 'hangup' });
  await net.run(100);
  assert.equal(withC.state, 'ended');
  assert.equal(withB.state, 'active');
  assert.deepEqual(a.engine.conferenceStreams, []);
});

test('redial calls the last number again', async () => {
  const net = new FakeNetwork();
  const a = desk(net, 'alice', '10.0.0.1');
  const b = desk(net, 'bob', '10.0.0.2');
  assert.equal((await a.manager.execute({ type: 'redial' })).ok, false, 'nothing dialled yet');
  await a.manager.execute({ type: 'dial', uri: b.uri });
  await net.run(50);
  await b.manager.execute({ type: 'reject' });
  await net.run(50);
  assert.equal(a.manager.calls.size, 0);
  await a.manager.execute({ type: 'redial' });
  await net.run(50);
  assert.equal(callOf(b).state, 'incoming');
  assert.equal(callOf(a).snapshot().peer.uri, b.uri);
});
