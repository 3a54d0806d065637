/**
 * Codec and call quality: a coloured level with its word (colour is never the only cue) and figures,
 * and "Removing echo" while the echo canceller takes the far end's voice out of the microphone.
 */
import { AudioWaveform } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { CallQuality } from '../../../src-main/contract/calls.js';
import { qualityLevel } from './call-view.js';

const codecLabels: Record<string, string> = { opus: 'Opus', g722: 'G.722', pcmu: 'G.711 µ-law', pcma: 'G.711 A-law' };
export const codecLabel = (codec: string): string => codecLabels[codec.toLowerCase()] ?? codec;

export function QualityLine({ codec, quality }: { codec: string | undefined; quality: CallQuality | undefined }) {
  const { t } = useTranslation();
  if (!codec && !quality) return null;
  const level = quality ? qualityLevel(quality) : undefined;
  return (
    <div className="quality">
      {codec && <span className="quality__codec">{codecLabel(codec)}</span>}
      {quality && level && (
        <>
          <span className={`quality__level quality__level--${level}`}>
            <span className="quality__dot" aria-hidden="true" />
            <span className="visually-hidden">{t('call.quality.label')}: </span>
            {t(`call.quality.${level}`)}
          </span>
          <span className="quality__details">
            {t('call.quality.details', { mos: quality.mos, loss: quality.lossPercent, jitter: quality.jitterMs })}
          </span>
          {quality.echoRemoving && (
            <span className="quality__echo">
              <AudioWaveform size={12} aria-hidden="true" />
              {t('call.quality.echoRemoving')}
            </span>
          )}
        </>
      )}
    </div>
  );
}
