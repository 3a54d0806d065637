/**
 * NAT test bed for issue 13 (root only): one or two homes, each behind its own router, and one
 * "internet" namespace where the servers and peers live (Kamailio, baresip, coturn).
 *
 *   home0 192.0.2.2/25   ── eth0│lan0 192.0.2.1    router0 198.51.100.1 wan0│r0 ─┐
 *                                                                                 br0 198.51.100.10 internet
 *   home1 192.0.2.130/25 ── eth0│lan0 192.0.2.129  router1 198.51.100.2 wan0│r1 ─┘
 *
 * RFC 5737 documentation addresses, only inside these namespaces. The internet has no route to
 * 192.0.2.0/24: only what a router's NAT maps back reaches a home. Each router (nftables):
 * - `endpoint-independent`: port-preserving masquerade, so one local port keeps one public port
 *   whatever the destination (RFC 4787 §4.1 endpoint-independent mapping), as most home routers do.
 * - `symmetric`: masquerade `random,fully-random`: every new flow (5-tuple) gets its own random
 *   public port (RFC 4787 §4.1 address-and-port-dependent mapping), so a port learnt from one
 *   server is useless to any other peer.
 * Filtering is address-and-port-dependent for both (RFC 4787 §5): from the internet only packets
 * of a flow the home opened (conntrack `established`: exact remote address and port) pass; the
 * rest is dropped in forward and input, before it could create a conntrack entry of its own.
 * `blockUdp` drops every UDP packet from the home (a locked-down office); `allowTcpPorts` then
 * limits TCP to those destination ports (e.g. 443 and the SIP port).
 * `moveHome(i)` renumbers a home (DHCP gave it another address: its flows' mappings are gone).
 * Names are `nimbus-nat-<pid>-…` (stale ones of dead runs are removed, as netns.ts does); `stop()`
 * deletes them all, also after a failed build.
 */
import { randomBytes } from 'node:crypto';
import { requireBinary } from './process.js';
import { namespacePrefix, removeStaleNamespaces, runIp } from './netns.js';

export type NatKind = 'endpoint-independent' | 'symmetric';

export interface HomeSpec {
  nat: NatKind;
  /** Drop all UDP from the home at the router (default false). */
  blockUdp?: boolean;
  /** Only these TCP destination ports pass (default: all). */
  allowTcpPorts?: number[];
}

export interface NatHome {
  /** Namespace where the phone runs. */
  ns: string;
  router: string;
  nat: NatKind;
  /** The home's current private address (changes with moveHome). */
  address: string;
  /** The router's address on the internet side (what the NAT maps the home to). */
  publicAddress: string;
  /** The router's conntrack table: the NAT's mappings. */
  natTable(): string;
}

export interface NatBed {
  internet: string;
  /** The internet namespace's one address, for servers and peers there. */
  internetAddress: string;
  homes: NatHome[];
  /** `cmd args` run inside `ns` (as `ip netns exec ns cmd args`). */
  inside(ns: string, cmd: string, args: string[]): [string, string[]];
  /**
   * Moves home `i` to a new private address (the old one removed, the default route re-added):
   * a network change. Returns the new address.
   */
  moveHome(i: number): string;
  /**
   * Gives router `i` a new public address (the ISP renumbered it) and removes the old one: the
   * kernel drops the masquerade mappings made with the old address, so every flow from the home
   * gets a new public address and port with its next packet. Returns the new public address.
   */
  renumberRouter(i: number): string;
  /** Replaces router `i`'s rules (e.g. allowTcpPorts once a server's port is known). */
  setRouter(i: number, spec: HomeSpec): void;
  /**
   * Counts packets home `i` sends to `address:port` over `proto`, at its router, from now on:
   * independent evidence of which server carried a call (e.g. the TURN server).
   */
  countToward(i: number, proto: 'udp' | 'tcp', address: string, port: number): { read(): number };
  stop(): Promise<void>;
}

let counter = 0;

/** The nftables ruleset of a router: NAT out of wan0, stateful filtering in from it. */
export function routerRules(spec: HomeSpec): string {
  const masquerade = spec.nat === 'symmetric' ? 'masquerade random,fully-random' : 'masquerade';
  const fromHome: string[] = [];
  if (spec.blockUdp) fromHome.push('    iifname "lan0" meta l4proto udp counter drop');
  if (spec.allowTcpPorts) {
    fromHome.push(`    iifname "lan0" tcp dport { ${spec.allowTcpPorts.join(', ')} } accept`);
    fromHome.push('    iifname "lan0" meta l4proto tcp counter drop');
  }
  return [
    'table ip nat {',
    '  chain post {',
    '    type nat hook postrouting priority srcnat; policy accept;',
    `    oifname "wan0" ${masquerade}`,
    '  }',
    '}',
    'table ip firewall {',
    '  chain input {',
    '    type filter hook input priority filter; policy accept;',
    '    iifname "wan0" ct state established,related accept',
    '    iifname "wan0" counter drop',
    '  }',
    '  chain forward {',
    '    type filter hook forward priority filter; policy drop;',
    ...fromHome,
    '    iifname "lan0" oifname "wan0" accept',
    '    iifname "wan0" oifname "lan0" ct state established,related accept',
    '  }',
    '}',
  ].join('\n') + '\n';
}

export async function createNatBed(specs: HomeSpec[]): Promise<NatBed> {
  requireBinary('ip', 'iproute2');
  requireBinary('nft', 'nftables');
  if (process.getuid?.() !== 0) throw new Error('the NAT test bed needs root (network namespaces, nftables): run the interop tests as root, as CI does');
  if (specs.length < 1 || specs.length > 2) throw new Error(`createNatBed: 1 or 2 homes, not ${specs.length}`);
  removeStaleNamespaces();
  const base = `${namespacePrefix}${process.pid}-${++counter}${randomBytes(2).toString('hex')}`;
  const internet = `${base}-inet`;
  const created: string[] = [];
  const remove = () => {
    for (const ns of created.splice(0).reverse()) {
      try { runIp(['netns', 'delete', ns]); } catch { /* already gone */ }
    }
  };
  const addNs = (ns: string) => {
    runIp(['netns', 'add', ns]);
    created.push(ns);
    runIp(['-n', ns, 'link', 'set', 'lo', 'up']);
  };
  const up = (ns: string, dev: string, cidr?: string) => {
    if (cidr) runIp(['-n', ns, 'addr', 'add', cidr, 'dev', dev]);
    runIp(['-n', ns, 'link', 'set', dev, 'up']);
  };
  const homes: NatHome[] = [];
  const homeHost = specs.map((_, i) => 2 + 128 * i);
  try {
    addNs(internet);
    runIp(['-n', internet, 'link', 'add', 'br0', 'type', 'bridge']);
    up(internet, 'br0', '198.51.100.10/24');
    specs.forEach((spec, i) => {
      const router = `${base}-rt${i}`;
      const home = `${base}-home${i}`;
      addNs(router);
      addNs(home);
      const lanNet = 128 * i;
      runIp(['-n', home, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'lan0', 'netns', router]);
      runIp(['-n', router, 'link', 'add', 'wan0', 'type', 'veth', 'peer', 'name', `r${i}`, 'netns', internet]);
      runIp(['-n', internet, 'link', 'set', `r${i}`, 'master', 'br0']);
      up(internet, `r${i}`);
      // Keep the new address when moveHome deletes the first one (it would take its secondaries along).
      runIp(['netns', 'exec', home, 'sysctl', '-qw', 'net.ipv4.conf.eth0.promote_secondaries=1']);
      up(home, 'eth0', `192.0.2.${homeHost[i]}/25`);
      up(router, 'lan0', `192.0.2.${lanNet + 1}/25`);
      up(router, 'wan0', `198.51.100.${i + 1}/24`);
      runIp(['-n', home, 'route', 'add', 'default', 'via', `192.0.2.${lanNet + 1}`]);
      runIp(['netns', 'exec', router, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
      try {
        runIp(['netns', 'exec', router, 'nft', '-f', '-'], routerRules(spec));
      } catch (e) {
        throw new Error(`nftables rejected the ${spec.nat} router's rules (kernel without nf_nat/nf_conntrack or masquerade random,fully-random?): ${(e as Error).message}`);
      }
      homes.push({
        ns: home, router, nat: spec.nat, address: `192.0.2.${homeHost[i]}`, publicAddress: `198.51.100.${i + 1}`,
        natTable: () => {
          try {
            return runIp(['netns', 'exec', router, 'cat', '/proc/net/nf_conntrack']);
          } catch (e) {
            return `(no conntrack table: ${(e as Error).message})`;
          }
        },
      });
    });
  } catch (e) {
    remove();
    throw e;
  }
  return {
    internet,
    internetAddress: '198.51.100.10',
    homes,
    inside: (ns, cmd, args) => ['ip', ['netns', 'exec', ns, cmd, ...args]],
    moveHome(i) {
      const h = homes[i];
      if (!h) throw new Error(`moveHome: no home ${i}`);
      const next = Number(h.address.split('.')[3]) + 1;
      if (next >= 128 * (i + 1) - 1) throw new Error(`moveHome: home ${i} ran out of addresses`);
      const address = `192.0.2.${next}`;
      runIp(['-n', h.ns, 'addr', 'add', `${address}/25`, 'dev', 'eth0']);
      runIp(['-n', h.ns, 'addr', 'del', `${h.address}/25`, 'dev', 'eth0']);
      runIp(['-n', h.ns, 'route', 'replace', 'default', 'via', `192.0.2.${128 * i + 1}`, 'src', address]);
      h.address = address;
      return address;
    },
    renumberRouter(i) {
      const h = homes[i];
      if (!h) throw new Error(`renumberRouter: no home ${i}`);
      const next = Number(h.publicAddress.split('.')[3]) + 20;
      if (next > 250) throw new Error(`renumberRouter: router ${i} ran out of addresses`);
      const address = `198.51.100.${next}`;
      runIp(['netns', 'exec', h.router, 'sysctl', '-qw', 'net.ipv4.conf.wan0.promote_secondaries=1']);
      runIp(['-n', h.router, 'addr', 'add', `${address}/24`, 'dev', 'wan0']);
      runIp(['-n', h.router, 'addr', 'del', `${h.publicAddress}/24`, 'dev', 'wan0']);
      h.publicAddress = address;
      return address;
    },
    setRouter(i, spec) {
      const h = homes[i];
      if (!h) throw new Error(`setRouter: no home ${i}`);
      runIp(['netns', 'exec', h.router, 'nft', '-f', '-'], 'flush ruleset\n' + routerRules(spec));
      h.nat = spec.nat;
    },
    countToward(i, proto, address, port) {
      const h = homes[i];
      if (!h) throw new Error(`countToward: no home ${i}`);
      const tag = `nimbus-count-${++counter}`;
      runIp(['netns', 'exec', h.router, 'nft', 'insert', 'rule', 'ip', 'firewall', 'forward',
        'iifname', 'lan0', 'ip', 'daddr', address, proto, 'dport', String(port), 'counter', 'comment', `"${tag}"`]);
      return {
        read() {
          const chain = runIp(['netns', 'exec', h.router, 'nft', 'list', 'chain', 'ip', 'firewall', 'forward']);
          const m = new RegExp(`counter packets (\\d+) bytes \\d+ comment "${tag}"`).exec(chain);
          if (!m) throw new Error(`countToward: counter ${tag} not found in\n${chain}`);
          return Number(m[1]);
        },
      };
    },
    async stop() {
      remove();
    },
  };
}
