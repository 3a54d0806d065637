/**
 * ICE over real sockets on loopback: two IceTransports (RFC 8445) with coturn as STUN and TURN
 * server. Host candidates complete directly; with relay-only candidates on both sides every
 * check and every media packet goes through coturn, and the stats name the relayed pair. A peer
 * address coturn refuses to relay to costs one refused CreatePermission and holds up no other.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { systemClock } from '../../src-main/util/clock.js';
import { cryptoRandom } from '../../src-main/util/random.js';
import { IceTransport, type IceTransportOptions } from '../../src-main/media/ice/ice-transport.js';
import { candidatePriority, type Candidate } from '../../src-main/media/ice/candidate.js';
import { startCoturn, testScope, waitFor } from './harness/index.js';

async function pair(o: Partial<IceTransportOptions>) {
  const base = { bindAddress: '127.0.0.1', clock: systemClock(), random: cryptoRandom };
  const a = await IceTransport.open({ ...base, ...o, controlling: true });
  const b = await IceTransport.open({ ...base, ...o, controlling: false });
  const got = { a: [] as string[], b: [] as string[] };
  a.onPacket = (d) => got.a.push(d.toString());
  b.onPacket = (d) => got.b.push(d.toString());
  a.connect(b.localParameters());
  b.connect(a.localParameters());
  await waitFor(() => a.agent.state === 'completed' && b.agent.state === 'completed', { timeoutMs: 15_000, what: 'ICE completed on both sides' });
  return { a, b, got };
}

describe('ICE transport over loopback with coturn', () => {
  it('host and srflx candidates: completes on a direct pair, media both ways', async (t) => {
    const scope = testScope(t);
    const server = scope.use(await startCoturn({ dir: scope.dir }));
    const { a, b, got } = await pair({ stun: { host: '127.0.0.1', port: server.port } });
    t.after(async () => { await a.close(); await b.close(); });
    assert.ok(a.stats().localCandidates.some((c) => c.type === 'srflx'), 'srflx gathered from coturn');
    assert.equal(a.stats().selectedPair?.local.type, 'host');
    assert.ok(a.send(Buffer.from('rtp-a')) && b.send(Buffer.from('rtp-b')));
    await waitFor(() => got.b.includes('rtp-a') && got.a.includes('rtp-b'), { timeoutMs: 5000, what: 'media both ways' });
  });

  it('relay-only on both sides: checks and media go through coturn; stats name the relayed pair', async (t) => {
    const scope = testScope(t);
    const server = scope.use(await startCoturn({ dir: scope.dir }));
    const turn = { host: '127.0.0.1', port: server.port, transport: 'udp' as const, username: server.username, password: server.password };
    const { a, b, got } = await pair({ turn, relayOnly: true });
    t.after(async () => { await a.close(); await b.close(); });
    const sa = a.stats();
    assert.equal(sa.selectedPair?.local.type, 'relay');
    assert.equal(sa.selectedPair?.remote.type, 'relay');
    assert.ok(a.send(Buffer.from('relayed-a')) && b.send(Buffer.from('relayed-b')));
    await waitFor(() => got.b.includes('relayed-a') && got.a.includes('relayed-b'), { timeoutMs: 5000, what: 'relayed media both ways' });
    assert.ok((a.stats().turn?.packetsReceived ?? 0) > 0 && (b.stats().turn?.packetsSent ?? 0) > 0, JSON.stringify(a.stats().turn));
  });

  it('a peer address coturn refuses (403, RFC 8656 §10.2) is asked for once and holds up no other permission', async (t) => {
    const scope = testScope(t);
    const server = scope.use(await startCoturn({ dir: scope.dir, deniedPeers: ['127.0.0.99'] }));
    const turn = { host: '127.0.0.1', port: server.port, transport: 'udp' as const, username: server.username, password: server.password };
    const base = { bindAddress: '127.0.0.1', clock: systemClock(), random: cryptoRandom };
    const a = await IceTransport.open({ ...base, turn, relayOnly: true, controlling: true });
    const b = await IceTransport.open({ ...base, controlling: false });
    t.after(async () => { await a.close(); await b.close(); });
    // The peer's best candidate is one the server will not relay to (as production servers refuse private space).
    const refused: Candidate = { foundation: 'refused', component: 1, transport: 'udp', priority: candidatePriority('host', 65535), address: '127.0.0.99', port: 9, type: 'host' };
    const theirs = b.localParameters();
    a.connect({ ...theirs, candidates: [refused, ...theirs.candidates] });
    b.connect(a.localParameters());
    await waitFor(() => a.agent.state === 'completed' && b.agent.state === 'completed', { timeoutMs: 15_000, what: 'ICE completed on both sides' });
    assert.equal(a.stats().selectedPair?.remote.port, theirs.candidates[0]!.port);
    // Let the check to the refused address retransmit (RFC 8489 §6.2.1: after 0.5, 1.5, 3.5 s).
    await new Promise((r) => setTimeout(r, 4000));
    const denials = server.proc.log().match(/peer IP 127\.0\.0\.99 denied/g)?.length ?? 0;
    assert.equal(denials, 1, `one refused CreatePermission, then nothing more asked or sent for that address:\n${server.proc.log().slice(-2000)}`);
    assert.deepEqual(a.stats().turn?.refusedPeers, ['127.0.0.99']);
  });
});
