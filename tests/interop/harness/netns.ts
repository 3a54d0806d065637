/**
 * A home network behind a NAT router, built from network namespaces (root only):
 *
 *   home 192.0.2.2 ── eth0│lan0 192.0.2.1  router  198.51.100.1 wan0│eth0 ── 198.51.100.10 internet
 *                      nftables: masquerade out of wan0, drop unsolicited input on wan0
 *
 * RFC 5737 documentation addresses, used only inside these namespaces. The internet side has no
 * route to 192.0.2.0/24: only what the router's NAT maps back reaches home. The masquerade keeps
 * source ports when it can (as most home routers do); `randomPorts` maps each flow to a random port.
 * Like every home router, it drops unsolicited packets from the internet. That matters for media:
 * a peer that sends RTP before we do (baresip starts on its own 200 OK) would otherwise leave a
 * connection-tracking entry on our public port, and the masquerade would move our RTP to another
 * port, where a peer that does not latch never sends.
 * Names are unique per run (`nimbus-nat-<pid>-<n>-…`); namespaces left by a crashed run (its pid
 * gone) are deleted when a new topology is built. `stop()` deletes this run's namespaces.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { requireBinary } from './process.js';

export const namespacePrefix = 'nimbus-nat-';
const prefix = namespacePrefix;

export interface NatTopology {
  /** Namespace names. */
  home: string;
  router: string;
  internet: string;
  /** The phone's private address at home. */
  homeAddress: string;
  /** The router's address on the internet side: what the NAT maps home to. */
  publicAddress: string;
  /** The one address on the internet side, for the servers and peers there. */
  internetAddress: string;
  /** `cmd args` run inside namespace `ns` (as `ip netns exec ns cmd args`). */
  inside(ns: string, cmd: string, args: string[]): [string, string[]];
  /** The router's connection-tracking table (/proc/net/nf_conntrack): the NAT's mappings. */
  natTable(): string;
  stop(): Promise<void>;
}

/** `ip ARGS` (stdin from `input`), its stdout; throws with stderr on failure. */
export function runIp(args: string[], input?: string): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...(input !== undefined ? { input } : {}) });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Our namespaces, e.g. from `ip netns list` ("name (id: 3)" lines). */
function ourNamespaces(): string[] {
  return runIp(['netns', 'list']).split('\n').map((l) => l.split(' ')[0]!).filter((n) => n.startsWith(prefix));
}

/** Deletes namespaces of earlier runs whose process is gone (a crash or SIGKILL skips cleanup). */
export function removeStaleNamespaces(): string[] {
  const removed: string[] = [];
  for (const name of ourNamespaces()) {
    const pid = Number(/^nimbus-nat-(\d+)-/.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) {
      try {
        runIp(['netns', 'delete', name]);
        removed.push(name);
      } catch {
        // Deleted meanwhile by another run's cleanup.
      }
    }
  }
  return removed;
}

let counter = 0;

export async function createNatTopology(opts: { randomPorts?: boolean } = {}): Promise<NatTopology> {
  requireBinary('ip', 'iproute2');
  requireBinary('nft', 'nftables');
  if (process.getuid?.() !== 0) throw new Error('network namespaces need root (run the interop tests as root, as CI does)');
  removeStaleNamespaces();
  const base = `${prefix}${process.pid}-${++counter}${randomBytes(2).toString('hex')}`;
  const names = { home: `${base}-home`, router: `${base}-router`, internet: `${base}-inet` };
  const created: string[] = [];
  const remove = () => {
    for (const ns of created.splice(0)) {
      try { runIp(['netns', 'delete', ns]); } catch { /* already gone */ }
    }
  };
  try {
    for (const ns of Object.values(names)) {
      runIp(['netns', 'add', ns]);
      created.push(ns);
      runIp(['-n', ns, 'link', 'set', 'lo', 'up']);
    }
    const { home, router, internet } = names;
    runIp(['-n', home, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'lan0', 'netns', router]);
    runIp(['-n', router, 'link', 'add', 'wan0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', internet]);
    const up = (ns: string, dev: string, cidr: string) => {
      runIp(['-n', ns, 'addr', 'add', cidr, 'dev', dev]);
      runIp(['-n', ns, 'link', 'set', dev, 'up']);
    };
    up(home, 'eth0', '192.0.2.2/24');
    up(router, 'lan0', '192.0.2.1/24');
    up(router, 'wan0', '198.51.100.1/24');
    up(internet, 'eth0', '198.51.100.10/24');
    runIp(['-n', home, 'route', 'add', 'default', 'via', '192.0.2.1']);
    runIp(['netns', 'exec', router, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    runIp(['netns', 'exec', router, 'nft', '-f', '-'], [
      'table ip nat {',
      '  chain post {',
      '    type nat hook postrouting priority srcnat; policy accept;',
      `    oifname "wan0" masquerade${opts.randomPorts ? ' random' : ''}`,
      '  }',
      '}',
      'table ip firewall {',
      '  chain input {',
      '    type filter hook input priority filter; policy accept;',
      '    iifname "wan0" ct state established,related accept',
      '    iifname "wan0" drop',
      '  }',
      '}',
    ].join('\n') + '\n');
  } catch (e) {
    remove();
    throw e;
  }
  return {
    ...names,
    homeAddress: '192.0.2.2',
    publicAddress: '198.51.100.1',
    internetAddress: '198.51.100.10',
    inside: (ns, cmd, args) => ['ip', ['netns', 'exec', ns, cmd, ...args]],
    natTable: () => {
      try {
        return runIp(['netns', 'exec', names.router, 'cat', '/proc/net/nf_conntrack']);
      } catch (e) {
        return `(no conntrack table: ${(e as Error).message})`;
      }
    },
    async stop() {
      remove();
    },
  };
}
