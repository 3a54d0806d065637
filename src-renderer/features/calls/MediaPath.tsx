/**
 * The call's media path under its quality line (issue 13): "Direct", "Direct (through NAT)",
 * "Relayed (TURN over UDP)" or "No ICE", and a "Call details" disclosure with the ICE state and
 * the selected pair's local and remote addresses and candidate types (when the call has ICE or
 * TURN stats). Presentational.
 */
import { ChevronDown, ChevronRight, Route } from 'lucide-react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { MediaPathView, PathEnd } from './media-path.js';

export interface MediaPathProps {
  path: MediaPathView;
  open: boolean;
  onToggle(): void;
}

export function MediaPath({ path, open, onToggle }: MediaPathProps) {
  const { t } = useTranslation();
  const detailsId = useId();
  /** Without ICE or TURN stats (no NAT settings, or ICE off) there is nothing more to show. */
  const hasDetails = path.state !== undefined || path.local !== undefined || path.remote !== undefined;
  const endText = (e: PathEnd) => (e.type ? t('call.path.end', { address: e.address, type: t(`call.path.types.${e.type}`) }) : e.address);
  return (
    <div className="media-path">
      <div className="media-path__line">
        <Route size={12} aria-hidden="true" />
        <span className="media-path__label">{t('call.path.label')}</span>
        <span className="media-path__kind">{t(`call.path.kinds.${path.kind}`, { transport: path.transport ?? '' })}</span>
        {hasDetails && (
          <button type="button" className="media-path__toggle" aria-expanded={open} aria-controls={detailsId} onClick={onToggle}>
            {open ? <ChevronDown size={12} aria-hidden="true" /> : <ChevronRight size={12} aria-hidden="true" />}
            {t('call.path.details')}
          </button>
        )}
      </div>
      {open && hasDetails && (
        <dl id={detailsId} className="media-path__details">
          <dt>{t('call.path.state')}</dt>
          <dd>{path.state ? t(`call.path.states.${path.state}`, { defaultValue: path.state }) : t('call.path.noIce')}</dd>
          {path.local && <><dt>{t('call.path.local')}</dt><dd>{endText(path.local)}</dd></>}
          {path.remote && <><dt>{t('call.path.remote')}</dt><dd>{endText(path.remote)}</dd></>}
          {path.candidates && (
            <><dt>{t('call.path.candidates')}</dt><dd>{t('call.path.candidateCounts', { local: path.candidates.local, remote: path.candidates.remote })}</dd></>
          )}
        </dl>
      )}
    </div>
  );
}
