/**
 * Two full ICE agents (RFC 8445) over an in-memory network with NATs (fake clock): host, srflx
 * and relayed candidates, pacing, nomination, role conflicts, consent freshness (RFC 7675) and
 * restart. The "relay" is a public socket that sends for the agent, as a TURN allocation does
 * (the TURN client itself is proven against coturn in tests/interop/turn-coturn.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TestClock } from '../../support/test-clock.js';
import { cryptoRandom } from '../../../src-main/util/random.js';
import { IceAgent, type IceAgentOptions } from '../../../src-main/media/ice/ice-agent.js';
import { discoverMapping } from '../../../src-main/net/stun/binding.js';
import { StunClient } from '../../../src-main/net/stun/transaction.js';
import { encodeStun, parseStun } from '../../../src-main/net/stun/message.js';
import { encodeXorAddress } from '../../../src-main/net/stun/attributes.js';
import { Attr, StunClass, StunMethod } from '../../../src-main/net/stun/constants.js';
import { NatNetwork, type Addr, type NatConfig } from './support/nat-network.js';

const STUN_SERVER = { address: '203.0.113.1', port: 3478 };

function stunServer(net: NatNetwork): void {
  const s = net.bind(STUN_SERVER, (data, from) => {
    const r = parseStun(data);
    if (!r.ok || r.message.cls !== StunClass.Request) return;
    s.send(encodeStun({ method: StunMethod.Binding, cls: StunClass.SuccessResponse, transactionId: r.message.transactionId,
      attributes: [{ type: Attr.XorMappedAddress, value: encodeXorAddress({ family: 4, ...from }, r.message.transactionId) }] }), from);
  });
}

interface Peer {
  agent: IceAgent;
  media: { data: string; from: Addr }[];
}

/** An agent with a host socket at `host`, optionally srflx via the STUN server and a relay at `relay`. */
async function peer(net: NatNetwork, clock: TestClock, host: Addr, o: Partial<IceAgentOptions> & { srflx?: boolean; relay?: Addr }): Promise<Peer> {
  const agent = new IceAgent({ controlling: false, clock, random: cryptoRandom, ...o });
  const media: Peer['media'] = [];
  const stun = new StunClient({ send: (d, to) => socket.send(d, to), clock, random: cryptoRandom });
  let baseId = 0;
  const socket = net.bind(host, (data, from) => {
    const r = parseStun(data);
    if (r.ok && stun.handleResponse(r.message)) return;
    if (!agent.handlePacket(data, from, baseId)) media.push({ data: data.toString(), from });
  });
  baseId = agent.addBase(socket);
  agent.addLocalCandidate({ type: 'host', address: host.address, port: host.port }, baseId);
  if (o.srflx) {
    const p = discoverMapping(stun, STUN_SERVER);
    clock.advance(20);
    const r = await p;
    assert.ok(r.ok);
    agent.addLocalCandidate({ type: 'srflx', address: r.mapped.address, port: r.mapped.port, relatedAddress: host.address, relatedPort: host.port }, baseId);
  }
  if (o.relay) {
    let relayId = 0;
    const relay = net.bind(o.relay, (data, from) => { if (!agent.handlePacket(data, from, relayId)) media.push({ data: data.toString(), from }); });
    relayId = agent.addBase(relay);
    agent.addLocalCandidate({ type: 'relay', address: o.relay.address, port: o.relay.port, relatedAddress: host.address, relatedPort: host.port }, relayId);
  }
  return { agent, media };
}

function connect(a: Peer, b: Peer): void {
  a.agent.setRemote({ ufrag: b.agent.localUfrag, pwd: b.agent.localPwd, candidates: b.agent.localCandidates });
  b.agent.setRemote({ ufrag: a.agent.localUfrag, pwd: a.agent.localPwd, candidates: a.agent.localCandidates });
  a.agent.start();
  b.agent.start();
}

const eim: (pub: string, prefix: string) => NatConfig = (publicAddress, privatePrefix) => ({ publicAddress, privatePrefix, mapping: 'endpoint-independent', filtering: 'address-port-dependent' });
const symmetric: (pub: string, prefix: string) => NatConfig = (publicAddress, privatePrefix) => ({ publicAddress, privatePrefix, mapping: 'address-port-dependent', filtering: 'address-port-dependent' });

async function mediaBothWays(a: Peer, b: Peer, clock: TestClock): Promise<void> {
  assert.ok(a.agent.send(Buffer.from('rtp-from-a')));
  assert.ok(b.agent.send(Buffer.from('rtp-from-b')));
  await run(clock, 50);
  assert.ok(b.media.some((m) => m.data === 'rtp-from-a'), 'b got a\'s media');
  assert.ok(a.media.some((m) => m.data === 'rtp-from-b'), 'a got b\'s media');
}

/** Advance the fake clock in 10 ms steps, letting promise callbacks (transaction outcomes) run between. */
async function run(clock: TestClock, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 10) {
    clock.advance(Math.min(10, ms - t));
    await new Promise<void>((r) => setImmediate(r));
  }
}

function setup() {
  const clock = new TestClock();
  const net = new NatNetwork(clock);
  stunServer(net);
  return { clock, net };
}

describe('ICE agent (RFC 8445) over an in-memory network', () => {
  it('host candidates, no NAT: both agents complete on the host pair; media both ways', async () => {
    const { clock, net } = setup();
    const a = await peer(net, clock, { address: '198.51.100.2', port: 5000 }, { controlling: true });
    const b = await peer(net, clock, { address: '198.51.100.3', port: 6000 }, {});
    connect(a, b);
    await run(clock, 2000);
    assert.equal(a.agent.state, 'completed');
    assert.equal(b.agent.state, 'completed');
    assert.equal(a.agent.stats().selectedPair?.remote.port, 6000);
    assert.equal(b.agent.stats().selectedPair?.remote.port, 5000);
    await mediaBothWays(a, b, clock);
  });

  it('§14.2 new checks are paced at least Ta = 50 ms apart', async () => {
    const { clock, net } = setup();
    const a = await peer(net, clock, { address: '198.51.100.2', port: 5000 }, { controlling: true });
    // Several unreachable remote candidates: a has many pairs to check.
    a.agent.setRemote({ ufrag: 'abcd', pwd: 'abcdefghijklmnopqrstuvwx', candidates: [1, 2, 3, 4, 5].map((i) => ({
      foundation: `f${i}`, component: 1, transport: 'udp' as const, priority: 1000 - i, address: `198.51.100.${20 + i}`, port: 7000, type: 'host' as const })) });
    const sent: number[] = [];
    const before = a.agent.stats().checksSent;
    a.agent.start();
    for (let t = 0; t < 400; t++) {
      const n = a.agent.stats().checksSent;
      await run(clock, 1);
      if (a.agent.stats().checksSent > n) sent.push(clock.now());
    }
    assert.equal(before, 0);
    assert.equal(sent.length, 5);
    for (let i = 1; i < sent.length; i++) assert.ok(sent[i]! - sent[i - 1]! >= 50, `checks at ${sent.join(', ')} ms`);
  });

  it('both behind endpoint-independent NATs: host-only fails, with STUN srflx candidates it completes', async () => {
    for (const srflx of [false, true]) {
      const { clock, net } = setup();
      net.addNat(eim('198.51.100.1', '192.0.2.'));
      net.addNat(eim('198.51.100.9', '10.0.0.'));
      const a = await peer(net, clock, { address: '192.0.2.2', port: 5000 }, { controlling: true, srflx });
      const b = await peer(net, clock, { address: '10.0.0.2', port: 6000 }, { srflx });
      connect(a, b);
      await run(clock, 60_000);
      if (!srflx) {
        assert.equal(a.agent.state, 'failed', 'private host candidates cannot reach each other');
        continue;
      }
      assert.equal(a.agent.state, 'completed');
      assert.equal(b.agent.state, 'completed');
      // a checks from its host base to b's srflx candidate.
      assert.equal(a.agent.stats().selectedPair?.remote.type, 'srflx');
      await mediaBothWays(a, b, clock);
    }
  });

  it('both behind symmetric NATs: srflx fails; a relayed candidate carries the call', async () => {
    for (const relay of [false, true]) {
      const { clock, net } = setup();
      net.addNat(symmetric('198.51.100.1', '192.0.2.'));
      net.addNat(symmetric('198.51.100.9', '10.0.0.'));
      const a = await peer(net, clock, { address: '192.0.2.2', port: 5000 }, { controlling: true, srflx: true, relay: relay ? { address: '203.0.113.50', port: 49152 } : undefined });
      const b = await peer(net, clock, { address: '10.0.0.2', port: 6000 }, { srflx: true });
      connect(a, b);
      await run(clock, 60_000);
      if (!relay) {
        assert.equal(a.agent.state, 'failed');
        continue;
      }
      assert.equal(a.agent.state, 'completed');
      assert.equal(b.agent.state, 'completed');
      assert.equal(a.agent.stats().selectedPair?.local.type, 'relay');
      await mediaBothWays(a, b, clock);
    }
  });

  it('aggressive nomination completes; both agents controlling resolve the role conflict (§7.3.1.1)', async () => {
    const { clock, net } = setup();
    const a = await peer(net, clock, { address: '198.51.100.2', port: 5000 }, { controlling: true, nomination: 'aggressive' });
    const b = await peer(net, clock, { address: '198.51.100.3', port: 6000 }, { controlling: true, nomination: 'aggressive' });
    connect(a, b);
    await run(clock, 5000);
    assert.notEqual(a.agent.stats().role, b.agent.stats().role);
    assert.equal(a.agent.state, 'completed');
    assert.equal(b.agent.state, 'completed');
    await mediaBothWays(a, b, clock);
  });

  it('RFC 7675 consent: kept while the peer answers, lost 30 s after it stops', async () => {
    const { clock, net } = setup();
    const a = await peer(net, clock, { address: '198.51.100.2', port: 5000 }, { controlling: true });
    const b = await peer(net, clock, { address: '198.51.100.3', port: 6000 }, {});
    connect(a, b);
    await run(clock, 2000);
    await run(clock, 120_000);
    assert.equal(a.agent.state, 'completed');
    assert.ok(a.agent.stats().consentChecks >= 20, `consent checks ${a.agent.stats().consentChecks}`);
    net.down = true;
    await run(clock, 25_000);
    assert.equal(a.agent.state, 'completed', 'not before 30 s');
    await run(clock, 12_000);
    assert.equal(a.agent.state, 'failed');
    assert.equal(a.agent.send(Buffer.from('x')), false, 'no media without consent');
  });

  it('§9 restart: new credentials, checks again, completes on the new pair', async () => {
    const { clock, net } = setup();
    const a = await peer(net, clock, { address: '198.51.100.2', port: 5000 }, { controlling: true });
    const b = await peer(net, clock, { address: '198.51.100.3', port: 6000 }, {});
    connect(a, b);
    await run(clock, 2000);
    const old = a.agent.localUfrag;
    a.agent.restart();
    b.agent.restart();
    assert.notEqual(a.agent.localUfrag, old);
    connect(a, b);
    await run(clock, 2000);
    assert.equal(a.agent.state, 'completed');
    assert.equal(b.agent.state, 'completed');
    await mediaBothWays(a, b, clock);
  });

  it('§9 restart: media stays on the old pair until the new checks succeed, and only while its consent holds (RFC 7675)', async () => {
    const { clock, net } = setup();
    const a = await peer(net, clock, { address: '198.51.100.2', port: 5000 }, { controlling: true });
    const b = await peer(net, clock, { address: '198.51.100.3', port: 6000 }, {});
    connect(a, b);
    await run(clock, 2000);
    b.agent.restart();
    assert.equal(b.agent.state, 'new');
    assert.ok(b.agent.send(Buffer.from('during-restart')), 'sent on the pre-restart pair');
    await run(clock, 50);
    assert.ok(a.media.some((m) => m.data === 'during-restart'));
    await run(clock, 31_000);
    assert.equal(b.agent.send(Buffer.from('late')), false, 'no consent for 30 s: the old pair is given up');
  });

  it('RTCP without rtcp-mux: a component-2 agent shares ufrag/pwd and tie-breaker, checks and nominates its own pairs (§5.1.1, §8.1.1)', async () => {
    const { clock, net } = setup();
    const a1 = await peer(net, clock, { address: '198.51.100.2', port: 5000 }, { controlling: true });
    const a2 = await peer(net, clock, { address: '198.51.100.2', port: 5001 }, {
      controlling: true, component: 2, credentials: { ufrag: a1.agent.localUfrag, pwd: a1.agent.localPwd }, tieBreaker: a1.agent.tieBreaker,
    });
    const b1 = await peer(net, clock, { address: '198.51.100.3', port: 6000 }, {});
    const b2 = await peer(net, clock, { address: '198.51.100.3', port: 6001 }, {
      component: 2, credentials: { ufrag: b1.agent.localUfrag, pwd: b1.agent.localPwd }, tieBreaker: b1.agent.tieBreaker,
    });
    assert.equal(a2.agent.localUfrag, a1.agent.localUfrag);
    assert.equal(a2.agent.localPwd, a1.agent.localPwd);
    const [c1, c2] = [a1.agent.localCandidates[0]!, a2.agent.localCandidates[0]!];
    assert.deepEqual([c1.component, c2.component], [1, 2]);
    assert.equal(c1.priority - c2.priority, 1, '§5.1.2.1: (256 − component ID) is the only difference');
    assert.equal(c1.foundation, c2.foundation, '§5.1.1.3: the foundation does not depend on the component');
    // Each side's SDP lists both components' candidates; each agent pairs only its own component.
    const all = (x: Peer, y: Peer) => [...x.agent.localCandidates, ...y.agent.localCandidates];
    for (const [mine, theirs, other] of [[a1, b1, b2], [a2, b2, b1], [b1, a1, a2], [b2, a2, a1]] as const) {
      mine.agent.setRemote({ ufrag: theirs.agent.localUfrag, pwd: theirs.agent.localPwd, candidates: all(theirs, other) });
    }
    for (const x of [a1, a2, b1, b2]) x.agent.start();
    await run(clock, 2000);
    for (const [x, component, port] of [[a1, 1, 6000], [a2, 2, 6001], [b1, 1, 5000], [b2, 2, 5001]] as const) {
      assert.equal(x.agent.state, 'completed', `component ${component}`);
      const pair = x.agent.stats().selectedPair!;
      assert.deepEqual([pair.local.component, pair.remote.component, pair.remote.port], [component, component, port]);
      assert.ok(x.agent.stats().remoteCandidates.every((r) => r.component === component));
    }
    await mediaBothWays(a2, b2, clock);
    assert.ok(b2.media.every((m) => m.from.port === 5001) && b1.media.length === 0, 'RTCP stays on component 2');
  });

  it('§8.1.1 regular nomination: a valid pair being nominated still carries media while its USE-CANDIDATE check is in flight', async () => {
    const { clock, net } = setup();
    const a = await peer(net, clock, { address: '198.51.100.2', port: 5000 }, { controlling: true });
    const b = await peer(net, clock, { address: '198.51.100.3', port: 6000 }, {});
    connect(a, b);
    await run(clock, 150);
    assert.equal(a.agent.state, 'connected', 'the pair is valid, nomination not sent yet');
    net.down = true; // the nomination check goes out and its answers are lost for a while
    await run(clock, 1000);
    assert.equal(a.agent.stats().selectedPair, undefined);
    assert.ok(a.agent.send(Buffer.from('rtp')), 'media keeps the valid pair while it is re-checked with USE-CANDIDATE');
    net.down = false;
    await run(clock, 3000);
    assert.equal(a.agent.state, 'completed');
    assert.equal(b.agent.state, 'completed');
  });

  it('§8.1.1 regular nomination: when the nominating check fails, the controlling agent nominates the next valid pair', async () => {
    const { clock, net } = setup();
    const hostA = { address: '198.51.100.2', port: 5000 };
    const a = await peer(net, clock, hostA, { controlling: true, relay: { address: '203.0.113.9', port: 7000 } });
    const b = await peer(net, clock, { address: '198.51.100.3', port: 6000 }, {});
    connect(a, b);
    await run(clock, 200);
    assert.equal(a.agent.stats().selectedPair, undefined, 'not nominated yet');
    // Both pairs are valid; the host path breaks just before the host pair (the best) is nominated.
    const same = (x: { address: string; port: number }) => x.address === hostA.address && x.port === hostA.port;
    net.blocked = (from, to) => same(from) || same(to);
    await run(clock, 45_000); // the USE-CANDIDATE check times out (RFC 8489 §6.2.1: 39.5 s)
    assert.equal(a.agent.state, 'completed', `a nominated another pair: ${a.agent.state}`);
    assert.equal(a.agent.stats().selectedPair?.local.type, 'relay');
    assert.equal(b.agent.state, 'completed');
    assert.equal(b.agent.stats().selectedPair?.remote.address, '203.0.113.9');
  });

  it('checks with a wrong password are not answered', async () => {
    const { clock, net } = setup();
    const a = await peer(net, clock, { address: '198.51.100.2', port: 5000 }, { controlling: true });
    const b = await peer(net, clock, { address: '198.51.100.3', port: 6000 }, {});
    a.agent.setRemote({ ufrag: b.agent.localUfrag, pwd: 'wrongwrongwrongwrongwrong', candidates: b.agent.localCandidates });
    a.agent.start();
    await run(clock, 60_000);
    assert.equal(a.agent.state, 'failed');
    assert.equal(b.agent.state, 'new');
  });
});
