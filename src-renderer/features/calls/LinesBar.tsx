/** With two lines up: Swap (talk to the other one) and Merge (three-way conference). */
import { ArrowUpDown, Merge } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { ActionButton } from '../../ui/ActionButton.js';

export function LinesBar({ onSwap, onMerge }: { onSwap: (() => void) | undefined; onMerge: (() => void) | undefined }) {
  const { t } = useTranslation();
  if (!onSwap && !onMerge) return null;
  return (
    <div className="lines" role="group" aria-label={t('call.lines')}>
      {onSwap && <ActionButton icon={ArrowUpDown} label={t('call.swap')} onClick={onSwap} />}
      {onMerge && <ActionButton icon={Merge} label={t('call.merge')} onClick={onMerge} />}
    </div>
  );
}
