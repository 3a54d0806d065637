import type { LucideIcon } from 'lucide-react';

/** An empty screen or list: icon, title (a heading, h1 by default) and a line of text. */
export function EmptyState({ icon: Icon, title, text, level = 1 }: { icon: LucideIcon; title: string; text: string; level?: 1 | 2 }) {
  const Heading = level === 1 ? 'h1' : 'h2';
  return (
    <div className="empty">
      <span className="empty__icon"><Icon size={32} strokeWidth={1.5} aria-hidden="true" /></span>
      <Heading className="empty__title">{title}</Heading>
      <p className="empty__text">{text}</p>
    </div>
  );
}
