/**
 * Auto-answer hints in an incoming INVITE (pure): whether the caller asks us to answer by
 * ourselves, and after how many seconds. Whether to honour them is the host's policy.
 *
 *   Priv-Answer-Mode / Answer-Mode: Auto          RFC 5373 §6.1 → 0
 *   Call-Info: <...>;answer-after=N                 (Cisco/Polycom/PBX intercom) → N
 *   Alert-Info: <...>;info=alert-autoanswer|intercom|auto-answer [;delay=N] → N or 0
 */
import type { Params, SipRequest } from '../../message/index.js';
import { splitHeaderList } from '../../message/index.js';
import { paramText, parseValueWithParams } from '../core/header-params.js';

const autoAnswerInfo = new Set(['alert-autoanswer', 'intercom', 'auto-answer', 'autoanswer']);

/** Seconds to wait before answering (0 = at once), or undefined when no hint asks for it. */
export function answerAfterSeconds(request: SipRequest): number | undefined {
  // RFC 5373 §6.2: Priv-Answer-Mode takes precedence over Answer-Mode.
  for (const name of ['Priv-Answer-Mode', 'Answer-Mode']) {
    const mode = answerMode(request, name);
    if (mode === 'auto') return 0;
    if (mode === 'manual') return undefined;
  }
  for (const p of uriParamLists(request, 'Call-Info')) {
    const n = seconds(paramText(p, 'answer-after'));
    if (n !== undefined) return n;
  }
  for (const p of uriParamLists(request, 'Alert-Info')) {
    const info = paramText(p, 'info')?.toLowerCase();
    const n = seconds(paramText(p, 'answer-after'));
    if (n !== undefined) return n;
    if (info !== undefined && autoAnswerInfo.has(info)) return seconds(paramText(p, 'delay')) ?? 0;
  }
  return undefined;
}

function answerMode(request: SipRequest, name: string): 'auto' | 'manual' | undefined {
  const raw = request.headers.get(name);
  if (raw === undefined) return undefined;
  try {
    const v = parseValueWithParams(raw, name).value.toLowerCase();
    return v === 'auto' || v === 'manual' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Header parameters of each `<uri>;params` element (URIs of any scheme, so not parsed as SIP). */
function uriParamLists(request: SipRequest, name: string): Params[] {
  const out: Params[] = [];
  for (const value of request.headers.getAll(name)) {
    let elements: string[];
    try {
      elements = splitHeaderList(value, name);
    } catch {
      continue;
    }
    for (const element of elements) {
      const close = element.indexOf('>');
      const rest = close >= 0 ? element.slice(close + 1) : element.slice(element.indexOf(';') < 0 ? element.length : element.indexOf(';'));
      try {
        out.push(rest.trim().length === 0 ? new Map() : parseValueWithParams(`x${rest}`, name).params);
      } catch {
        // a malformed hint is no hint
      }
    }
  }
  return out;
}

function seconds(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,5}$/.test(text)) return undefined;
  return Number(text);
}
