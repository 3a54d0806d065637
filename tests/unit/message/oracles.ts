/**
 * Adapters that reduce a parse by our parser, drachtio-srf's parser and SIP.js's grammar parser
 * to the same comparable fields (differential oracles; see oracle.test.ts).
 */
import { createRequire } from 'node:module';
import { Grammar } from 'sip.js/lib/grammar/index.js';
import { LoggerFactory, Parser } from 'sip.js/lib/core/index.js';
import {
  formatUri, getCSeq, getCallId, getFrom, getTo, getVias, parseMessage, parseUri, uriEquals,
} from '../../../src-main/sip/message/index.js';

export interface Fields {
  start: string; // "INVITE" or "200"
  ruri?: string;
  callId: string;
  cseq: string; // "1 INVITE"
  fromUri: string;
  fromTag?: string | undefined;
  toUri: string;
  toTag?: string | undefined;
  branches: Array<string | undefined>;
  body: string; // hex
}

export type FieldName = keyof Fields;

export function ours(data: Buffer): Fields | undefined {
  const r = parseMessage(data);
  if (!r.ok) return undefined;
  const m = r.message;
  const from = getFrom(m);
  const to = getTo(m);
  const cseq = getCSeq(m);
  const f: Fields = {
    start: m.kind === 'request' ? m.method : String(m.status),
    callId: getCallId(m),
    cseq: `${cseq.seq} ${cseq.method}`,
    fromUri: formatUri(from.uri),
    fromTag: from.params.get('tag') ?? undefined,
    toUri: formatUri(to.uri),
    toTag: to.params.get('tag') ?? undefined,
    branches: getVias(m).map((v) => v.params.get('branch') ?? undefined),
    body: m.body.toString('hex'),
  };
  if (m.kind === 'request') f.ruri = formatUri(m.uri);
  return f;
}

const require = createRequire(import.meta.url);
const drachtio = require('drachtio-srf/lib/sip-parser/parser.js') as {
  parseSipMessage(data: Buffer, lazy: boolean): DrachtioMessage | undefined;
};
interface DrachtioMessage {
  method?: string; uri?: string; status?: number; body?: string;
  headers: Record<string, unknown>;
}
type DrachtioAor = { uri: string; params: Record<string, string> };

/** drachtio-srf's regex-based parser (lib/sip-parser/parser.js). */
export function drachtioFields(data: Buffer): Fields | undefined {
  const m = drachtio.parseSipMessage(data, false);
  if (!m) return undefined;
  const h = m.headers;
  const from = h['from'] as DrachtioAor | undefined;
  const to = h['to'] as DrachtioAor | undefined;
  const cseq = h['cseq'] as { seq: number; method: string } | undefined;
  const via = (h['via'] ?? []) as Array<{ params: Record<string, string> }>;
  if (!from || !to || !cseq) return undefined;
  const f: Fields = {
    start: m.method ?? String(m.status),
    callId: String(h['call-id']),
    cseq: `${cseq.seq} ${cseq.method}`,
    fromUri: from.uri,
    fromTag: from.params['tag'],
    toUri: to.uri,
    toTag: to.params['tag'],
    branches: via.map((v) => v.params['branch']),
    body: Buffer.from(m.body ?? '', 'utf8').toString('hex'),
  };
  if (m.uri !== undefined) f.ruri = m.uri;
  return f;
}

const loggerFactory = new LoggerFactory();
loggerFactory.builtinEnabled = false;
const logger = loggerFactory.getLogger('oracle');

/** SIP.js's PEG grammar parser (Parser.parseMessage + Grammar). */
export function sipjsFields(data: Buffer): Fields | undefined {
  const m = Parser.parseMessage(data.toString('utf8'), logger);
  if (!m || !m.from || !m.to) return undefined;
  // SIP.js keeps one parsed Via (the top one); its Via rule on a comma-joined line keeps only
  // the last element's branch, so only the top branch is comparable.
  const top = m.getHeader('via');
  const parsed = top === undefined ? -1 : (Grammar.parse(top.split(',')[0]!, 'Via') as { branch?: string } | -1);
  const branches = [parsed === -1 ? '<unparsed>' : parsed.branch];
  const request = 'ruri' in m && m.ruri !== undefined;
  const f: Fields = {
    start: request ? m.method : String((m as unknown as { statusCode: number }).statusCode),
    callId: m.callId,
    cseq: `${m.cseq} ${m.method}`,
    fromUri: m.from.uri.toString(),
    fromTag: m.fromTag,
    toUri: m.to.uri.toString(),
    toTag: m.toTag,
    branches,
    body: Buffer.from(m.body ?? '', 'utf8').toString('hex'),
  };
  if (request) f.ruri = String((m as unknown as { ruri: unknown }).ruri);
  return f;
}

/** Field names on which two reductions differ (URIs compared by RFC 3261 §19.1.4). */
export function differences(a: Fields, b: Fields): FieldName[] {
  if (b.branches.length < a.branches.length) a = { ...a, branches: a.branches.slice(0, b.branches.length) };
  const out: FieldName[] = [];
  const sameUri = (x?: string, y?: string) => {
    if (x === y) return true;
    if (x === undefined || y === undefined) return false;
    try {
      return uriEquals(parseUri(x), parseUri(y));
    } catch {
      return false;
    }
  };
  for (const k of Object.keys(a) as FieldName[]) {
    if (k === 'ruri' || k === 'fromUri' || k === 'toUri') {
      if (!sameUri(a[k], b[k])) out.push(k);
    } else if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) {
      out.push(k);
    }
  }
  return out;
}
