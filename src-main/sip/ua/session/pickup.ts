/**
 * Picking up a call ringing at a colleague's phone, from what their busy lamp shows.
 *
 * With the dialog's identifiers (RFC 4235 call-id, local-tag, remote-tag), we send the caller an
 * INVITE with `Replaces: …;early-only` (RFC 3891 §3, the pickup flow of RFC 5359 §2.15): the
 * caller's UA replaces its early dialog with ours and cancels the ringing one. Without them, the
 * PBX's directed pickup feature code (e.g. *8 + extension) is dialled instead.
 */
import { parseUri, SipParseError } from '../../message/index.js';
import type { SipUri } from '../../message/index.js';
import type { DialogInfoDialog } from '../event-package/dialog-info.js';
import { formatReplaces } from './replaces.js';

export interface PickupTarget {
  uri: SipUri;
  headers: Array<[string, string]>;
}

/**
 * The INVITE that replaces `dialog` (ringing at the monitored entity). The caller's tag is the
 * dialog's remote tag: it is the `to-tag` from the point of view of the caller, who receives the
 * INVITE (§6.1). The caller is reached at its identity (routed by its proxy), else its target.
 */
export function pickupByReplaces(dialog: DialogInfoDialog): PickupTarget | undefined {
  if (!dialog.callId || !dialog.localTag || !dialog.remoteTag) return undefined;
  const where = dialog.remote.identity ?? dialog.remote.target;
  if (!where) return undefined;
  let uri: SipUri;
  try {
    uri = parseUri(where.replace(/^<|>$/g, ''));
  } catch (e) {
    if (e instanceof SipParseError) return undefined;
    throw e;
  }
  if (uri.scheme === 'tel') return undefined;
  const replaces = formatReplaces({ callId: dialog.callId, toTag: dialog.remoteTag, fromTag: dialog.localTag, earlyOnly: true });
  return { uri: { ...uri, headers: new Map() }, headers: [['Replaces', replaces]] };
}

/** Directed pickup by feature code: `code` + the extension's user, at the extension's domain. */
export function pickupByFeatureCode(code: string, extension: SipUri): PickupTarget | undefined {
  if (!extension.user || !/^[*#0-9A-Za-z]{1,8}$/.test(code)) return undefined;
  return {
    uri: { scheme: extension.scheme, user: `${code}${extension.user}`, host: extension.host,
      ...(extension.port ? { port: extension.port } : {}), params: new Map(), headers: new Map() },
    headers: [],
  };
}
