/**
 * The monitored entity's dialogs as a subscriber keeps them (RFC 4235 §4.1), and the busy lamp
 * derived from them.
 *
 *   empty ─full─► known ─partial (version + 1)─► known
 *                  │ ─full (newer)─► known        ─version ≤ last─► discarded ("stale")
 *                  │ ─partial (version > last + 1)─► gap: ask for full state (refresh)
 *
 * A dialog's states only move forward (§3.7.1) and its tags never change: a notifier that
 * publishes them out of order (Kamailio's pua_dialoginfo, when two of its workers race "Trying"
 * and "early") cannot take a dialog back, lose the tags a pickup needs, or revive an ended one.
 */
import type { DialogInfo, DialogInfoDialog } from './dialog-info.js';

/** A BLF lamp: nobody on the phone, a call ringing (can be picked up), on a call, or not known. */
export type LampState = 'idle' | 'ringing' | 'busy' | 'unknown';

export type ApplyResult = 'applied' | 'stale' | 'gap';

const stateOrder: Record<DialogInfoDialog['state'], number> = { trying: 0, proceeding: 1, early: 2, confirmed: 3, terminated: 4 };
/** Ended dialog ids remembered so a late, out-of-order document cannot bring one back. */
const maxEndedIds = 64;

/** What is known of one dialog after `next` arrives: the later state, and tags or identities once known. */
function merged(known: DialogInfoDialog | undefined, next: DialogInfoDialog): DialogInfoDialog {
  if (!known || (known.callId && next.callId && known.callId !== next.callId)) return next;
  const later = stateOrder[next.state] >= stateOrder[known.state] ? next : known;
  return {
    ...later,
    callId: next.callId ?? known.callId,
    localTag: next.localTag ?? known.localTag,
    remoteTag: next.remoteTag ?? known.remoteTag,
    direction: next.direction ?? known.direction,
    local: { identity: next.local.identity ?? known.local.identity, target: next.local.target ?? known.local.target },
    remote: { identity: next.remote.identity ?? known.remote.identity, target: next.remote.target ?? known.remote.target },
  };
}

export class DialogView {
  private version: number | undefined;
  /** Some state arrived (a document, or a NOTIFY without body). */
  private seen = false;
  private readonly dialogs = new Map<string, DialogInfoDialog>();
  /** Ended dialogs: id → call-id. */
  private readonly ended = new Map<string, string | undefined>();

  /** A new subscription: versions start again (§4.1: they are per subscription). */
  reset(): void {
    this.version = undefined;
    this.seen = false;
    this.dialogs.clear();
    this.ended.clear();
  }

  /**
   * A NOTIFY without a body: no dialogs. (§4.1 wants a document in every NOTIFY; Kamailio sends
   * none while the entity has no dialog at all.) The next document starts the versions again.
   */
  empty(): void {
    this.version = undefined;
    this.seen = true;
    this.dialogs.clear();
  }

  get known(): boolean {
    return this.seen;
  }

  apply(info: DialogInfo): ApplyResult {
    // §4.1: "... a version number less than or equal to the last one ... MUST be discarded".
    if (this.version !== undefined && info.version <= this.version) return 'stale';
    if (info.state === 'partial') {
      // §4.1: a partial document needs the one before it; after a gap, ask for full state.
      if (this.version === undefined ? !this.seen : info.version > this.version + 1) return 'gap';
    }
    // What was known of each dialog: a full document replaces them, a partial one updates in place.
    const before = info.state === 'full' ? new Map(this.dialogs) : this.dialogs;
    if (info.state === 'full') this.dialogs.clear();
    this.version = info.version;
    this.seen = true;
    for (const d of info.dialogs) {
      if (this.hasEnded(d)) continue;
      const now = merged(before.get(d.id), d);
      if (now.state === 'terminated') this.end(now);
      else this.dialogs.set(d.id, now);
    }
    return 'applied';
  }

  private hasEnded(d: DialogInfoDialog): boolean {
    if (!this.ended.has(d.id)) return false;
    const callId = this.ended.get(d.id);
    return !callId || !d.callId || callId === d.callId;
  }

  private end(d: DialogInfoDialog): void {
    this.dialogs.delete(d.id);
    this.ended.delete(d.id);
    this.ended.set(d.id, d.callId);
    if (this.ended.size > maxEndedIds) this.ended.delete(this.ended.keys().next().value!);
  }

  /**
   * The lamp: ringing while any dialog rings towards the entity (recipient, or no direction given,
   * in early/proceeding/trying) — it is what a receptionist can pick up, so it shows even when the
   * entity is on another call; busy while it is in any other dialog; idle with none.
   */
  lamp(): LampState {
    if (!this.seen) return 'unknown';
    if (this.ringing()) return 'ringing';
    return this.dialogs.size > 0 ? 'busy' : 'idle';
  }

  /** The dialog ringing at the entity (what a pickup replaces), if any. */
  ringing(): DialogInfoDialog | undefined {
    for (const d of this.dialogs.values()) {
      if (d.state !== 'confirmed' && d.direction !== 'initiator') return d;
    }
    return undefined;
  }
}
