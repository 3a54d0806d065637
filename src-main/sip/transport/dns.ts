/**
 * RFC 3263 §4 locating a SIP server: URI → ordered failover list of destinations.
 * NAPTR → SRV (RFC 2782 order) → A/AAAA, with the shortcuts of §4.1/§4.2 for numeric hosts,
 * explicit ports and transport parameters. The resolver is injected (node:dns/promises Resolver fits).
 */
import type { SipUri } from '../message/types.js';
import { cryptoRandom, type Random } from '../../util/random.js';
import { defaultPort, isIpLiteral, normalizeAddress } from './address.js';
import type { Destination, TransportProtocol } from './types.js';

export interface NaptrRecord {
  flags: string;
  service: string;
  regexp: string;
  replacement: string;
  order: number;
  preference: number;
}

export interface SrvRecord {
  name: string;
  port: number;
  priority: number;
  weight: number;
}

export interface DnsResolver {
  resolveNaptr(name: string): Promise<NaptrRecord[]>;
  resolveSrv(name: string): Promise<SrvRecord[]>;
  resolve4(name: string): Promise<string[]>;
  resolve6(name: string): Promise<string[]>;
}

export interface ResolveOptions {
  resolver: DnsResolver;
  /** Used when neither the URI nor NAPTR decide the transport. */
  preferredProtocol?: TransportProtocol;
  /** For the RFC 2782 weighted choice. */
  random?: Random;
}

/** RFC 3263 §4.1 NAPTR services we support. */
const naptrServices: Record<string, TransportProtocol> = { 'SIP+D2U': 'udp', 'SIP+D2T': 'tcp', 'SIPS+D2T': 'tls' };
const srvPrefix: Record<TransportProtocol, string> = { udp: '_sip._udp.', tcp: '_sip._tcp.', tls: '_sips._tcp.' };

/** An ordered failover list: try the next entry on a transport error, 503 or timeout (§4.3). */
export async function resolveTargets(uri: SipUri, opts: ResolveOptions): Promise<Destination[]> {
  const random = opts.random ?? cryptoRandom;
  const sips = uri.scheme === 'sips';
  const host = normalizeAddress(uri.host);
  const param = transportParam(uri, sips);
  if (param === null) throw new Error(`unsupported transport parameter "${uri.params.get('transport')}"`);
  const fallback: TransportProtocol = param ?? (sips ? 'tls' : (opts.preferredProtocol ?? 'udp'));

  // §4.1/§4.2: a numeric host is used as is.
  if (isIpLiteral(host)) return [{ protocol: fallback, address: host, port: uri.port ?? defaultPort(fallback) }];
  const dns = new Lookup(opts.resolver);
  // §4.2: an explicit port means A/AAAA only.
  if (uri.port !== undefined) return dedupe(await dns.addresses(host, uri.port, fallback, host));

  let out: Destination[] = [];
  if (!param) {
    for (const { protocol, replacement } of await dns.naptr(host, sips)) {
      out.push(...(await dns.srvTargets(replacement, protocol, host, random)));
    }
  }
  if (out.length === 0) {
    // §4.1: no (usable) NAPTR: SRV for each supported transport, the transport param's only if given.
    const order: TransportProtocol[] = param ? [param] : sips ? ['tls'] : preferFirst(['tls', 'tcp', 'udp'], opts.preferredProtocol);
    for (const protocol of order) out.push(...(await dns.srvTargets(srvPrefix[protocol] + host, protocol, host, random)));
  }
  // §4.2: no SRV records: A/AAAA on the default port.
  if (out.length === 0) out = await dns.addresses(host, defaultPort(fallback), fallback, host);
  if (out.length === 0) throw new Error(`no addresses for ${host}${dns.lastError ? `: ${dns.lastError}` : ''}`);
  return dedupe(out);
}

/** The URI's transport param as a protocol; undefined when absent, null when unsupported. */
function transportParam(uri: SipUri, sips: boolean): TransportProtocol | undefined | null {
  const t = uri.params.get('transport')?.toLowerCase();
  if (!t) return undefined;
  if (t === 'udp' || t === 'tcp') return sips ? 'tls' : t; // sips: TLS over TCP (§26.2.2)
  if (t === 'tls') return 'tls';
  return null;
}

function preferFirst(list: TransportProtocol[], preferred: TransportProtocol | undefined): TransportProtocol[] {
  return preferred ? [preferred, ...list.filter((p) => p !== preferred)] : list;
}

function dedupe(list: Destination[]): Destination[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.protocol}:${d.address}:${d.port}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * RFC 2782: ascending priority; within a priority, repeatedly pick by weight (zero weights first
 * in the running sum, random in [0, sum]). Targets of "." mean "not offered here".
 */
export function orderSrv(records: SrvRecord[], random: Random): SrvRecord[] {
  const usable = records.filter((r) => r.name !== '' && r.name !== '.');
  const priorities = [...new Set(usable.map((r) => r.priority))].sort((a, b) => a - b);
  const out: SrvRecord[] = [];
  for (const priority of priorities) {
    const group = usable.filter((r) => r.priority === priority).sort((a, b) => (a.weight === 0 ? 0 : 1) - (b.weight === 0 ? 0 : 1));
    while (group.length > 0) {
      const sum = group.reduce((s, r) => s + r.weight, 0);
      const pick = random.int(sum + 1);
      let running = 0;
      let index = group.length - 1;
      for (let i = 0; i < group.length; i++) {
        running += group[i]!.weight;
        if (running >= pick) {
          index = i;
          break;
        }
      }
      out.push(...group.splice(index, 1));
    }
  }
  return out;
}

/** DNS queries where "no such record" and failures both yield an empty list. */
class Lookup {
  lastError: string | undefined;
  constructor(private readonly resolver: DnsResolver) {}

  private async query<T>(fn: () => Promise<T[]>): Promise<T[]> {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== 'ENODATA' && code !== 'ENOTFOUND') this.lastError = err instanceof Error ? err.message : String(err);
      return [];
    }
  }

  /** §4.1: NAPTR records we can use, by order then preference; sips URIs take only SIPS+. */
  async naptr(host: string, sips: boolean): Promise<{ protocol: TransportProtocol; replacement: string }[]> {
    const records = await this.query(() => this.resolver.resolveNaptr(host));
    return records
      .filter((r) => r.flags.toLowerCase() === 's' && r.replacement !== '' && r.replacement !== '.')
      .filter((r) => naptrServices[r.service.toUpperCase()] && (!sips || r.service.toUpperCase().startsWith('SIPS+')))
      .sort((a, b) => a.order - b.order || a.preference - b.preference)
      .map((r) => ({ protocol: naptrServices[r.service.toUpperCase()]!, replacement: r.replacement }));
  }

  async srvTargets(name: string, protocol: TransportProtocol, serverName: string, random: Random): Promise<Destination[]> {
    const out: Destination[] = [];
    for (const srv of orderSrv(await this.query(() => this.resolver.resolveSrv(name)), random)) {
      out.push(...(await this.addresses(srv.name, srv.port, protocol, serverName)));
    }
    return out;
  }

  /** A then AAAA. serverName stays the URI's domain for TLS verification (RFC 5922 §4.1). */
  async addresses(host: string, port: number, protocol: TransportProtocol, serverName: string): Promise<Destination[]> {
    const v4 = await this.query(() => this.resolver.resolve4(host));
    const v6 = await this.query(() => this.resolver.resolve6(host));
    return [...v4, ...v6].map((address) => ({ protocol, address, port, serverName }));
  }
}
