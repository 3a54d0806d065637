/** Shown when the page is opened without the web host's token (or outside Electron). */
import { PlugZap } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../ui/EmptyState.js';

export function NoHost() {
  const { t } = useTranslation();
  return <main className="app app--nohost"><EmptyState icon={PlugZap} title={t('app.title')} text={t('app.noHost')} /></main>;
}
