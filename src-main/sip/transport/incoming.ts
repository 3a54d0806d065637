/**
 * The receive path shared by every transport: §18.1.2 (responses) and §18.2.1 (requests), plus a
 * stateless 400 for malformed requests. Never throws: everything malformed becomes a statistic.
 */
import { getTopVia } from '../message/accessors.js';
import { createResponse } from '../message/builders.js';
import type { Headers } from '../message/headers.js';
import { parseMessage, type ParseLimits, type ParseResult } from '../message/parser.js';
import type { SipRequest, SipResponse, Via } from '../message/types.js';
import { formatVia, parseVia } from '../message/via.js';
import type { Random } from '../../util/random.js';
import type { TransportEvent } from './events.js';
import { learnedAddress, stampReceived } from './via-rules.js';
import type { IncomingMessage, Source, TransportProtocol } from './types.js';

export interface TransportStats {
  /** Datagrams and framed stream messages received. */
  received: number;
  /** Messages sent (including stateless 400s). */
  sent: number;
  /** Messages that failed to parse (requests and responses). */
  parseErrors: number;
  /** Stateless 400 responses sent for malformed requests. */
  badRequestsAnswered: number;
  /** Well-formed messages dropped by §18.1.2/§18.2.1 checks. */
  dropped: number;
  sendErrors: number;
  /** UDP requests switched to TCP for size (§18.1.1). */
  udpToTcp: number;
}

export function emptyStats(): TransportStats {
  return { received: 0, sent: 0, parseErrors: 0, badRequestsAnswered: 0, dropped: 0, sendErrors: 0, udpToTcp: 0 };
}

export interface IncomingContext {
  stats: TransportStats;
  random: Random;
  limits: ParseLimits;
  deliver(incoming: IncomingMessage): void;
  /** Send a stateless response back toward the source (same connection for streams). */
  respond(response: SipResponse, source: Source): void;
  /** A response's Via showed our address as the far side sees it (RFC 3581). */
  learn(protocol: TransportProtocol, address: { address: string; port: number }): void;
  /** RFC 5923-lite: a request with Via ;alias may be answered by reusing its connection. */
  alias(source: Source, via: Via): void;
  report(e: TransportEvent): void;
}

/** 400 reason phrases are free text (§21.4.1) but must stay on one line and short. */
function safeReason(reason: string): string {
  let clean = '';
  for (const ch of reason.slice(0, 120)) clean += ch < ' ' || ch === '\x7f' ? ' ' : ch;
  clean = clean.trim();
  return clean === '' ? 'Bad Request' : clean;
}

/** Replace the top Via with `via` (headers keep one entry per Via element). */
export function writeTopVia(headers: Headers, via: Via): void {
  headers.shift('Via');
  headers.prepend('Via', formatVia(via));
}

/** Entry point from the socket handlers: nothing escapes from here. */
export function handleIncoming(ctx: IncomingContext, data: Buffer, source: Source): void {
  try {
    receive(ctx, data, source);
  } catch (err) {
    ctx.stats.dropped++;
    ctx.report({ kind: 'dropped', protocol: source.protocol, message: `internal error: ${String(err)}`, ...sourceInfo(source) });
  }
}

function receive(ctx: IncomingContext, data: Buffer, source: Source): void {
  ctx.stats.received++;
  let result: ParseResult;
  try {
    result = parseMessage(data, ctx.limits);
  } catch (err) {
    result = { ok: false, reason: err instanceof Error ? err.message : 'Malformed message' };
  }
  if (!result.ok) {
    ctx.stats.parseErrors++;
    ctx.report({ kind: 'parse-error', protocol: source.protocol, message: result.reason, ...sourceInfo(source) });
    if (result.request) rejectMalformed(ctx, result.request, result.reason, source, result.status);
    return;
  }
  const message = result.message;
  if (message.kind === 'request') receiveRequest(ctx, message, source);
  else receiveResponse(ctx, message, source);
}

/** §18.2.1: stamp received/rport on the top Via, then hand the request up. */
function receiveRequest(ctx: IncomingContext, request: SipRequest, source: Source): void {
  let via: Via;
  try {
    via = getTopVia(request);
  } catch (err) {
    ctx.stats.parseErrors++;
    const reason = err instanceof Error ? err.message : 'Invalid Via';
    ctx.report({ kind: 'parse-error', protocol: source.protocol, message: reason, ...sourceInfo(source) });
    rejectMalformed(ctx, request, reason, source);
    return;
  }
  if (stampReceived(via, source)) writeTopVia(request.headers, via);
  if (source.connectionId && via.params.has('alias')) ctx.alias(source, via);
  deliver(ctx, { message: request, source });
}

/**
 * §18.1.2: a response needs a top Via. Departure: sent-by is not compared with ours (our sent-by
 * changes when a stream connection or a NAT mapping refills it); the transaction layer matches
 * responses by branch (§17.1.3) and hands the rest to the TU as strays.
 */
function receiveResponse(ctx: IncomingContext, response: SipResponse, source: Source): void {
  let via: Via;
  try {
    via = getTopVia(response);
  } catch (err) {
    ctx.stats.dropped++;
    const reason = err instanceof Error ? err.message : 'Invalid Via';
    ctx.report({ kind: 'dropped', protocol: source.protocol, message: `response dropped: ${reason}`, ...sourceInfo(source) });
    return;
  }
  const learned = learnedAddress(via);
  if (learned) ctx.learn(source.protocol, learned);
  deliver(ctx, { message: response, source });
}

function deliver(ctx: IncomingContext, incoming: IncomingMessage): void {
  try {
    ctx.deliver(incoming);
  } catch (err) {
    ctx.report({ kind: 'handler-error', protocol: incoming.source.protocol, message: String(err), ...sourceInfo(incoming.source) });
  }
}

/**
 * §21.4.1 400 (or the parser's 416/505) with the parser's reason, sent statelessly; never for
 * ACK, which gets no response (§17.1.1.3).
 */
function rejectMalformed(
  ctx: IncomingContext,
  request: { method: string; headers: Headers },
  reason: string,
  source: Source,
  status = 400,
): void {
  if (request.method === 'ACK') return;
  try {
    const headers = request.headers.clone();
    const top = headers.get('Via');
    if (top === undefined) return;
    try {
      const via = parseVia(top);
      if (stampReceived(via, source)) writeTopVia(headers, via);
    } catch {
      // Unparseable Via: the response still goes straight back to the source.
    }
    const stub: SipRequest = {
      kind: 'request', method: request.method, headers, body: Buffer.alloc(0),
      uri: { scheme: 'sip', host: 'invalid', params: new Map(), headers: new Map() },
    };
    const response = createResponse(stub, status, safeReason(reason), { toTag: ctx.random.token() });
    ctx.stats.badRequestsAnswered++;
    ctx.respond(response, source);
  } catch (err) {
    ctx.report({ kind: 'dropped', protocol: source.protocol, message: `could not answer 400: ${String(err)}`, ...sourceInfo(source) });
  }
}

function sourceInfo(source: Source): Pick<TransportEvent, 'remote' | 'connectionId'> {
  return {
    remote: { address: source.address, port: source.port },
    ...(source.connectionId ? { connectionId: source.connectionId } : {}),
  };
}
