import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import type { SipUri } from '../../../src-main/sip/message/types.js';
import {
  orderSrv, resolveTargets, type DnsResolver, type NaptrRecord, type SrvRecord,
} from '../../../src-main/sip/transport/dns.js';
import { sequenceRandom } from '../../../src-main/util/random.js';

function uri(host: string, opts: { scheme?: 'sip' | 'sips'; port?: number; transport?: string } = {}): SipUri {
  const params = new Map<string, string | null>();
  if (opts.transport) params.set('transport', opts.transport);
  return { scheme: opts.scheme ?? 'sip', host, params, headers: new Map(), ...(opts.port ? { port: opts.port } : {}) };
}

interface Table {
  naptr?: Record<string, NaptrRecord[]>;
  srv?: Record<string, SrvRecord[]>;
  a?: Record<string, string[]>;
  aaaa?: Record<string, string[]>;
}

/** A fake resolver over a table; records every query so tests can assert what was (not) asked. */
function fakeResolver(t: Table): DnsResolver & { queries: string[] } {
  const queries: string[] = [];
  const lookup = <T>(kind: string, map: Record<string, T[]> | undefined, name: string): Promise<T[]> => {
    queries.push(`${kind} ${name}`);
    const v = map?.[name];
    return v ? Promise.resolve(v) : Promise.reject(Object.assign(new Error(`queryX ENODATA ${name}`), { code: 'ENODATA' }));
  };
  return {
    queries,
    resolveNaptr: (n) => lookup('NAPTR', t.naptr, n),
    resolveSrv: (n) => lookup('SRV', t.srv, n),
    resolve4: (n) => lookup('A', t.a, n),
    resolve6: (n) => lookup('AAAA', t.aaaa, n),
  };
}

const naptr = (order: number, preference: number, service: string, replacement: string): NaptrRecord =>
  ({ order, preference, service, replacement, flags: 's', regexp: '' });
const srv = (name: string, port: number, priority = 10, weight = 0): SrvRecord => ({ name, port, priority, weight });

describe('RFC 3263 §4 server location', () => {
  it('node:dns/promises Resolver satisfies DnsResolver', () => {
    const r: DnsResolver = new Resolver();
    assert.equal(typeof r.resolveNaptr, 'function');
  });

  it('§4.1: numeric hosts are used directly with the default port per transport', async () => {
    const resolver = fakeResolver({});
    assert.deepEqual(await resolveTargets(uri('192.0.2.1'), { resolver }), [{ protocol: 'udp', address: '192.0.2.1', port: 5060 }]);
    assert.deepEqual(await resolveTargets(uri('[2001:db8::1]', { scheme: 'sips' }), { resolver }),
      [{ protocol: 'tls', address: '2001:db8::1', port: 5061 }]);
    assert.deepEqual(await resolveTargets(uri('192.0.2.1', { transport: 'tcp', port: 5070 }), { resolver }),
      [{ protocol: 'tcp', address: '192.0.2.1', port: 5070 }]);
    assert.deepEqual(resolver.queries, []);
  });

  it('§4.2: an explicit port means A/AAAA only', async () => {
    const resolver = fakeResolver({ a: { 'pbx.example.com': ['192.0.2.5'] }, aaaa: { 'pbx.example.com': ['2001:db8::5'] } });
    const got = await resolveTargets(uri('pbx.example.com', { port: 5080 }), { resolver, preferredProtocol: 'tcp' });
    assert.deepEqual(got, [
      { protocol: 'tcp', address: '192.0.2.5', port: 5080, serverName: 'pbx.example.com' },
      { protocol: 'tcp', address: '2001:db8::5', port: 5080, serverName: 'pbx.example.com' },
    ]);
    assert.deepEqual(resolver.queries, ['A pbx.example.com', 'AAAA pbx.example.com']);
  });

  it('§4.1: NAPTR ordered by order then preference, unsupported services skipped', async () => {
    const resolver = fakeResolver({
      naptr: { 'example.com': [
        naptr(20, 10, 'SIP+D2U', '_sip._udp.example.com'),
        naptr(10, 20, 'SIP+D2T', '_sip._tcp.example.com'),
        naptr(10, 10, 'SIPS+D2T', '_sips._tcp.example.com'),
        naptr(5, 10, 'SIP+D2S', '_sip._sctp.example.com'),
      ] },
      srv: {
        '_sip._udp.example.com': [srv('u.example.com', 5060)],
        '_sip._tcp.example.com': [srv('t.example.com', 5060)],
        '_sips._tcp.example.com': [srv('s.example.com', 5061)],
      },
      a: { 'u.example.com': ['192.0.2.1'], 't.example.com': ['192.0.2.2'], 's.example.com': ['192.0.2.3'] },
    });
    const got = await resolveTargets(uri('example.com'), { resolver });
    assert.deepEqual(got.map((d) => `${d.protocol} ${d.address}:${d.port} ${d.serverName}`), [
      'tls 192.0.2.3:5061 example.com', 'tcp 192.0.2.2:5060 example.com', 'udp 192.0.2.1:5060 example.com',
    ]);
    assert.ok(!resolver.queries.includes('SRV _sip._sctp.example.com'));
  });

  it('§4.1: a sips URI uses only SIPS+ NAPTR records', async () => {
    const resolver = fakeResolver({
      naptr: { 'example.com': [naptr(10, 10, 'SIP+D2U', '_sip._udp.example.com'), naptr(20, 10, 'SIPS+D2T', '_sips._tcp.example.com')] },
      srv: { '_sip._udp.example.com': [srv('u.example.com', 5060)], '_sips._tcp.example.com': [srv('s.example.com', 5061)] },
      a: { 'u.example.com': ['192.0.2.1'], 's.example.com': ['192.0.2.3'] },
    });
    const got = await resolveTargets(uri('example.com', { scheme: 'sips' }), { resolver });
    assert.deepEqual(got.map((d) => `${d.protocol} ${d.address}`), ['tls 192.0.2.3']);
  });

  it('§4.1: no NAPTR → SRV for _sips._tcp, _sip._tcp, _sip._udp (preferred transport first)', async () => {
    const resolver = fakeResolver({
      srv: { '_sip._udp.example.com': [srv('u.example.com', 5062)], '_sip._tcp.example.com': [srv('t.example.com', 5063)] },
      a: { 'u.example.com': ['192.0.2.1'], 't.example.com': ['192.0.2.2'] },
    });
    const got = await resolveTargets(uri('example.com'), { resolver, preferredProtocol: 'udp' });
    assert.deepEqual(got.map((d) => `${d.protocol} ${d.address}:${d.port}`), ['udp 192.0.2.1:5062', 'tcp 192.0.2.2:5063']);
    assert.deepEqual(resolver.queries.filter((q) => q.startsWith('SRV')),
      ['SRV _sip._udp.example.com', 'SRV _sips._tcp.example.com', 'SRV _sip._tcp.example.com']);
  });

  it('§4.1: the transport parameter skips NAPTR and queries only its SRV', async () => {
    const resolver = fakeResolver({
      naptr: { 'example.com': [naptr(10, 10, 'SIP+D2U', '_sip._udp.example.com')] },
      srv: { '_sip._tcp.example.com': [srv('t.example.com', 5070)] },
      a: { 't.example.com': ['192.0.2.2'] },
    });
    const got = await resolveTargets(uri('example.com', { transport: 'tcp' }), { resolver });
    assert.deepEqual(got.map((d) => `${d.protocol} ${d.address}:${d.port}`), ['tcp 192.0.2.2:5070']);
    assert.deepEqual(resolver.queries.filter((q) => !q.startsWith('A')), ['SRV _sip._tcp.example.com']);
  });

  it('§4.2: no SRV → A/AAAA on the default port', async () => {
    const resolver = fakeResolver({ a: { 'example.com': ['192.0.2.9'] } });
    assert.deepEqual(await resolveTargets(uri('example.com', { scheme: 'sips' }), { resolver }),
      [{ protocol: 'tls', address: '192.0.2.9', port: 5061, serverName: 'example.com' }]);
  });

  it('reports the DNS failure when nothing resolves', async () => {
    const resolver: DnsResolver = {
      resolveNaptr: () => Promise.reject(Object.assign(new Error('queryNaptr ETIMEOUT example.com'), { code: 'ETIMEOUT' })),
      resolveSrv: () => Promise.resolve([]),
      resolve4: () => Promise.resolve([]),
      resolve6: () => Promise.resolve([]),
    };
    await assert.rejects(resolveTargets(uri('example.com'), { resolver }), /no addresses for example\.com: queryNaptr ETIMEOUT/);
  });

  it('rejects an unsupported transport parameter', async () => {
    await assert.rejects(resolveTargets(uri('example.com', { transport: 'sctp' }), { resolver: fakeResolver({}) }), /unsupported transport/);
  });
});

describe('RFC 2782 SRV ordering', () => {
  it('orders by priority, then by weighted random choice', () => {
    const records = [srv('c', 1, 20, 0), srv('a', 1, 10, 60), srv('b', 1, 10, 40), srv('z', 1, 5, 0), srv('.', 1, 1, 0)];
    // First pick in priority 10: sum 100, random 70 → running sums a=60, b=100 → b. Then a alone.
    assert.deepEqual(orderSrv(records, sequenceRandom([0, 70, 0, 0])).map((r) => r.name), ['z', 'b', 'a', 'c']);
    // Random 10 → a first.
    assert.deepEqual(orderSrv(records, sequenceRandom([0, 10, 0, 0])).map((r) => r.name), ['z', 'a', 'b', 'c']);
  });

  it('puts zero-weight records first in the running sum, so they are chosen only at random 0', () => {
    const records = [srv('heavy', 1, 10, 10), srv('zero', 1, 10, 0)];
    assert.deepEqual(orderSrv(records, sequenceRandom([0])).map((r) => r.name), ['zero', 'heavy']);
    assert.deepEqual(orderSrv(records, sequenceRandom([5])).map((r) => r.name), ['heavy', 'zero']);
  });
});
