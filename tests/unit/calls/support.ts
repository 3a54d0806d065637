/** Call managers on the fake network with a fake media engine that records what it was told. */
import { EventEmitter } from 'node:events';
import { UserAgent } from '../../../src-main/sip/ua/user-agent.js';
import { accountDefaults, type AccountConfig } from '../../../src-main/sip/ua/core/account.js';
import { CallManager, defaultSettings, type CallManagerSettings } from '../../../src-main/calls/call-manager.js';
import type { CallMediaOptions } from '../../../src-main/calls/call-media.js';
import type { StreamConfig } from '../../../src-main/media/engine/protocol.js';
import type { CallEvent } from '../../../src-main/contract/calls.js';
import { sequenceRandom } from '../../../src-main/util/random.js';
import { FakeNetwork, resolveOnNetwork, type FakeTransport } from '../../support/fake-network.js';

export { FakeNetwork };

export class FakeEngine extends EventEmitter {
  private port = 40000;
  readonly started = new Map<string, StreamConfig>();
  readonly tones: Array<[string, string]> = [];
  readonly rings: boolean[] = [];
  conferenceStreams: string[] = [];
  muted = false;
  /** Every socket the engine was asked to bind, and where. */
  readonly allocations: Array<{ stream: string; bindAddress: string }> = [];
  /** Set to make allocate() fail as a real bind would (EADDRNOTAVAIL, port taken...). */
  allocateError: Error | undefined;
  async allocate(stream: string, bindAddress: string): Promise<number> {
    if (this.allocateError) throw this.allocateError;
    this.allocations.push({ stream, bindAddress });
    return (this.port += 2);
  }
  async start(stream: string, config: StreamConfig): Promise<void> { this.started.set(stream, config); }
  async update(stream: string, config: StreamConfig): Promise<void> { this.started.set(stream, config); }
  async stop(stream: string): Promise<undefined> { this.started.delete(stream); return undefined; }
  tone(stream: string, tone: string): void { this.tones.push([stream, tone]); }
  ring(on: boolean): void { this.rings.push(on); }
  mute(muted: boolean): void { this.muted = muted; }
  conference(streams: string[]): void { this.conferenceStreams = streams; }
  sendDtmf(): void {}
}

export interface Desk {
  name: string;
  address: string;
  uri: string;
  ua: UserAgent;
  /** Its SIP transport (net.move() it for a network change). */
  transport: FakeTransport;
  manager: CallManager;
  engine: FakeEngine;
  events: CallEvent[];
}

export function desk(
  net: FakeNetwork, name: string, address: string, settings: Partial<CallManagerSettings> = {}, account: Partial<AccountConfig> = {},
  media: Partial<CallMediaOptions> = {},
): Desk {
  const transport = net.transport(address);
  const ua = new UserAgent({
    transport, clock: net.clock,
    random: { token: (bits) => `${name}-${inner.token(bits)}`, int: (max) => inner.int(max) },
    resolve: resolveOnNetwork, userAgent: `test-${name}`,
  });
  ua.addAccount(accountDefaults({ key: name, aor: `sip:${name}@${address}`, incomingCallPolicy: 'any', ...account }));
  const engine = new FakeEngine();
  const manager = new CallManager({
    ua, engine, mediaOptions: () => ({ bindAddress: address, srtp: 'off', ...media }), now: () => net.clock.now(), clock: net.clock,
  }, { ...defaultSettings, ...settings });
  const events: CallEvent[] = [];
  manager.on('event', (e) => events.push(e));
  return { name, address, uri: `sip:${name}@${address}`, ua, transport, manager, engine, events };
}
const inner = sequenceRandom([0]);

/** `from` dials `to` and `to` answers: an answered call between them (50 ms of fake time each way). */
export async function connect(net: FakeNetwork, from: Desk, to: Desk): Promise<void> {
  await from.manager.execute({ type: 'dial', uri: to.uri });
  await net.run(50);
  await to.manager.execute({ type: 'answer' });
  await net.run(50);
}

/** The only (or the named) call of a desk. */
export function callOf(d: Desk, index = 0) {
  const call = [...d.manager.calls.values()][index];
  if (!call) throw new Error(`${d.name} has no call #${index}`);
  return call;
}
