/**
 * An in-memory SIP network for unit tests (after SIP.js test/support/api/transport-fake.ts).
 * Every message goes through serializeMessage and parseMessage, so the wire format is exercised;
 * it arrives after a link delay on the fake clock; selected messages can be dropped to exercise
 * retransmissions; everything sent is recorded in `log`.
 */
import { parseMessage, serializeMessage } from '../../src-main/sip/message/index.js';
import type { SipMessage, SipRequest, SipResponse, SipUri } from '../../src-main/sip/message/index.js';
import type { Destination, IncomingMessage, Transport, TransportProtocol } from '../../src-main/sip/transport/types.js';
import { TestClock } from './test-clock.js';

export interface Endpoint {
  address: string;
  port: number;
}

/** One message on the wire. */
export interface Packet {
  from: Endpoint;
  to: Destination;
  at: number;
  /** Parsed from the bytes that were sent (not the sender's object). */
  message: SipMessage;
  dropped: boolean;
}

/** Let promise chains run to completion; no fake time passes. */
export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class FakeNetwork {
  readonly clock = new TestClock();
  readonly log: Packet[] = [];
  private readonly nodes = new Map<string, FakeTransport>();
  private readonly drops: Array<{ match: (p: Packet) => boolean; remaining: number }> = [];

  constructor(readonly delayMs = 1) {}

  /** A UDP transport bound to address:port on this network. */
  transport(address: string, port = 5060): FakeTransport {
    const t = new FakeTransport(this, { address, port });
    this.nodes.set(`${address}:${port}`, t);
    return t;
  }

  /**
   * The machine behind `t` moved to another address (a network change): the old one reaches nobody,
   * unless `keepOld` (a second interface came up: what is sent to the old address still arrives).
   */
  move(t: FakeTransport, address: string, keepOld = false): void {
    if (!keepOld) this.nodes.delete(`${t.local.address}:${t.local.port}`);
    t.local.address = address;
    this.nodes.set(`${address}:${t.local.port}`, t);
  }

  /** Drop the next `times` packets that match (Infinity: all of them). */
  drop(match: (p: Packet) => boolean, times = 1): void {
    this.drops.push({ match, remaining: times });
  }

  /** Let `ms` of fake time pass, delivering messages and firing timers in order. */
  async run(ms = 0): Promise<void> {
    const end = this.clock.now() + ms;
    for (;;) {
      await flush();
      const next = this.clock.nextDue();
      if (next === undefined || next > end) break;
      this.clock.advance(next - this.clock.now());
    }
    this.clock.advance(end - this.clock.now());
    await flush();
  }

  /** Requests sent (not dropped unless `all`), optionally of one method. */
  requests(method?: string, all = false): Array<Packet & { message: SipRequest }> {
    return this.log.filter((p): p is Packet & { message: SipRequest } =>
      p.message.kind === 'request' && (method === undefined || p.message.method === method) && (all || !p.dropped));
  }

  responses(status?: number, all = false): Array<Packet & { message: SipResponse }> {
    return this.log.filter((p): p is Packet & { message: SipResponse } =>
      p.message.kind === 'response' && (status === undefined || p.message.status === status) && (all || !p.dropped));
  }

  /** Compact trace ("INVITE 10.0.0.1→10.0.0.2", "200/INVITE 10.0.0.2→10.0.0.1") for diagnostics. */
  trace(): string[] {
    return this.log.map((p) => {
      const m = p.message;
      const what = m.kind === 'request' ? m.method : `${m.status}/${m.headers.get('CSeq')?.split(' ')[1] ?? '?'}`;
      return `${p.at} ${what} ${p.from.address}→${p.to.address}${p.dropped ? ' (dropped)' : ''}`;
    });
  }

  /** Called by a transport: record, maybe drop, else deliver after the link delay. */
  transmit(from: Endpoint, to: Destination, data: Buffer): void {
    const parsed = parseMessage(data);
    if (!parsed.ok) throw new Error(`fake network: unparsable message: ${parsed.reason}`);
    const packet: Packet = { from, to, at: this.clock.now(), message: parsed.message, dropped: false };
    this.log.push(packet);
    const rule = this.drops.find((d) => d.remaining > 0 && d.match(packet));
    if (rule) {
      rule.remaining--;
      packet.dropped = true;
      return;
    }
    this.clock.setTimeout(() => {
      const again = parseMessage(data); // each receiver gets its own copy
      if (again.ok) this.nodes.get(`${to.address}:${to.port}`)?.receive(again.message, from);
    }, this.delayMs);
  }
}

/** A UDP-like Transport on the fake network (unreliable, so transaction timers run). */
export class FakeTransport implements Transport {
  private readonly handlers: Array<(incoming: IncomingMessage) => void> = [];

  constructor(private readonly network: FakeNetwork, readonly local: Endpoint) {}

  /** Messages for which send() fails as a broken transport would (§17.1.4, §17.2.4). */
  failing: ((message: SipMessage) => boolean) | undefined;

  send(message: SipMessage, destination: Destination): Promise<Destination> {
    if (this.failing?.(message)) return Promise.reject(new Error('fake network: destination unreachable'));
    this.network.transmit(this.local, destination, serializeMessage(message));
    return Promise.resolve(destination);
  }

  isReliable(protocol: TransportProtocol): boolean {
    return protocol !== 'udp';
  }

  localAddress(): { address: string; port: number } {
    return { ...this.local };
  }

  onMessage(handler: (incoming: IncomingMessage) => void): void {
    this.handlers.push(handler);
  }

  receive(message: SipMessage, from: Endpoint): void {
    for (const h of this.handlers) h({ message, source: { protocol: 'udp', ...from } });
  }
}

/** The UA's `resolve`: a URI's host and port are already an address on the fake network. */
export function resolveOnNetwork(uri: SipUri): Promise<Destination[]> {
  return Promise.resolve([{ protocol: 'udp', address: uri.host, port: uri.port ?? 5060 }]);
}

/** A scripted peer with no transaction layer: sees every message (retransmissions too). */
export class RawPeer {
  readonly transport: FakeTransport;
  readonly received: IncomingMessage[] = [];

  constructor(network: FakeNetwork, address: string, port = 5060, onMessage?: (m: IncomingMessage, peer: RawPeer) => void) {
    this.transport = network.transport(address, port);
    this.transport.onMessage((m) => {
      this.received.push(m);
      onMessage?.(m, this);
    });
  }

  send(message: SipMessage, to: Endpoint): void {
    void this.transport.send(message, { protocol: 'udp', ...to });
  }

  requests(method?: string): SipRequest[] {
    return this.received.map((m) => m.message).filter((m): m is SipRequest => m.kind === 'request' && (!method || m.method === method));
  }

  responses(status?: number): SipResponse[] {
    return this.received.map((m) => m.message).filter((m): m is SipResponse => m.kind === 'response' && (!status || m.status === status));
  }
}
