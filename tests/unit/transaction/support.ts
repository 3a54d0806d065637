/** In-memory transport and message builders for transaction tests. */
import { createResponse, parseMessage } from '../../../src-main/sip/message/index.js';
import type { SipMessage, SipRequest, SipResponse } from '../../../src-main/sip/message/index.js';
import type { Destination, IncomingMessage, Source, Transport, TransportProtocol } from '../../../src-main/sip/transport/types.js';
import { TestClock } from '../../support/test-clock.js';
import { sequenceRandom } from '../../../src-main/util/random.js';
import { TransactionLayer } from '../../../src-main/sip/transaction/index.js';
import type { ClientTransactionHandler, ServerTransaction, TransactionUser } from '../../../src-main/sip/transaction/index.js';

export interface Sent {
  message: SipMessage;
  destination: Destination;
  options: { connectionId?: string } | undefined;
  at: number;
}

export class FakeTransport implements Transport {
  readonly sent: Sent[] = [];
  /** Next sends reject with this error (once each). */
  failures: Error[] = [];
  /** Where a request is "actually" sent (e.g. a big UDP request going over TCP). */
  reroute: ((d: Destination) => Destination) | undefined;
  private handler: ((m: IncomingMessage) => void) | undefined;

  constructor(private readonly clock: TestClock) {}

  send(message: SipMessage, destination: Destination, options?: { connectionId?: string }): Promise<Destination> {
    const failure = this.failures.shift();
    if (failure) return Promise.reject(failure);
    this.sent.push({ message, destination, options, at: this.clock.now() });
    return Promise.resolve(this.reroute ? this.reroute(destination) : destination);
  }

  isReliable(protocol: TransportProtocol): boolean {
    return protocol !== 'udp';
  }

  localAddress(): { address: string; port: number } {
    return { address: '127.0.0.1', port: 5060 };
  }

  onMessage(handler: (incoming: IncomingMessage) => void): void {
    this.handler = handler;
  }

  inject(message: SipMessage, source: Source = udpPeer): void {
    this.handler!({ message, source });
  }

  /** Times at which messages matching the filter were sent. */
  times(filter: (m: SipMessage) => boolean): number[] {
    return this.sent.filter((s) => filter(s.message)).map((s) => s.at);
  }
}

export const udpPeer: Source = { protocol: 'udp', address: '127.0.0.1', port: 5070 };
export const tcpPeer: Source = { protocol: 'tcp', address: '127.0.0.1', port: 5070, connectionId: 'c1' };
export const udpDest: Destination = { protocol: 'udp', address: '127.0.0.1', port: 5070 };
export const tcpDest: Destination = { protocol: 'tcp', address: '127.0.0.1', port: 5070 };

/** Let promise callbacks (transport.send resolution) run; no time passes. */
export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function parse(text: string): SipMessage {
  const result = parseMessage(Buffer.from(text.replace(/\n/g, '\r\n')));
  if (!result.ok) throw new Error(result.reason);
  return result.message;
}

export function request(method: string, opts: { branch?: string | null; sentBy?: string; toTag?: string; cseqMethod?: string; seq?: number; uri?: string } = {}): SipRequest {
  const branch = opts.branch === null ? '' : `;branch=${opts.branch ?? 'z9hG4bKb1'}`;
  const to = opts.toTag ? `<sip:bob@127.0.0.1>;tag=${opts.toTag}` : '<sip:bob@127.0.0.1>';
  return parse(`${method} ${opts.uri ?? 'sip:bob@127.0.0.1:5070'} SIP/2.0
Via: SIP/2.0/UDP ${opts.sentBy ?? '127.0.0.1:5060'}${branch}
Route: <sip:127.0.0.1:5080;lr>
Max-Forwards: 70
From: <sip:alice@127.0.0.1>;tag=ft1
To: ${to}
Call-ID: call-1@127.0.0.1
CSeq: ${opts.seq ?? 1} ${opts.cseqMethod ?? method}
Content-Length: 0

`) as SipRequest;
}

export function response(req: SipRequest, status: number, toTag = 'tt1'): SipResponse {
  return createResponse(req, status, undefined, { toTag });
}

export const isRequest = (method: string) => (m: SipMessage): boolean => m.kind === 'request' && m.method === method;
export const isStatus = (status: number) => (m: SipMessage): boolean => m.kind === 'response' && m.status === status;

/** A layer over a fake transport with a recording TU and client handler. */
export function setup(timers?: { T1?: number; T2?: number; T4?: number }) {
  const clock = new TestClock();
  const transport = new FakeTransport(clock);
  const requests: Array<{ request: SipRequest; tx: ServerTransaction | undefined; source: Source }> = [];
  const strays: SipResponse[] = [];
  const user: TransactionUser = {
    onRequest: (request, tx, source) => requests.push({ request, tx, source }),
    onStrayResponse: (r) => strays.push(r),
  };
  const layer = new TransactionLayer({ transport, clock, random: sequenceRandom(), user, ...(timers ? { timers } : {}) });
  const events: string[] = [];
  const responses: SipResponse[] = [];
  const handler: ClientTransactionHandler = {
    onResponse: (r) => {
      responses.push(r);
      events.push(`response ${r.status}`);
    },
    onTimeout: () => events.push(`timeout@${clock.now()}`),
    onTransportError: (e) => events.push(`transport-error ${e.message}`),
  };
  return { clock, transport, layer, requests, strays, handler, events, responses };
}
