import type { LucideIcon } from 'lucide-react';

export function EmptyState({ icon: Icon, title, text }: { icon: LucideIcon; title: string; text: string }) {
  return (
    <div className="empty">
      <span className="empty__icon"><Icon size={32} strokeWidth={1.5} aria-hidden="true" /></span>
      <h1 className="empty__title">{title}</h1>
      <p className="empty__text">{text}</p>
    </div>
  );
}
