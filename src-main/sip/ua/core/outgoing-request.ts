/**
 * Sends one request and sees it through: RFC 3263 target failover, digest challenges (RFC 3261
 * §22.2), and for INVITE the CANCEL rules of §9.1. Every retry is a new transaction (new branch,
 * next CSeq).
 */
import { formatHostPort, getCSeq } from '../../message/index.js';
import type { SipRequest, SipResponse, SipUri } from '../../message/index.js';
import type { ClientTransaction, TransactionLayer } from '../../transaction/index.js';
import type { Destination, Transport, TransportProtocol } from '../../transport/types.js';
import type { Random } from '../../../util/random.js';
import type { DigestClient } from '../../message/digest.js';

export interface RequestContext {
  transactions: TransactionLayer;
  transport: Transport;
  random: Random;
  resolve(uri: SipUri, protocol: TransportProtocol): Promise<Destination[]>;
  /** Something the user should know that no request's owner hears about (e.g. an ACK that could not leave). */
  notice(message: string): void;
}

export interface OutgoingRequestOptions {
  /** Where the request goes first (outbound proxy, first Route, or Request-URI). */
  nextHop: SipUri;
  protocol: TransportProtocol;
  auth?: DigestClient;
  /** CSeq for a retry (after a challenge); defaults to the previous number + 1. */
  nextSeq?: () => number;
}

export interface OutgoingRequestHandler {
  onProvisional?(response: SipResponse, request: SipRequest): void;
  /** Final responses; for INVITE also every 2xx (retransmissions and forks, RFC 6026). */
  onFinal(response: SipResponse, request: SipRequest): void;
  /** No response at all: every target timed out or failed. */
  onFailure(reason: 'timeout' | 'transport-error', detail: string): void;
}

const maxChallenges = 3;

export class OutgoingRequest {
  /** The request as last sent (with its Via and credentials). */
  request: SipRequest;
  destination: Destination | undefined;
  private targets: Destination[] = [];
  private transaction: ClientTransaction | undefined;
  private challenges = 0;
  private gotResponse = false;
  private finished = false;

  constructor(
    private readonly ctx: RequestContext,
    request: SipRequest,
    private readonly options: OutgoingRequestOptions,
    private readonly handler: OutgoingRequestHandler,
  ) {
    this.request = request;
  }

  async start(): Promise<void> {
    try {
      this.targets = await this.ctx.resolve(this.options.nextHop, this.options.protocol);
    } catch (e) {
      this.fail('transport-error', `cannot resolve ${this.options.nextHop.host}: ${(e as Error).message}`);
      return;
    }
    this.sendToNextTarget('no target');
  }

  /** Stop reporting (the owner lost interest); transactions finish on their own. */
  abandon(): void {
    this.finished = true;
  }

  private sendToNextTarget(lastError: string): void {
    const target = this.targets.shift();
    if (!target) {
      this.fail(lastError.startsWith('timeout') ? 'timeout' : 'transport-error', lastError);
      return;
    }
    this.send(target);
  }

  private send(destination: Destination): void {
    this.destination = destination;
    const local = this.ctx.transport.localAddress(destination.protocol);
    const branch = `z9hG4bK${this.ctx.random.token()}`;
    this.request.headers.remove('Via').prepend('Via',
      `SIP/2.0/${destination.protocol.toUpperCase()} ${formatHostPort(local.address, local.port)};rport;branch=${branch}`);
    this.transaction = this.ctx.transactions.sendRequest(this.request, destination, {
      onResponse: (response) => this.onResponse(response),
      onTimeout: () => {
        if (!this.gotResponse) this.sendToNextTarget(`timeout: no response from ${destination.address}:${destination.port}`);
        else this.fail('timeout', 'no final response');
      },
      onTransportError: (error) => {
        if (!this.gotResponse) this.sendToNextTarget(`transport error to ${destination.address}:${destination.port}: ${error.message}`);
        else this.fail('transport-error', error.message);
      },
    });
  }

  private onResponse(response: SipResponse): void {
    if (this.finished) return;
    this.gotResponse = true;
    if (response.status < 200) {
      this.handler.onProvisional?.(response, this.request);
      return;
    }
    if ((response.status === 401 || response.status === 407) && this.retryWithCredentials(response)) return;
    // RFC 3263 §4.3: a 503 means try the next server.
    if (response.status === 503 && this.targets.length > 0) {
      this.gotResponse = false;
      this.sendToNextTarget('503');
      return;
    }
    this.handler.onFinal(response, this.request);
  }

  private retryWithCredentials(response: SipResponse): boolean {
    const auth = this.options.auth;
    if (!auth || this.challenges >= maxChallenges) return false;
    const retry: SipRequest = { ...this.request, headers: this.request.headers.clone() };
    // The challenge came from the hop we sent to: credentials may be bound to certain servers.
    if (!auth.authorize(retry, response, { host: this.options.nextHop.host, address: this.destination?.address })) return false;
    this.challenges++;
    const cseq = getCSeq(retry);
    const seq = this.options.nextSeq ? this.options.nextSeq() : cseq.seq + 1;
    retry.headers.set('CSeq', `${seq} ${cseq.method}`);
    this.request = retry;
    this.gotResponse = false;
    this.send(this.destination!);
    return true;
  }

  private fail(reason: 'timeout' | 'transport-error', detail: string): void {
    if (this.finished) return;
    this.finished = true;
    this.handler.onFailure(reason, detail);
  }

  get currentTransaction(): ClientTransaction | undefined {
    return this.transaction;
  }
}

