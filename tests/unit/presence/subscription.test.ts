/** The subscriber's state machine (RFC 6665 §4.1) on the fake network, with a fake clock. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCallId, getCSeq, parseUri } from '../../../src-main/sip/message/index.js';
import type { Subscription, SubscriptionOptions } from '../../../src-main/sip/ua/subscription/subscription.js';
import { FakeNetwork, Notifier, PBX, subscriber, track } from './support.js';

const T1 = 500;

function options(alice: ReturnType<typeof subscriber>['alice'], expires = 600): SubscriptionOptions {
  return {
    account: alice.ua.usageHost().account('alice')!, target: parseUri(`sip:1002@${PBX}`),
    event: 'dialog', accept: ['application/dialog-info+xml'], expires,
  };
}

function start(net: FakeNetwork, expires = 600, max?: number) {
  const { alice, manager } = subscriber(net, max);
  const sub = manager.subscribe(options(alice, expires)) as Subscription;
  assert.ok(!('error' in sub));
  const states = track(sub);
  const bodies: string[] = [];
  sub.on('notify', (c) => bodies.push(`${c.substate}:${c.body.toString()}`));
  return { alice, manager, sub, states, bodies };
}

test('§4.1.2.1 SUBSCRIBE carries Event, Expires, Accept and Contact; 2xx then NOTIFY → active, state delivered', async () => {
  const net = new FakeNetwork();
  const pbx = new Notifier(net, () => 200);
  const { sub, states, bodies } = start(net);
  await net.run(50);
  const [s] = pbx.subscribes();
  assert.ok(s);
  assert.equal(s.headers.get('Event'), 'dialog');
  assert.equal(s.headers.get('Expires'), '600');
  assert.equal(s.headers.get('Accept'), 'application/dialog-info+xml');
  assert.match(s.headers.get('Contact') ?? '', /sip:alice@10\.0\.0\.1/);
  assert.equal(sub.state, 'notify-wait');
  pbx.notify(s, { state: 'active;expires=600', body: '<x/>' });
  await net.run(50);
  assert.equal(sub.state, 'active');
  assert.deepEqual(states, ['subscribing', 'notify-wait', 'active']);
  assert.deepEqual(bodies, ['active:<x/>']);
  assert.deepEqual(pbx.notifyResponses(), [200]);
});

test('§4.1.2.4 a NOTIFY that arrives before the 2xx creates the dialog; the late 2xx changes nothing', async () => {
  const net = new FakeNetwork();
  // The notifier answers the SUBSCRIBE only after its NOTIFY went out.
  let answered = false;
  const pbx = new Notifier(net, () => (answered ? 200 : undefined));
  const { sub, states } = start(net);
  await net.run(10);
  const [s] = pbx.subscribes();
  pbx.notify(s!, { state: 'active;expires=600', body: '<x/>' });
  await net.run(10);
  assert.equal(sub.state, 'active');
  answered = true;
  await net.run(2000);
  assert.ok(pbx.subscribes().length >= 2, 'the SUBSCRIBE was retransmitted and answered');
  assert.equal(sub.state, 'active');
  assert.deepEqual(states, ['subscribing', 'active']);
  assert.deepEqual(pbx.notifyResponses(), [200]);
});

test('§4.1.2.2 refresh a minute before expiry, inside the dialog (same Call-ID, next CSeq, To tag)', async () => {
  const net = new FakeNetwork();
  const pbx = new Notifier(net, () => 200, { expires: 300 });
  const { sub } = start(net);
  await net.run(10);
  const [s] = pbx.subscribes();
  pbx.notify(s!, { state: 'active;expires=300' });
  await net.run(10);
  await net.run(239_000 - 30);
  assert.equal(pbx.subscribes().length, 1);
  await net.run(1_200);
  const refresh = pbx.subscribes()[1];
  assert.ok(refresh);
  assert.equal(getCallId(refresh), getCallId(s!));
  assert.equal(getCSeq(refresh).seq, getCSeq(s!).seq + 1);
  assert.match(refresh.headers.get('To') ?? '', /tag=ntf/);
  assert.equal(refresh.uri.user, 'pbx', 'sent to the notifier\'s Contact (the remote target)');
  assert.equal(sub.state, 'active');
});

test('§4.1.2.4 the expires in Subscription-State is authoritative (a shorter one brings the refresh forward)', async () => {
  const net = new FakeNetwork();
  const pbx = new Notifier(net, () => 200);
  start(net);
  await net.run(10);
  pbx.notify(pbx.subscribes()[0]!, { state: 'active;expires=100' });
  await net.run(50_100);
  assert.equal(pbx.subscribes().length, 2, 'refreshed at half of 100 s');
});

test('§4.1.2.2 481 to a refresh: the subscription is gone, a new one starts at once (new Call-ID)', async () => {
  const net = new FakeNetwork();
  const pbx = new Notifier(net, (_r, n) => (n === 1 ? 481 : 200), { expires: 300 });
  const { sub, states } = start(net);
  await net.run(10);
  pbx.notify(pbx.subscribes()[0]!, { state: 'active;expires=300' });
  await net.run(240_100);
  const [first, refresh, fresh] = pbx.subscribes();
  assert.ok(first && refresh && fresh);
  assert.notEqual(getCallId(fresh), getCallId(first));
  assert.doesNotMatch(fresh.headers.get('To') ?? '', /tag=/);
  assert.equal(sub.state, 'notify-wait');
  assert.ok(states.includes('subscribing'));
});

test('§4.1.2.4 Timer N: a 2xx but no NOTIFY within 64·T1 → waiting, then a new SUBSCRIBE after back-off', async () => {
  const net = new FakeNetwork();
  const pbx = new Notifier(net, () => 200);
  const { sub } = start(net);
  await net.run(10);
  assert.equal(sub.state, 'notify-wait');
  await net.run(64 * T1);
  assert.equal(sub.state, 'waiting');
  assert.match(sub.detail ?? '', /Timer N/);
  // sequenceRandom ints are 0: the wait is the lower half of the first ceiling (30 s → 15 s).
  await net.run(14_900);
  assert.equal(pbx.subscribes().length, 1);
  await net.run(200);
  assert.equal(pbx.subscribes().length, 2);
});

test('back-off doubles while the notifier keeps failing, and honours Retry-After', async () => {
  const net = new FakeNetwork();
  const pbx = new Notifier(net, (_r, n) => (n < 3 ? 503 : 200));
  start(net);
  await net.run(10);
  const at = () => pbx.requests.map((_r, i) => i);
  await net.run(15_000);
  assert.equal(pbx.subscribes().length, 2, 'after 15 s');
  await net.run(30_000);
  assert.equal(pbx.subscribes().length, 3, 'after 30 s more');
  assert.ok(at().length >= 3);
  const net2 = new FakeNetwork();
  const pbx2 = new Notifier(net2, (_r, n) => (n === 0 ? 500 : 200), { edit: (_q, r) => r.headers.append('Retry-After', '5') });
  start(net2);
  await net2.run(5_100);
  assert.equal(pbx2.subscribes().length, 2, 'Retry-After: 5');
});

test('no response at all (Timer F) → waiting with back-off', async () => {
  const net = new FakeNetwork();
  const pbx = new Notifier(net, () => undefined);
  const { sub } = start(net);
  await net.run(64 * T1 + 100);
  assert.equal(sub.state, 'waiting');
  assert.match(sub.detail ?? '', /no response/);
  assert.ok(pbx.subscribes().length >= 1);
});

test('§4.1.2.1 permanent refusals (404, 489 Bad Event, 403) end the subscription without retries', async () => {
  for (const status of [404, 489, 403]) {
    const net = new FakeNetwork();
    const pbx = new Notifier(net, () => status);
    const { sub, manager } = start(net);
    await net.run(3_600_000);
    assert.equal(sub.state, 'terminated', String(status));
    assert.equal(pbx.subscribes().length, 1);
    assert.equal(manager.count, 0);
  }
});

test('§22.2 a 401 is answered with credentials (next CSeq, same Call-ID); 423 raises Expires to Min-Expires', async () => {
  const net = new FakeNetwork();
  const pbx = new Notifier(net, (r, n) => (n === 0 ? 401 : n === 1 ? 423 : r.headers.has('Authorization') ? 200 : 401));
  const { sub } = start(net);
  await net.run(100);
  const [a, b, c] = pbx.subscribes();
  assert.ok(a && b && c);
  assert.match(b.headers.get('Authorization') ?? '', /^Digest .*username="alice"/);
  assert.equal(getCSeq(b).seq, getCSeq(a).seq + 1);
  assert.equal(getCallId(b), getCallId(a));
  assert.equal(c.headers.get('Expires'), '1200');
  assert.equal(sub.state, 'notify-wait');
});

test('§4.1.3 terminated;reason=deactivated → subscribe again at once; a second time in a row → back-off', async () => {
  const net = new FakeNetwork();
  const pbx = new Notifier(net, () => 200);
  const { sub } = start(net);
  await net.run(10);
  pbx.notify(pbx.subscribes()[0]!, { state: 'terminated;reason=deactivated' });
  await net.run(10);
  assert.equal(pbx.subscribes().length, 2);
  assert.equal(sub.state, 'notify-wait');
  pbx.notify(pbx.subscribes()[1]!, { state: 'terminated;reason=deactivated' });
  await net.run(10);
  assert.equal(sub.state, 'waiting');
  assert.equal(pbx.subscribes().length, 2);
});

test('§4.1.3 terminated;reason=probation;retry-after=20 → again after 20 s; rejected/noresource → never again', async () => {
  const net = new FakeNetwork();
  const pbx = new Notifier(net, () => 200);
  const { sub } = start(net);
  await net.run(10);
  pbx.notify(pbx.subscribes()[0]!, { state: 'active;expires=600' });
  await net.run(10);
  pbx.notify(pbx.subscribes()[0]!, { state: 'terminated;reason=probation;retry-after=20' });
  await net.run(19_900);
  assert.equal(pbx.subscribes().length, 1);
  await net.run(200);
  assert.equal(pbx.subscribes().length, 2);
  for (const reason of ['rejected', 'noresource', 'invariant']) {
    const n2 = new FakeNetwork();
    const p2 = new Notifier(n2, () => 200);
    const s2 = start(n2);
    await n2.run(10);
    p2.notify(p2.subscribes()[0]!, { state: `terminated;reason=${reason}` });
    await n2.run(3_600_000);
    assert.equal(s2.sub.state, 'terminated', reason);
    assert.equal(p2.subscribes().length, 1, reason);
  }
  assert.equal(sub.state, 'notify-wait');
});

test('§4.5.2 forked NOTIFYs: the first dialog is kept, another fork is answered 200 and ended with Expires: 0', async () => {
  const net = new FakeNetwork();
  const pbx = new Notifier(net, () => 200);
  const { sub, bodies } = start(net);
  await net.run(10);
  const s = pbx.subscribes()[0]!;
  pbx.notify(s, { state: 'active;expires=600', body: '<a/>' });
  await net.run(10);
  pbx.notify(s, { state: 'active;expires=600', body: '<fork/>', tag: 'other' });
  await net.run(10);
  assert.deepEqual(pbx.notifyResponses(), [200, 200]);
  assert.deepEqual(bodies, ['active:<a/>'], 'only the first dialog\'s state is used');
  const end = pbx.subscribes()[1];
  assert.ok(end);
  assert.equal(end.headers.get('Expires'), '0');
  assert.match(end.headers.get('To') ?? '', /tag=other/);
  pbx.notify(s, { state: 'active;expires=600', body: '<fork2/>', tag: 'other' });
  await net.run(10);
  assert.equal(pbx.subscribes().length, 2, 'the fork is ended once');
  assert.equal(sub.state, 'active');
});

test('§8.2.1 a NOTIFY for another package gets 489; without Subscription-State 400; CSeq going back 500', async () => {
  const net = new FakeNetwork();
  const pbx = new Notifier(net, () => 200);
  start(net);
  await net.run(10);
  const s = pbx.subscribes()[0]!;
  pbx.notify(s, { state: 'active', event: 'presence' });
  await net.run(10);
  pbx.notify(s, { state: 'active;expires=600', cseq: 50 });
  await net.run(10);
  pbx.notify(s, { state: 'active;expires=600', cseq: 40 });
  await net.run(10);
  assert.deepEqual(pbx.notifyResponses(), [489, 200, 500]);
});

test('§4.1.2.3 stop: SUBSCRIBE Expires: 0 in the dialog; the final NOTIFY ends it; late NOTIFYs get 481', async () => {
  const net = new FakeNetwork();
  const pbx = new Notifier(net, () => 200);
  const { sub, manager, bodies } = start(net);
  await net.run(10);
  const s = pbx.subscribes()[0]!;
  pbx.notify(s, { state: 'active;expires=600' });
  await net.run(10);
  let stopped = false;
  void sub.stop().then(() => (stopped = true));
  await net.run(10);
  const un = pbx.subscribes()[1];
  assert.ok(un);
  assert.equal(un.headers.get('Expires'), '0');
  assert.equal(getCallId(un), getCallId(s));
  assert.equal(stopped, true, 'resolved by the 2xx');
  assert.equal(sub.state, 'unsubscribing');
  pbx.notify(s, { state: 'terminated;reason=timeout' });
  await net.run(10);
  assert.equal(sub.state, 'terminated');
  assert.equal(manager.count, 0);
  assert.equal(bodies.length, 1, 'the final NOTIFY is not state to show');
  pbx.notify(s, { state: 'active;expires=600' });
  await net.run(10);
  assert.deepEqual(pbx.notifyResponses(), [200, 200, 481]);
});

test('stop while the first SUBSCRIBE is in flight: once it succeeds, it is removed', async () => {
  const net = new FakeNetwork(40);
  const pbx = new Notifier(net, () => 200);
  const { sub } = start(net);
  await net.run(1);
  void sub.stop();
  await net.run(200);
  assert.deepEqual(pbx.subscribes().map((r) => r.headers.get('Expires')), ['600', '0']);
});

test('stopAll unsubscribes everything and is bounded in time; the manager refuses beyond its bound', async () => {
  const net = new FakeNetwork();
  const pbx = new Notifier(net, (r) => (r.headers.get('Expires') === '0' ? undefined : 200));
  const { alice, manager } = subscriber(net, 2);
  const a = manager.subscribe(options(alice));
  const b = manager.subscribe({ ...options(alice), target: parseUri(`sip:1003@${PBX}`) });
  const c = manager.subscribe({ ...options(alice), target: parseUri(`sip:1004@${PBX}`) });
  assert.ok(!('error' in a) && !('error' in b));
  assert.match('error' in c ? c.error : '', /at most 2 subscriptions/);
  await net.run(10);
  for (const s of pbx.subscribes()) pbx.notify(s, { state: 'active;expires=600' });
  await net.run(10);
  let done = false;
  void manager.stopAll(3000).then(() => (done = true));
  await net.run(3100);
  assert.equal(done, true);
  const removals = new Set(pbx.subscribes().filter((r) => r.headers.get('Expires') === '0').map((r) => getCallId(r)));
  assert.equal(removals.size, 2);
});

test('refreshNow re-subscribes in the dialog (RFC 4235 §4.1: ask for full state after a version gap)', async () => {
  const net = new FakeNetwork();
  const pbx = new Notifier(net, () => 200);
  const { sub } = start(net);
  await net.run(10);
  pbx.notify(pbx.subscribes()[0]!, { state: 'active;expires=600' });
  await net.run(10);
  sub.refreshNow();
  await net.run(10);
  const r = pbx.subscribes()[1];
  assert.ok(r);
  assert.equal(r.headers.get('Expires'), '600');
  assert.match(r.headers.get('To') ?? '', /tag=ntf/);
});

test('refreshAll (our Contact moved): active subscriptions refresh in their dialog, waiting ones subscribe at once', async () => {
  const net = new FakeNetwork();
  const pbx: Notifier = new Notifier(net, (r) => (r.uri.user === '1003' && pbx.subscribes().filter((s) => s.uri.user === '1003').length === 1 ? 503 : 200));
  const { alice, manager } = subscriber(net);
  const a = manager.subscribe(options(alice)) as Subscription;
  const b = manager.subscribe({ ...options(alice), target: parseUri(`sip:1003@${PBX}`) }) as Subscription;
  await net.run(10);
  pbx.notify(pbx.subscribes()[0]!, { state: 'active;expires=600' });
  await net.run(10);
  assert.deepEqual([a.state, b.state], ['active', 'waiting']);
  const before = pbx.subscribes().length;
  manager.refreshAll();
  await net.run(10);
  const sent = pbx.subscribes().slice(before);
  assert.equal(sent.length, 2);
  assert.match(sent.find((r) => r.uri.user === 'pbx')?.headers.get('To') ?? '', /tag=ntf/, 'the active one refreshed in its dialog');
  assert.ok(sent.some((r) => r.uri.user === '1003' && !/tag=/.test(r.headers.get('To') ?? '')), 'the waiting one subscribed anew');
  assert.equal(b.state, 'notify-wait');
});
