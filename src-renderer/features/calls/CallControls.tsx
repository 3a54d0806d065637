/** The buttons of one line, by its state. Names are the stable accessible names (via the catalogue). */
import {
  ArrowRightLeft, Grid3x3, Mic, MicOff, Pause, PhoneForwarded, PhoneOff, Play, UserRoundCheck, UserRoundX,
} from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { CallState } from '../../../src-main/contract/calls.js';
import { ActionButton } from '../../ui/ActionButton.js';

export interface CallControlsProps {
  state: CallState;
  muted: boolean;
  keypadOpen: boolean;
  transferOpen: 'transfer' | 'consult' | undefined;
  /** This line is the consultation call of an attended transfer. */
  consulting: boolean;
  canComplete: boolean;
  canConsult: boolean;
  onMute(): void;
  onHold(): void;
  onResume(): void;
  onKeypad(): void;
  onTransfer(): void;
  onConsult(): void;
  onComplete(): void;
  onCancelTransfer(): void;
  onHangUp(): void;
}

const talking: CallState[] = ['active', 'remote-held', 'conference'];

/** A line in the background: hold or resume, and hang up, as icon buttons in its head row. */
export function CompactControls({ state, onHold, onResume, onHangUp }: Pick<CallControlsProps, 'state' | 'onHold' | 'onResume' | 'onHangUp'>) {
  const { t } = useTranslation();
  if (state === 'ended') return null;
  const icon = (Icon: typeof Pause, label: string, onClick: () => void, tone: string) => (
    <button type="button" className={`round-icon round-icon--${tone}`} onClick={onClick} aria-label={label} title={label}>
      <Icon size={18} aria-hidden="true" />
    </button>
  );
  return (
    <div className="compact-controls" role="group" aria-label={t('call.controls')}>
      {state === 'held' && icon(Play, t('call.resume'), onResume, 'primary')}
      {(state === 'active' || state === 'remote-held') && icon(Pause, t('call.hold'), onHold, 'neutral')}
      {icon(PhoneOff, t('call.hangUp'), onHangUp, 'danger')}
    </div>
  );
}

export function CallControls(p: CallControlsProps) {
  const { t } = useTranslation();
  const { state } = p;
  if (state === 'ended') return null;
  const canMute = talking.includes(state) || state === 'calling' || state === 'early';
  const showTransfer = !p.consulting && (state === 'active' || state === 'held') && p.transferOpen === undefined;
  return (
    <div className="controls" role="group" aria-label={t('call.controls')}>
      <div className="controls__grid">
        {canMute && (p.muted
          ? <ActionButton icon={MicOff} label={t('call.unmute')} onClick={p.onMute} active />
          : <ActionButton icon={Mic} label={t('call.mute')} onClick={p.onMute} />)}
        {(state === 'active' || state === 'remote-held') && <ActionButton icon={Pause} label={t('call.hold')} onClick={p.onHold} />}
        {state === 'held' && <ActionButton icon={Play} label={t('call.resume')} onClick={p.onResume} tone="primary" />}
        {talking.includes(state) && (
          <ActionButton icon={Grid3x3} label={t('call.keypad')} onClick={p.onKeypad} expanded={p.keypadOpen} active={p.keypadOpen} />
        )}
        {showTransfer && <ActionButton icon={PhoneForwarded} label={t('call.transfer')} onClick={p.onTransfer} />}
        {showTransfer && p.canConsult && state === 'active' && (
          <ActionButton icon={ArrowRightLeft} label={t('call.consult')} onClick={p.onConsult} />
        )}
        {p.consulting && (
          <ActionButton icon={UserRoundCheck} label={t('call.completeTransfer')} onClick={p.onComplete} disabled={!p.canComplete} tone="primary" />
        )}
        {p.consulting && <ActionButton icon={UserRoundX} label={t('call.cancelTransfer')} onClick={p.onCancelTransfer} />}
      </div>
      <ActionButton icon={PhoneOff} label={t('call.hangUp')} onClick={p.onHangUp} tone="danger" wide shortcut="Escape" />
    </div>
  );
}
