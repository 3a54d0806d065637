/**
 * An in-memory UDP network with NATs, on a fake clock, for ICE unit tests. A NAT maps a private
 * source either endpoint-independently (one public port per private socket) or per destination
 * ("symmetric": address-and-port-dependent mapping, RFC 4787 §4.1), and filters inbound packets
 * endpoint-independently or address-and-port-dependently (RFC 4787 §5). No hairpinning.
 */
import type { TestClock } from '../../../support/test-clock.js';

export interface Addr { address: string; port: number }
export type Handler = (data: Buffer, from: Addr) => void;

export interface NatConfig {
  publicAddress: string;
  /** Private addresses behind it start with this prefix. */
  privatePrefix: string;
  mapping: 'endpoint-independent' | 'address-port-dependent';
  filtering: 'endpoint-independent' | 'address-port-dependent';
}

interface Mapping { inside: Addr; publicPort: number; allowed: Set<string> }

const k = (a: Addr) => `${a.address}:${a.port}`;

class Nat {
  private readonly byKey = new Map<string, Mapping>();
  private readonly byPort = new Map<number, Mapping>();
  private nextPort = 40000;
  constructor(readonly c: NatConfig) {}

  outbound(from: Addr, to: Addr): Addr {
    const key = this.c.mapping === 'endpoint-independent' ? k(from) : `${k(from)}>${k(to)}`;
    let m = this.byKey.get(key);
    if (!m) {
      m = { inside: from, publicPort: this.nextPort++, allowed: new Set() };
      this.byKey.set(key, m);
      this.byPort.set(m.publicPort, m);
    }
    m.allowed.add(this.c.filtering === 'endpoint-independent' ? '*' : k(to));
    return { address: this.c.publicAddress, port: m.publicPort };
  }

  inbound(port: number, from: Addr): Addr | undefined {
    const m = this.byPort.get(port);
    if (!m || !(m.allowed.has('*') || m.allowed.has(k(from)))) return undefined;
    return m.inside;
  }
}

export class NatNetwork {
  private readonly sockets = new Map<string, Handler>();
  private readonly nats: Nat[] = [];
  /** Packets dropped (no route, NAT filter, or `down`). */
  dropped = 0;
  /** When true every packet is lost (a dead network). */
  down = false;
  /** Packets this returns true for are lost (one broken path). */
  blocked: ((from: Addr, to: Addr) => boolean) | undefined;

  constructor(private readonly clock: TestClock, private readonly latencyMs = 5) {}

  addNat(c: NatConfig): void {
    this.nats.push(new Nat(c));
  }

  bind(addr: Addr, handler: Handler): { send(data: Buffer, to: Addr): void; close(): void } {
    this.sockets.set(k(addr), handler);
    return {
      send: (data, to) => this.route(Buffer.from(data), addr, to),
      close: () => this.sockets.delete(k(addr)),
    };
  }

  private route(data: Buffer, from: Addr, to: Addr): void {
    if (this.down || this.blocked?.(from, to)) { this.dropped++; return; }
    const natOut = this.nats.find((n) => from.address.startsWith(n.c.privatePrefix));
    const source = natOut ? natOut.outbound(from, to) : from;
    const natIn = this.nats.find((n) => n.c.publicAddress === to.address);
    let dest: Addr | undefined = to;
    if (natIn) dest = natIn.inbound(to.port, source);
    else if (this.nats.some((n) => to.address.startsWith(n.c.privatePrefix)) && natOut?.c.privatePrefix !== this.nats.find((n) => to.address.startsWith(n.c.privatePrefix))?.c.privatePrefix) dest = undefined;
    const handler = dest && this.sockets.get(k(dest));
    if (!handler) { this.dropped++; return; }
    this.clock.setTimeout(() => { if (!this.down) handler(data, source); else this.dropped++; }, this.latencyMs);
  }
}
