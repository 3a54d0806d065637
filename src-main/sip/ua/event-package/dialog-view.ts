/**
 * The monitored entity's dialogs as a subscriber keeps them (RFC 4235 §4.1), and the busy lamp
 * derived from them.
 *
 *   empty ─full─► known ─partial (version + 1)─► known
 *                  │ ─full (newer)─► known        ─version ≤ last─► discarded ("stale")
 *                  │ ─partial (version > last + 1)─► gap: ask for full state (refresh)
 */
import type { DialogInfo, DialogInfoDialog } from './dialog-info.js';

/** A BLF lamp: nobody on the phone, a call ringing (can be picked up), on a call, or not known. */
export type LampState = 'idle' | 'ringing' | 'busy' | 'unknown';

export type ApplyResult = 'applied' | 'stale' | 'gap';

export class DialogView {
  private version: number | undefined;
  /** Some state arrived (a document, or a NOTIFY without body). */
  private seen = false;
  private readonly dialogs = new Map<string, DialogInfoDialog>();

  /** A new subscription: versions start again (§4.1: they are per subscription). */
  reset(): void {
    this.version = undefined;
    this.seen = false;
    this.dialogs.clear();
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
    } else {
      this.dialogs.clear();
    }
    this.version = info.version;
    this.seen = true;
    for (const d of info.dialogs) {
      if (d.state === 'terminated') this.dialogs.delete(d.id);
      else this.dialogs.set(d.id, d);
    }
    return 'applied';
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
