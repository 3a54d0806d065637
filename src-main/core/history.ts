/**
 * Call history: every call end is stored with the contact it matched (caller identification), and
 * the missed-call badge (missed calls not yet seen) survives restarts.
 */
import type { HistoryRecord } from '../contract/calls.js';
import type { PhoneEvent } from '../contract/channels.js';
import type { HistoryStore } from '../store/history-store.js';
import type { ContactDirectory } from './directory-service.js';

export class CallHistory {
  constructor(
    private readonly store: HistoryStore,
    private readonly contacts: ContactDirectory,
    private readonly countryOf: (account: string | undefined) => string | undefined,
    private readonly emit: (e: PhoneEvent) => void,
  ) {}

  record(record: HistoryRecord): void {
    const contact = this.contacts.identify(record.peer.uri, this.countryOf(record.account));
    const entry = this.store.add(record, contact);
    this.emit({ type: 'history-added', entry });
    if (record.outcome === 'missed') this.emit({ type: 'missed', count: this.store.unseenMissed() });
  }

  markSeen(): void {
    this.store.markSeen();
    this.emit({ type: 'missed', count: 0 });
  }

  /** A deleted entry may have been an unseen missed call. */
  changed(): void {
    this.emit({ type: 'missed', count: this.store.unseenMissed() });
  }
}
