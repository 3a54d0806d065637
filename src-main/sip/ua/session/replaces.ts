/**
 * RFC 3891 Replaces: parse the header (§6.1), build a Refer-To that carries it (attended transfer,
 * RFC 5589 §7), and decide whether an INVITE may replace one of our dialogs (§3).
 */
import { formatNameAddr, getFrom, SipParseError } from '../../message/index.js';
import type { NameAddr, SipRequest, SipUri } from '../../message/index.js';
import type { Dialog } from '../../dialog/dialog.js';
import { paramText, parseValueWithParams } from '../core/header-params.js';

/** §6.1 `Replaces: callid;to-tag=..;from-tag=..[;early-only]`, from the INVITE's perspective. */
export interface Replaces {
  callId: string;
  /** The tag of the UA that receives the INVITE (its local tag). */
  toTag: string;
  fromTag: string;
  earlyOnly: boolean;
}

export function parseReplaces(text: string): Replaces {
  const { value, params } = parseValueWithParams(text, 'Replaces');
  const toTag = paramText(params, 'to-tag');
  const fromTag = paramText(params, 'from-tag');
  if (toTag === undefined || fromTag === undefined) throw new SipParseError('Replaces without to-tag and from-tag');
  return { callId: value, toTag, fromTag, earlyOnly: params.has('early-only') };
}

export function formatReplaces(r: Replaces): string {
  return `${r.callId};to-tag=${r.toTag};from-tag=${r.fromTag}${r.earlyOnly ? ';early-only' : ''}`;
}

/**
 * A Refer-To value asking the transfer target to replace `dialog` (ours with the other party):
 * the INVITE will reach that party, whose local tag is our dialog's remote tag. `uri` defaults to
 * the party's address of record (the dialog's remote URI), which routes through its proxy.
 */
export function referToReplacing(dialog: Dialog, uri: SipUri = dialog.remoteUri.uri): string {
  const replaces = formatReplaces({ callId: dialog.callId, toTag: dialog.remoteTag, fromTag: dialog.localTag, earlyOnly: false });
  const target: NameAddr = { uri: { ...uri, headers: new Map([['Replaces', replaces]]) }, params: new Map() };
  return formatNameAddr(target);
}

/** The Replaces carried in a Refer-To URI's headers (§19.1.5 header names are case-insensitive). */
export function replacesInUri(uri: SipUri): Replaces | undefined {
  for (const [name, value] of uri.headers) {
    if (name.toLowerCase() === 'replaces' && value !== null) return parseReplaces(value);
  }
  return undefined;
}

/** What the UAS answers to an INVITE with Replaces (§3), given the dialog it names. */
export type ReplacesVerdict = { ok: true } | { ok: false; status: 481 | 486 | 603 };

export function checkReplaces(
  replaces: Replaces,
  match: { state: 'early' | 'confirmed' | 'terminated'; weInitiated: boolean } | undefined,
): ReplacesVerdict {
  if (!match) return { ok: false, status: 481 };
  // §3: "If the Replaces header field matches a dialog which has already terminated, the UA SHOULD
  // decline the request with a 603 Declined response."
  if (match.state === 'terminated') return { ok: false, status: 603 };
  // §3: an early dialog we did not initiate (we never answered) cannot be replaced: 481.
  if (match.state === 'early' && !match.weInitiated) return { ok: false, status: 481 };
  // §3: early-only and the dialog is already confirmed: 486 Busy Here.
  if (match.state === 'confirmed' && replaces.earlyOnly) return { ok: false, status: 486 };
  return { ok: true };
}

/**
 * §3 leaves it to the UAS to decide whom it lets replace a dialog (§6.1 asks for authorisation).
 * Ours: besides calls that pass the incoming-call policy anyway (through the PBX), only the party
 * of that dialog itself — the same user as the dialog's remote URI (hosts differ between an AOR
 * and a dialled address), arriving from where that dialog's peer is (its first hop, or the address
 * its INVITE came from).
 */
export function fromReplacedParty(dialog: Dialog, request: SipRequest, source: { address: string }, originalSource?: string): boolean {
  let from: SipUri;
  try {
    from = getFrom(request).uri;
  } catch {
    return false;
  }
  const remote = dialog.remoteUri.uri;
  const host = (h: string) => (h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h).toLowerCase();
  if (from.user !== remote.user) return false;
  return source.address === originalSource || host(dialog.nextHop().host) === source.address;
}
