/**
 * One line as a region named "Call with <peer>": who, the status text (one of the stable status
 * words), timer, why it ended, quality, levels, then its controls and open panel.
 */
import type { ReactNode, Ref } from 'react';
import { Avatar } from '../../ui/Avatar.js';

export interface CallCardProps {
  regionLabel: string;
  peer: string;
  /** The number or address under the name, when a display name is shown. */
  address: string | undefined;
  status: string;
  statusTone: 'live' | 'waiting' | 'held' | 'ended';
  timer: string | undefined;
  timerLabel: string;
  note: string | undefined;
  noteTone: 'info' | 'error';
  emphasis: 'current' | 'other' | 'ended';
  /** Controls in the head row (a line in the background: compact). */
  inline?: ReactNode;
  children?: ReactNode;
  ref?: Ref<HTMLElement>;
}

export function CallCard({ ref, ...p }: CallCardProps) {
  return (
    <section ref={ref} className={`call call--${p.emphasis}`} aria-label={p.regionLabel}>
      <div className="call__head">
        <Avatar name={p.peer} />
        <div className="call__who">
          <p className="call__peer">{p.peer}</p>
          {p.address && <p className="call__address">{p.address}</p>}
        </div>
        <div className="call__state">
          <p className={`call__status call__status--${p.statusTone}`}>{p.status}</p>
          {p.timer && <p className="call__timer" role="timer" aria-label={p.timerLabel}>{p.timer}</p>}
        </div>
        {p.inline}
      </div>
      {p.note && <p className={`call__note call__note--${p.noteTone}`} role={p.noteTone === 'error' ? 'alert' : 'status'}>{p.note}</p>}
      {p.children}
    </section>
  );
}
