/** The dialpad's suggestion list (shown under the Number field while it has focus): each dials on click or Enter. */
import { Contact, History } from 'lucide-react';
import type { KeyboardEvent } from 'react';
import { ContactPresenceDot } from '../presence/ContactPresenceDot.js';
import type { Suggestion } from './suggestions.js';

export interface SuggestionsProps {
  label: string;
  items: readonly Suggestion[];
  onPick(item: Suggestion): void;
  /** Escape or ArrowUp from the first item: back to the Number field. */
  onLeave(): void;
}

export function Suggestions({ label, items, onPick, onLeave }: SuggestionsProps) {
  if (items.length === 0) return null;
  const move = (e: KeyboardEvent<HTMLButtonElement>, i: number) => {
    const list = e.currentTarget.closest('ul');
    const go = (j: number) => list?.querySelectorAll<HTMLButtonElement>('button')[j]?.focus();
    if (e.key === 'ArrowDown') { e.preventDefault(); go(Math.min(i + 1, items.length - 1)); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); if (i === 0) onLeave(); else go(i - 1); }
    else if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); onLeave(); }
  };
  return (
    <ul className="suggestions" aria-label={label}>
      {items.map((s, i) => {
        const Icon = s.source === 'contact' ? Contact : History;
        return (
          <li key={s.key}>
            <button type="button" className="suggestions__item" onClick={() => onPick(s)} onKeyDown={(e) => move(e, i)}>
              <Icon size={16} aria-hidden="true" className="suggestions__icon" />
              <span className="suggestions__name">
                {s.name ?? s.number}
                <ContactPresenceDot numbers={[{ value: s.dial.kind === 'uri' ? s.dial.uri : s.number }]} inline />
              </span>
              {s.name && <span className="suggestions__number">{s.number}</span>}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
