/**
 * Main navigation: Dialpad, History, Contacts, Team, Messages, Settings (buttons; the current one
 * has aria-current; Ctrl/Cmd+1..6). History carries the missed-call badge and Messages the unread
 * count as their description, so their names stay exactly "History" and "Messages".
 */
import { Contact, Grid3x3, History, MessageSquare, Settings, Users } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { View } from './app-store.js';

const items = [
  { view: 'dialpad', icon: Grid3x3 },
  { view: 'history', icon: History },
  { view: 'contacts', icon: Contact },
  { view: 'team', icon: Users },
  { view: 'messages', icon: MessageSquare },
  { view: 'settings', icon: Settings },
] as const;

export function NavBar({ view, onNavigate, missed = 0, unread = 0 }: { view: View; onNavigate(view: View): void; missed?: number; unread?: number }) {
  const { t } = useTranslation();
  return (
    <nav className="nav" aria-label={t('nav.label')}>
      {items.map(({ view: v, icon: Icon }, i) => {
        const count = v === 'history' ? missed : v === 'messages' ? unread : 0;
        const badge = count > 0;
        const describedBy = `nav-${v}-badge`;
        return (
          <button key={v} type="button" className="nav__item" aria-current={view === v ? 'page' : undefined} onClick={() => onNavigate(v)}
            aria-keyshortcuts={`Control+${i + 1} Meta+${i + 1}`} aria-describedby={badge ? describedBy : undefined}>
            <span className="nav__icon">
              <Icon size={20} aria-hidden="true" />
              {badge && <span className="nav__badge" aria-hidden="true">{count > 99 ? '99+' : count}</span>}
            </span>
            <span>{t(`nav.${v}`)}</span>
            {badge && <span id={describedBy} hidden>{v === 'history' ? t('history.missedBadge', { count }) : t('messages.unread', { count })}</span>}
          </button>
        );
      })}
    </nav>
  );
}
