/** Microphone and speaker levels as <meter> elements (no inline styles under the CSP). */
import { Mic, Volume2 } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { levelFraction } from './call-view.js';

export function LevelMeters({ inputDb, outputDb, muted }: { inputDb: number; outputDb: number; muted: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="levels" role="group" aria-label={t('call.levels.label')}>
      <label className="levels__row">
        <Mic size={14} aria-hidden="true" />
        <span className="visually-hidden">{t('call.levels.input')}</span>
        <meter min={0} max={1} low={0.75} high={0.95} optimum={0.5} value={muted ? 0 : levelFraction(inputDb)} />
      </label>
      <label className="levels__row">
        <Volume2 size={14} aria-hidden="true" />
        <span className="visually-hidden">{t('call.levels.output')}</span>
        <meter min={0} max={1} low={0.75} high={0.95} optimum={0.5} value={levelFraction(outputDb)} />
      </label>
    </div>
  );
}
