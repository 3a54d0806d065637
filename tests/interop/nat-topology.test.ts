/**
 * The NAT test bed itself (harness/nat-topology.ts), proven with UDP and TCP probes so the NAT
 * tests' outcomes are about the phone, not the bed: the endpoint-independent router keeps one
 * public port for one local port towards two servers, the symmetric one gives each flow its own
 * port (RFC 4787 §4.1); unsolicited packets and packets from another port of the same server are
 * dropped (§5); a UDP-blocking router lets only the allowed TCP ports through; moveHome changes
 * the home's address and its flows' mappings.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { createNatBed, spawnManaged, testScope, waitFor, type NatBed } from './harness/index.js';

const run = promisify(execFile);

/**
 * UDP and TCP servers on `ports` in the internet: each answers with "ip:port" of its source; a
 * stranger socket (port 3480, never sent to) sends to that source too, as an unsolicited peer.
 */
const serverScript = `
const dgram = require('node:dgram');
const net = require('node:net');
const stranger = dgram.createSocket('udp4');
stranger.bind(3480, '198.51.100.10');
for (const port of JSON.parse(process.argv[1])) {
  const s = dgram.createSocket('udp4');
  s.on('message', (m, r) => {
    s.send(r.address + ':' + r.port, r.port, r.address);
    stranger.send('unsolicited', r.port, r.address);
  });
  s.bind(port, '198.51.100.10');
  net.createServer((c) => c.end(c.remoteAddress + ':' + c.remotePort)).listen(port, '198.51.100.10');
}
console.log('ready');`;

/**
 * From one UDP socket in the home: a datagram to each of `ports`; prints the sources the servers
 * saw and every reply that came back (from which server port), as JSON, after `waitMs`.
 * With `poke`, asks the server on ports[0] to answer from ports[1] instead (an unsolicited source).
 */
const clientScript = `
const dgram = require('node:dgram');
const [ports, waitMs] = JSON.parse(process.argv[1]);
const s = dgram.createSocket('udp4');
const replies = [];
s.on('message', (m, r) => replies.push({ from: r.port, seen: m.toString() }));
s.bind(0, () => {
  for (const p of ports) s.send('probe', p, '198.51.100.10');
  setTimeout(() => { console.log(JSON.stringify({ local: s.address().port, replies })); s.close(); }, waitMs);
});`;

async function probeUdp(bed: NatBed, home: number, ports: number[]): Promise<{ local: number; replies: { from: number; seen: string }[] }> {
  const { stdout } = await run('ip', ['netns', 'exec', bed.homes[home]!.ns, process.execPath, '-e', clientScript, JSON.stringify([ports, 1000])], { timeout: 10_000 });
  return JSON.parse(stdout) as { local: number; replies: { from: number; seen: string }[] };
}

async function probeTcp(bed: NatBed, home: number, port: number): Promise<string> {
  const script = `const c = require('node:net').connect(${port}, '198.51.100.10'); let d = '';
    c.on('data', (x) => d += x); c.on('end', () => { console.log('ok ' + d); process.exit(0); });
    c.on('error', (e) => { console.log('error ' + e.code); process.exit(0); });
    setTimeout(() => { console.log('timeout'); process.exit(0); }, 1500);`;
  const { stdout } = await run('ip', ['netns', 'exec', bed.homes[home]!.ns, process.execPath, '-e', script], { timeout: 10_000 });
  return stdout.trim();
}

async function startServers(bed: NatBed, dir: string, ports: number[]) {
  const proc = spawnManaged('ip', ['netns', 'exec', bed.internet, process.execPath, '-e', serverScript, JSON.stringify(ports)], { name: 'probe-servers', dir });
  await waitFor(() => proc.log().includes('ready'), { timeoutMs: 10_000, what: 'probe servers', log: proc.log });
  return proc;
}

describe('NAT test bed (network namespaces, nftables)', () => {
  it('endpoint-independent and symmetric mapping, address-and-port-dependent filtering, moveHome', async (t) => {
    const scope = testScope(t);
    const bed = scope.use(await createNatBed([{ nat: 'endpoint-independent' }, { nat: 'symmetric' }]));
    scope.use(await startServers(bed, scope.dir, [3478, 3479]));

    const eim = await probeUdp(bed, 0, [3478, 3479]);
    const seenEim = eim.replies.map((r) => r.seen);
    assert.equal(seenEim.length, 2, `both servers answered through the EIM router: ${JSON.stringify(eim)}`);
    assert.deepEqual(new Set(seenEim), new Set([`198.51.100.1:${eim.local}`]), `one public port, the local one, for both servers: ${JSON.stringify(eim)}`);

    const sym = await probeUdp(bed, 1, [3478, 3479]);
    const seenSym = sym.replies.map((r) => r.seen);
    assert.equal(seenSym.length, 2, `both servers answered through the symmetric router: ${JSON.stringify(sym)}`);
    assert.ok(seenSym.every((s) => s.startsWith('198.51.100.2:')), JSON.stringify(sym));
    assert.notEqual(seenSym[0], seenSym[1], `a public port per flow: ${JSON.stringify(sym)}`);

    // Filtering: the stranger's datagrams to the same public ports were dropped by both routers.
    for (const probe of [eim, sym]) assert.deepEqual(probe.replies.map((r) => r.from).sort(), [3478, 3479], `only the servers sent to answered: ${JSON.stringify(probe)}`);
    for (const home of bed.homes) {
      const fw = (await run('ip', ['netns', 'exec', home.router, 'nft', 'list', 'table', 'ip', 'firewall'])).stdout;
      assert.match(fw, /iifname "wan0" counter packets [1-9]\d* bytes \d+ drop/, `${home.nat} router dropped the stranger's packets: ${fw}`);
    }

    // A network change: new address, and the mapping of the same local port is new.
    const before = bed.homes[0]!.address;
    const after = bed.moveHome(0);
    assert.notEqual(after, before);
    const { stdout } = await run('ip', ['-n', bed.homes[0]!.ns, '-4', 'addr', 'show', 'dev', 'eth0']);
    assert.ok(stdout.includes(`inet ${after}/25`) && !stdout.includes(`inet ${before}/`), stdout);
    const moved = await probeUdp(bed, 0, [3478]);
    assert.equal(moved.replies.length, 1, `the moved home still reaches the internet: ${JSON.stringify(moved)}`);
  });

  it('UDP blocked by the router: only the allowed TCP ports pass; counters; rules replaced', async (t) => {
    const scope = testScope(t);
    const bed = scope.use(await createNatBed([{ nat: 'endpoint-independent', blockUdp: true, allowTcpPorts: [443] }]));
    scope.use(await startServers(bed, scope.dir, [443, 3478]));
    const udp = await probeUdp(bed, 0, [443, 3478]);
    assert.deepEqual(udp.replies, [], 'no UDP reply');
    const toward443 = bed.countToward(0, 'tcp', bed.internetAddress, 443);
    assert.match(await probeTcp(bed, 0, 443), /^ok 198\.51\.100\.1:\d+$/, 'TCP 443 passes (masqueraded)');
    assert.ok(toward443.read() >= 3, `the router counted the connection's packets: ${toward443.read()}`);
    assert.equal(await probeTcp(bed, 0, 3478), 'timeout', 'TCP to another port is dropped');
    bed.setRouter(0, { nat: 'endpoint-independent', blockUdp: true, allowTcpPorts: [443, 3478] });
    assert.match(await probeTcp(bed, 0, 3478), /^ok /, 'setRouter opened TCP 3478');
    assert.deepEqual((await probeUdp(bed, 0, [3478])).replies, [], 'UDP still blocked');
  });
});
