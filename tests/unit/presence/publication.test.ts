/** The publication agent (RFC 3903) against a scripted presence server, with a fake clock. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCallId } from '../../../src-main/sip/message/index.js';
import { Publication, type PublicationState } from '../../../src-main/sip/ua/subscription/publication.js';
import { FakeNetwork, Notifier, subscriber } from './support.js';

function publisher(net: FakeNetwork) {
  const { alice } = subscriber(net);
  const host = alice.ua.usageHost();
  const pub = new Publication(host, { account: host.account('alice')!, event: 'presence', contentType: 'application/pidf+xml', expires: 600 });
  const states: PublicationState[] = [];
  pub.on('state', (s) => states.push(s));
  return { pub, states };
}

/** A presence server: 2xx with a new SIP-ETag each time (e1, e2, …), unless `script` says otherwise. */
function server(net: FakeNetwork, script: (n: number) => number = () => 200, expires = 600) {
  let etag = 0;
  return new Notifier(net, (_r, n) => script(n), {
    expires,
    edit: (_req, r) => { if (r.status < 300) r.headers.append('SIP-ETag', `e${++etag}`); },
  });
}

const publishes = (pbx: Notifier) => pbx.requests.filter((r) => r.method === 'PUBLISH');

test('§4.1 initial PUBLISH: Request-URI is our AOR, Event, Expires, body, no SIP-If-Match', async () => {
  const net = new FakeNetwork();
  const pbx = server(net);
  const { pub, states } = publisher(net);
  pub.publish('<presence/>');
  await net.run(50);
  const [p] = publishes(pbx);
  assert.ok(p);
  assert.equal(p.uri.user, 'alice');
  assert.equal(p.headers.get('Event'), 'presence');
  assert.equal(p.headers.get('Expires'), '600');
  assert.equal(p.headers.get('Content-Type'), 'application/pidf+xml');
  assert.equal(p.headers.has('SIP-If-Match'), false);
  assert.equal(p.body.toString(), '<presence/>');
  assert.equal(p.headers.has('Contact'), false);
  assert.deepEqual(states, ['publishing', 'published']);
});

test('§4.2 refresh before expiry: SIP-If-Match with the entity tag and no body; §4.4 modify carries both', async () => {
  const net = new FakeNetwork();
  const pbx = server(net, () => 200, 300);
  const { pub } = publisher(net);
  pub.publish('<one/>');
  await net.run(240_100);
  const [first, refresh] = publishes(pbx);
  assert.ok(first && refresh);
  assert.equal(refresh.headers.get('SIP-If-Match'), 'e1');
  assert.equal(refresh.body.length, 0);
  assert.equal(refresh.headers.has('Content-Type'), false);
  assert.equal(getCallId(refresh), getCallId(first));
  pub.publish('<two/>');
  await net.run(50);
  const modify = publishes(pbx)[2];
  assert.ok(modify);
  assert.equal(modify.headers.get('SIP-If-Match'), 'e2');
  assert.equal(modify.body.toString(), '<two/>');
});

test('§4: a new state asked for while a PUBLISH is in flight goes out after its response', async () => {
  const net = new FakeNetwork(20);
  const pbx = server(net);
  const { pub } = publisher(net);
  pub.publish('<one/>');
  await net.run(5);
  pub.publish('<two/>');
  pub.publish('<three/>');
  await net.run(200);
  assert.deepEqual(publishes(pbx).map((p) => p.body.toString()), ['<one/>', '<three/>']);
  assert.equal(publishes(pbx)[1]!.headers.get('SIP-If-Match'), 'e1');
});

test('§6 412 Conditional Request Failed: the server lost our state → publish it anew with the body', async () => {
  const net = new FakeNetwork();
  const pbx = server(net, (n) => (n === 1 ? 412 : 200), 300);
  const { pub } = publisher(net);
  pub.publish('<state/>');
  await net.run(240_100);
  const [, refresh, again] = publishes(pbx);
  assert.ok(refresh && again);
  assert.equal(again.headers.has('SIP-If-Match'), false);
  assert.equal(again.body.toString(), '<state/>');
  assert.equal(pub.state, 'published');
});

test('423 raises Expires to Min-Expires; a failure backs off and publishes again', async () => {
  const net = new FakeNetwork();
  const pbx = server(net, (n) => (n === 0 ? 423 : n === 1 ? 500 : 200));
  const { pub } = publisher(net);
  pub.publish('<s/>');
  await net.run(100);
  assert.equal(pub.state, 'waiting');
  await net.run(15_100);
  assert.deepEqual(publishes(pbx).map((p) => p.headers.get('Expires')), ['600', '1200', '1200']);
  assert.equal(pub.state, 'published');
});

test('§4.5 remove: Expires: 0 with SIP-If-Match; resolves after the response', async () => {
  const net = new FakeNetwork();
  const pbx = server(net);
  const { pub } = publisher(net);
  pub.publish('<s/>');
  await net.run(50);
  let done = false;
  void pub.remove().then(() => (done = true));
  await net.run(50);
  const removal = publishes(pbx)[1];
  assert.ok(removal);
  assert.equal(removal.headers.get('Expires'), '0');
  assert.equal(removal.headers.get('SIP-If-Match'), 'e1');
  assert.equal(removal.body.length, 0);
  assert.equal(done, true);
  assert.equal(pub.state, 'idle');
});
