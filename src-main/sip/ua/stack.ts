/** Builds a running SIP stack: transports, RFC 3263 resolution and the user agent core. */
import { Resolver } from 'node:dns/promises';
import { TransportLayer, resolveTargets, type DnsResolver } from '../transport/index.js';
import type { Transport, TransportProtocol } from '../transport/types.js';
import { serializeMessage } from '../message/index.js';
import { redactSecrets } from '../message/redact.js';
import type { TransportEvent } from '../transport/events.js';
import { systemClock, type Clock } from '../../util/clock.js';
import { cryptoRandom, type Random } from '../../util/random.js';
import { UserAgent } from './user-agent.js';

export interface StackOptions {
  bindAddress: string;
  /** UDP listens here (0 picks a free port); a TCP listener, when opened, tries the same number. */
  port: number;
  /**
   * Open the TCP listener at start. Otherwise it opens only when an account uses TCP: nobody else
   * gets a stream socket on a desktop phone (docs/security.md, "Signalling").
   */
  listenTcp?: boolean;
  /** Server transactions at most (default 1,000); above, stateless 503. */
  maxServerTransactions?: number;
  /** PEM of an extra CA to trust for TLS (in addition to the system roots). */
  tlsCa?: string;
  userAgent: string;
  clock?: Clock;
  random?: Random;
  resolver?: DnsResolver;
  /** RFC 5626 CRLF keep-alive on connections we open, ms (0 = off). */
  keepAliveIntervalMs?: number;
  onTransportEvent?(event: TransportEvent): void;
  /** SIP message trace (for --sip-trace): every message sent and received, as text. */
  trace?(text: string): void;
}

export interface SipStack {
  ua: UserAgent;
  transport: TransportLayer;
  stop(): Promise<void>;
}

export async function createSipStack(options: StackOptions): Promise<SipStack> {
  const clock = options.clock ?? systemClock();
  const random = options.random ?? cryptoRandom;
  /** The UA once built; transport events before that have no account to recover. */
  const built: { ua?: UserAgent } = {};
  const transport = new TransportLayer({
    bindAddress: options.bindAddress,
    udpPort: options.port,
    ...(options.listenTcp ? { tcpPort: options.port } : {}),
    tls: { ...(options.tlsCa ? { ca: options.tlsCa } : {}), rejectUnauthorized: true },
    clock,
    random,
    keepAliveIntervalMs: options.keepAliveIntervalMs ?? 30_000,
    onError: (e) => {
      // The UA re-registers an account whose flow this was (RFC 5626 §4.4); the host reports it.
      built.ua?.transportEvent(e);
      options.onTransportEvent?.(e);
    },
  });
  await transport.start();
  const resolver = options.resolver ?? new Resolver({ timeout: 3000, tries: 2 });
  const ua = new UserAgent({
    transport: options.trace ? tracing(transport, options.trace) : transport,
    clock,
    random,
    userAgent: options.userAgent,
    listen: (protocol) => transport.listen(protocol, options.port),
    resetFlows: () => transport.resetFlows(),
    stunBinding: (to, o) => transport.stunBinding(to, o),
    ...(options.maxServerTransactions !== undefined ? { maxServerTransactions: options.maxServerTransactions } : {}),
    resolve: (uri, protocol: TransportProtocol) => resolveTargets(uri, { resolver, preferredProtocol: protocol, random }),
  });
  built.ua = ua;
  return {
    ua,
    transport,
    async stop() {
      await ua.unregisterAll();
      await transport.stop();
    },
  };
}

/** A Transport that also writes every message to a trace, secrets redacted. */
function tracing(inner: Transport, trace: (text: string) => void): Transport {
  return {
    isReliable: (p) => inner.isReliable(p),
    localAddress: (p) => inner.localAddress(p),
    onMessage: (handler) => inner.onMessage((incoming) => {
      const s = incoming.source;
      trace(redactSecrets(`<<< from ${s.protocol} ${s.address}:${s.port}\n${serializeMessage(incoming.message).toString('utf8')}\n`));
      handler(incoming);
    }),
    send: async (message, destination, opts) => {
      const sent = await inner.send(message, destination, opts);
      trace(redactSecrets(`>>> to ${sent.protocol} ${sent.address}:${sent.port}\n${serializeMessage(message).toString('utf8')}\n`));
      return sent;
    },
  };
}
