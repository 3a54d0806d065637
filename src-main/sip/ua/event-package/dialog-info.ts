/**
 * The dialog event package's body (RFC 4235 §4, application/dialog-info+xml): the dialogs of the
 * monitored entity with their state, and the version that orders documents.
 */
import { child, childrenNamed, parseXmlBody, type XmlElement } from './xml-body.js';

export const dialogInfoType = 'application/dialog-info+xml';

/** §3.7.1 states of a dialog in the document. */
export type DialogInfoState = 'trying' | 'proceeding' | 'early' | 'confirmed' | 'terminated';

export interface DialogInfoParticipant {
  identity: string | undefined;
  /** The participant's target (its Contact), when the notifier exposes it. */
  target: string | undefined;
}

export interface DialogInfoDialog {
  id: string;
  callId: string | undefined;
  /** The monitored entity's tag (its local tag) and the other side's. */
  localTag: string | undefined;
  remoteTag: string | undefined;
  direction: 'initiator' | 'recipient' | undefined;
  state: DialogInfoState;
  local: DialogInfoParticipant;
  remote: DialogInfoParticipant;
}

export interface DialogInfo {
  version: number;
  /** §4.1: full state replaces everything; partial updates the dialogs it names. */
  state: 'full' | 'partial';
  entity: string;
  dialogs: DialogInfoDialog[];
}

const states = new Set<DialogInfoState>(['trying', 'proceeding', 'early', 'confirmed', 'terminated']);

export function parseDialogInfo(body: Buffer | string): { ok: true; info: DialogInfo } | { ok: false; reason: string } {
  const xml = parseXmlBody(body);
  if (!xml.ok) return xml;
  const root = xml.root;
  if (root.name !== 'dialog-info') return { ok: false, reason: `root element <${root.name}>, expected <dialog-info>` };
  const version = root.attrs['version'];
  const state = root.attrs['state'];
  const entity = root.attrs['entity'];
  // §4.1.1: version, state and entity are mandatory attributes.
  if (version === undefined || !/^\d{1,10}$/.test(version)) return { ok: false, reason: 'dialog-info without a valid version' };
  if (state !== 'full' && state !== 'partial') return { ok: false, reason: 'dialog-info state is neither full nor partial' };
  if (!entity) return { ok: false, reason: 'dialog-info without entity' };
  const dialogs: DialogInfoDialog[] = [];
  for (const d of childrenNamed(root, 'dialog')) {
    const parsed = parseDialog(d);
    if (!parsed.ok) return parsed;
    dialogs.push(parsed.dialog);
  }
  return { ok: true, info: { version: Number(version), state, entity, dialogs } };
}

function parseDialog(d: XmlElement): { ok: true; dialog: DialogInfoDialog } | { ok: false; reason: string } {
  const id = d.attrs['id'];
  if (!id) return { ok: false, reason: 'dialog without id' };
  const stateText = child(d, 'state')?.text.toLowerCase() as DialogInfoState | undefined;
  if (!stateText || !states.has(stateText)) return { ok: false, reason: `dialog ${id} without a valid state` };
  const direction = d.attrs['direction'];
  return {
    ok: true,
    dialog: {
      id,
      callId: d.attrs['call-id'] || undefined,
      localTag: d.attrs['local-tag'] || undefined,
      remoteTag: d.attrs['remote-tag'] || undefined,
      direction: direction === 'initiator' || direction === 'recipient' ? direction : undefined,
      state: stateText,
      local: participant(child(d, 'local')),
      remote: participant(child(d, 'remote')),
    },
  };
}

function participant(el: XmlElement | undefined): DialogInfoParticipant {
  return { identity: child(el, 'identity')?.text || undefined, target: child(el, 'target')?.attrs['uri'] || undefined };
}
