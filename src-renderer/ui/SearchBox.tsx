/** A search field with its magnifier (decorative); Escape clears it, `/` focuses it (data-view-search). */
import { Search } from 'lucide-react';
import type { KeyboardEvent } from 'react';
import { VIEW_SEARCH } from '../app/useGlobalKeys.js';

export interface SearchBoxProps {
  label: string;
  placeholder: string;
  value: string;
  onChange(value: string): void;
  onKeyDown?(e: KeyboardEvent<HTMLInputElement>): void;
}

export function SearchBox({ label, placeholder, value, onChange, onKeyDown }: SearchBoxProps) {
  return (
    <span className="search-box">
      <Search size={16} className="search-box__icon" aria-hidden="true" />
      <input type="search" className="text-input search-box__input" aria-label={label} placeholder={placeholder}
        value={value} onChange={(e) => onChange(e.target.value)} spellCheck={false} autoComplete="off" {...{ [VIEW_SEARCH]: '' }}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && value !== '') { e.preventDefault(); e.stopPropagation(); onChange(''); }
          onKeyDown?.(e);
        }} />
    </span>
  );
}
