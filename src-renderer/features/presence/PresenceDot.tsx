/**
 * A colleague's presence as a small dot whose shape also tells the status (not colour alone):
 * available filled, away with a clock hand, busy filled with a ring, do not disturb with a bar,
 * offline an empty ring. With `label` it is an image with that name; without, decorative.
 */
import type { PresenceStatus } from '../../../src-main/contract/presence.js';

export function PresenceDot({ status, label, className = '' }: { status: PresenceStatus; label?: string; className?: string }) {
  const a11y = label ? { role: 'img', 'aria-label': label } : { 'aria-hidden': true as const };
  return (
    <svg className={`presence-dot presence-dot--${status} ${className}`} viewBox="0 0 12 12" width="12" height="12" {...a11y}>
      {status === 'offline'
        ? <circle cx="6" cy="6" r="4.5" fill="none" stroke="currentColor" strokeWidth="2" />
        : <circle cx="6" cy="6" r="5.5" fill="currentColor" />}
      {status === 'away' && <path d="M6 3.2V6.3L8 7.5" fill="none" stroke="var(--presence-mark)" strokeWidth="1.5" strokeLinecap="round" />}
      {status === 'dnd' && <rect x="3" y="5.1" width="6" height="1.8" rx="0.9" fill="var(--presence-mark)" />}
      {status === 'busy' && <circle cx="6" cy="6" r="2" fill="var(--presence-mark)" />}
    </svg>
  );
}
