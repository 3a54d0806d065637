/** The link to the host (connecting, lost) and transient messages (errors, core notices). */
import { X } from 'lucide-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { LinkStatus } from '../transport/link.js';
import type { Notice } from './app-store.js';
import { noticeText } from './notices.js';

export function ConnectionBanner({ link, synced }: { link: LinkStatus; synced: boolean }) {
  const { t } = useTranslation();
  const text = link === 'open' ? undefined : synced ? t('app.reconnecting') : t('app.connecting');
  return <p className={`banner ${text ? '' : 'banner--hidden'}`} role="status">{text}</p>;
}

export function Notices({ notices, onDismiss }: { notices: Notice[]; onDismiss(id: number): void }) {
  const { t } = useTranslation();
  useEffect(() => {
    if (notices.length === 0) return;
    const oldest = notices[0]!;
    const timer = setTimeout(() => onDismiss(oldest.id), 8000);
    return () => clearTimeout(timer);
  }, [notices, onDismiss]);
  return (
    <div className="notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice--${n.kind}`}>
          <p>{noticeText(n, t)}</p>
          <button type="button" className="icon-button icon-button--small" onClick={() => onDismiss(n.id)} aria-label={t('app.dismiss')}>
            <X size={16} aria-hidden="true" />
          </button>
        </div>
      ))}
    </div>
  );
}
