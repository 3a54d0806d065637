/** Main navigation: Dialpad, History, Contacts, Settings (buttons; the current one has aria-current). */
import { Contact, Grid3x3, History, Settings } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { View } from './app-store.js';

const items = [
  { view: 'dialpad', icon: Grid3x3 },
  { view: 'history', icon: History },
  { view: 'contacts', icon: Contact },
  { view: 'settings', icon: Settings },
] as const;

export function NavBar({ view, onNavigate }: { view: View; onNavigate(view: View): void }) {
  const { t } = useTranslation();
  return (
    <nav className="nav" aria-label={t('nav.label')}>
      {items.map(({ view: v, icon: Icon }) => (
        <button key={v} type="button" className="nav__item" aria-current={view === v ? 'page' : undefined} onClick={() => onNavigate(v)}>
          <Icon size={20} aria-hidden="true" />
          <span>{t(`nav.${v}`)}</span>
        </button>
      ))}
    </nav>
  );
}
