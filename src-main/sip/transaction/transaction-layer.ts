/**
 * The transaction layer (RFC 3261 §17): creates client transactions for outgoing requests, matches
 * incoming messages to transactions (§17.1.3, §17.2.3), creates server transactions for new
 * requests and hands the rest to the transaction user.
 */
import { createResponse, formatHostPort, formatVia, getTo, getTopVia, SipParseError } from '../message/index.js';
import type { SipMessage, SipRequest, SipResponse } from '../message/index.js';
import type { Destination, IncomingMessage, Source, Transport } from '../transport/types.js';
import type { Clock } from '../../util/clock.js';
import type { Random } from '../../util/random.js';
import { InviteClientTransaction } from './invite-client-transaction.js';
import { InviteServerTransaction } from './invite-server-transaction.js';
import { clientKey, magicCookie, responseKey, serverMatch, tagOf, type ServerMatch } from './matching.js';
import { NonInviteClientTransaction } from './non-invite-client-transaction.js';
import { NonInviteServerTransaction } from './non-invite-server-transaction.js';
import { defaultTimerSettings, type TimerSettings } from './timers.js';
import type { ClientTransactionHandler, Screening, TransactionContext } from './types.js';
import type { ClientTransaction, ServerTransaction, TransactionUser } from './transaction-user.js';
import { sendResponse } from './server-send.js';

/** Server transactions kept at most (a flood must not grow the table without bound). */
export const defaultMaxServerTransactions = 1000;
/** Seconds a client is asked to wait when the table is full (§20.33, §21.5.4). */
const fullRetryAfterS = 10;

export interface TransactionLayerOptions {
  transport: Transport;
  clock: Clock;
  random: Random;
  user: TransactionUser;
  timers?: Partial<TimerSettings>;
  /** Above this many server transactions, new requests get a stateless 503 (default 1,000). */
  maxServerTransactions?: number;
}

export class TransactionLayer {
  private readonly clients = new Map<string, ClientTransaction>();
  private readonly servers = new Map<string, ServerTransaction>();
  private readonly transport: Transport;
  private readonly random: Random;
  private readonly user: TransactionUser;
  private readonly clientCtx: TransactionContext;
  private readonly serverCtx: TransactionContext;
  private readonly maxServers: number;
  /** Requests answered or dropped without a transaction (diagnostics, tests). */
  readonly stateless = { full: 0, rejected: 0, dropped: 0 };

  constructor(opts: TransactionLayerOptions) {
    this.transport = opts.transport;
    this.random = opts.random;
    this.user = opts.user;
    this.maxServers = opts.maxServerTransactions ?? defaultMaxServerTransactions;
    const settings = { ...defaultTimerSettings, ...opts.timers };
    const base = { transport: opts.transport, clock: opts.clock, settings };
    this.clientCtx = { ...base, terminated: (key, tx) => dropIf(this.clients, key, tx) };
    this.serverCtx = { ...base, terminated: (key, tx) => dropIf(this.servers, key, tx) };
    opts.transport.onMessage((incoming) => this.receive(incoming));
  }

  /**
   * Send a request in a new client transaction: ICT for INVITE, NICT otherwise (§17.1). Adds a
   * branch (z9hG4bK + random) when the top Via has none, and a Via when there is none.
   * ACK is never sent in a transaction: use sendAck.
   */
  sendRequest(request: SipRequest, destination: Destination, handler: ClientTransactionHandler): ClientTransaction {
    if (request.method === 'ACK') throw new Error('ACK is not sent in a client transaction; use sendAck (§17.1.1.3)');
    const branch = this.ensureBranch(request, destination);
    const key = clientKey(branch, request.method);
    if (this.clients.has(key)) throw new Error(`a ${request.method} client transaction with branch ${branch} already exists`);
    const tx = request.method === 'INVITE'
      ? new InviteClientTransaction(this.clientCtx, key, request, destination, handler)
      : new NonInviteClientTransaction(this.clientCtx, key, request, destination, handler);
    this.clients.set(key, tx);
    tx.start();
    return tx;
  }

  /** Send without a transaction: the ACK for a 2xx (§13.2.2.4), stateless responses. */
  sendStateless(message: SipMessage, destination: Destination): Promise<Destination> {
    return this.transport.send(message, destination);
  }

  /**
   * The ACK for a 2xx is its own message, sent by the TU without a transaction (§17.1.1.3); without
   * a Via it gets one with a new branch (§13.2.2.4), as sendRequest does.
   */
  sendAck(ack: SipRequest, destination: Destination): Promise<Destination> {
    this.ensureBranch(ack, destination);
    return this.sendStateless(ack, destination);
  }

  /** §9.2: the INVITE server transaction a CANCEL refers to (same key, method INVITE). */
  findInviteServerTransaction(cancel: SipRequest): InviteServerTransaction | undefined {
    const match = tryMatch(cancel, 'INVITE');
    const tx = match && this.servers.get(match.key);
    if (!match || tx?.kind !== 'ist') return undefined;
    if (match.rfc2543 && tagOf(getTo(tx.request).params) !== match.toTag) return undefined;
    return tx;
  }

  /** Number of live transactions (diagnostics, tests). */
  get size(): { clients: number; servers: number } {
    return { clients: this.clients.size, servers: this.servers.size };
  }

  /** Terminate every transaction and stop their timers (shutdown). */
  close(): void {
    for (const tx of [...this.clients.values(), ...this.servers.values()]) tx.terminate();
  }

  private receive({ message, source }: IncomingMessage): void {
    if (message.kind === 'request') this.receiveRequest(message, source);
    else this.receiveResponse(message, source);
  }

  private receiveRequest(request: SipRequest, source: Source): void {
    const match = tryMatch(request);
    if (!match) return; // malformed Via/CSeq etc.: nothing we can match or answer statefully
    const tx = this.servers.get(match.key);
    if (tx && this.sameTransaction(tx, request, match)) {
      tx.receiveRequest(request); // retransmission or ACK: absorbed by the transaction
      return;
    }
    if (request.method === 'ACK') {
      this.user.onRequest(request, undefined, source); // ACK for a 2xx: the dialog's business
      return;
    }
    if (this.servers.size >= this.maxServers) {
      // §21.5.4: 503 with Retry-After, sent statelessly (§8.2.7) so a flood costs no state.
      this.stateless.full++;
      this.respondStateless(request, source, { action: 'reject', status: 503, headers: [['Retry-After', String(fullRetryAfterS)]] });
      return;
    }
    const screening = this.user.screen?.(request, source) ?? { action: 'accept' };
    if (screening.action !== 'accept') {
      this.respondStateless(request, source, screening);
      return;
    }
    const created: ServerTransaction = request.method === 'INVITE'
      ? new InviteServerTransaction(this.serverCtx, match.key, request, source, (ack) => this.user.onRequest(ack, created, source))
      : new NonInviteServerTransaction(this.serverCtx, match.key, request, source);
    this.servers.set(match.key, created);
    this.user.onRequest(request, created, source);
  }

  /** §8.2.7 a stateless UAS: the response is built and sent, nothing is kept or retransmitted. */
  private respondStateless(request: SipRequest, source: Source, screening: Exclude<Screening, { action: 'accept' }>): void {
    if (screening.action === 'drop') {
      this.stateless.dropped++;
      return;
    }
    if (screening.status !== 503) this.stateless.rejected++;
    let response: SipResponse;
    try {
      response = createResponse(request, screening.status, screening.reason, { toTag: this.random.token(64) });
    } catch (e) {
      if (e instanceof SipParseError) return; // a header we cannot echo: nothing sensible to send
      throw e;
    }
    for (const [name, value] of screening.headers ?? []) response.headers.append(name, value);
    sendResponse(this.transport, source, response).catch(() => {
      // The source may be spoofed or gone: a stateless answer that cannot leave is simply lost.
    });
  }

  /** RFC 2543 fallback: To tags must match too (§17.2.3); the ACK carries our response's tag. */
  private sameTransaction(tx: ServerTransaction, request: SipRequest, match: ServerMatch): boolean {
    if (!match.rfc2543 || tx.kind === 'nist') return true; // NIST keys include the To tag
    const reference = request.method === 'ACK' ? tx.response : tx.request;
    return reference !== undefined && tagOf(getTo(reference).params) === match.toTag;
  }

  private receiveResponse(response: SipResponse, source: Source): void {
    let key: string | undefined;
    try {
      key = responseKey(response);
    } catch (e) {
      if (e instanceof SipParseError) return;
      throw e;
    }
    const tx = key === undefined ? undefined : this.clients.get(key);
    if (tx) tx.receiveResponse(response);
    else this.user.onStrayResponse(response, source);
  }

  private ensureBranch(request: SipRequest, destination: Destination): string {
    const vias = request.headers.getAll('Via');
    if (vias.length === 0) {
      const local = this.transport.localAddress(destination.protocol);
      const branch = magicCookie + this.random.token();
      request.headers.prepend('Via', `SIP/2.0/${destination.protocol.toUpperCase()} ${formatHostPort(local.address, local.port)};rport;branch=${branch}`);
      return branch;
    }
    const via = getTopVia(request);
    const existing = via.params.get('branch');
    if (existing) return existing;
    const branch = magicCookie + this.random.token();
    via.params.set('branch', branch);
    vias[0] = formatVia(via);
    request.headers.setAll('Via', vias);
    return branch;
  }
}

function tryMatch(request: SipRequest, method?: string): ServerMatch | undefined {
  try {
    return serverMatch(request, method);
  } catch (e) {
    if (e instanceof SipParseError) return undefined;
    throw e;
  }
}

/** Drop a finished transaction, unless a newer one took its key (RFC 2543 key collisions). */
function dropIf<T>(table: Map<string, T>, key: string, tx: object): void {
  if (table.get(key) === tx) table.delete(key);
}
