/**
 * Main navigation: Dialpad, History, Contacts, Settings (buttons; the current one has aria-current;
 * Ctrl/Cmd+1..4). History carries the missed-call badge as its description, so its name stays
 * exactly "History".
 */
import { Contact, Grid3x3, History, Settings } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { View } from './app-store.js';

const items = [
  { view: 'dialpad', icon: Grid3x3 },
  { view: 'history', icon: History },
  { view: 'contacts', icon: Contact },
  { view: 'settings', icon: Settings },
] as const;

export function NavBar({ view, onNavigate, missed = 0 }: { view: View; onNavigate(view: View): void; missed?: number }) {
  const { t } = useTranslation();
  return (
    <nav className="nav" aria-label={t('nav.label')}>
      {items.map(({ view: v, icon: Icon }, i) => {
        const badge = v === 'history' && missed > 0;
        return (
          <button key={v} type="button" className="nav__item" aria-current={view === v ? 'page' : undefined} onClick={() => onNavigate(v)}
            aria-keyshortcuts={`Control+${i + 1} Meta+${i + 1}`} aria-describedby={badge ? 'nav-missed' : undefined}>
            <span className="nav__icon">
              <Icon size={20} aria-hidden="true" />
              {badge && <span className="nav__badge" aria-hidden="true">{missed > 99 ? '99+' : missed}</span>}
            </span>
            <span>{t(`nav.${v}`)}</span>
            {badge && <span id="nav-missed" hidden>{t('history.missedBadge', { count: missed })}</span>}
          </button>
        );
      })}
    </nav>
  );
}
