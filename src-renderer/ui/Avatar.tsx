/** Initials of a name (or a person glyph for numbers and addresses). Decorative. */
import { User } from 'lucide-react';

function initials(name: string): string | undefined {
  const words = name.trim().split(/\s+/).filter((w) => /^\p{L}/u.test(w));
  if (words.length === 0) return undefined;
  return words.slice(0, 2).map((w) => w[0]!.toLocaleUpperCase()).join('');
}

export function Avatar({ name, size = 'medium' }: { name: string; size?: 'medium' | 'large' }) {
  const text = initials(name);
  return (
    <span className={`avatar avatar--${size}`} aria-hidden="true">
      {text ?? <User size={size === 'large' ? 28 : 20} />}
    </span>
  );
}
