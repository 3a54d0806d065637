/** Container for one line (not ringing in): its card, controls, keypad and transfer panels. */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallSnapshot } from '../../../src-main/contract/calls.js';
import { Keypad } from '../../ui/Keypad.js';
import type { CallActions } from './call-actions.js';
import { endReason, formatElapsed, peerAddress, peerLabel, statusKey } from './call-view.js';
import { CallCard } from './CallCard.js';
import { CallControls, CompactControls } from './CallControls.js';
import { useCallsStore } from './calls-store.js';
import { LevelMeters } from './LevelMeters.js';
import { QualityLine } from './QualityLine.js';
import { MediaPath } from './MediaPath.js';
import { mediaPath } from './media-path.js';
import { useIceRefresh } from './useIceRefresh.js';
import { TransferPanel } from './TransferPanel.js';
import { TransferPicks } from '../presence/TransferPicks.js';

const tones = { calling: 'waiting', ringing: 'waiting', connected: 'live', onHold: 'held', heldByRemote: 'held', transferring: 'waiting', conference: 'live', ended: 'ended' } as const;

export function CallLine({ call, now, current, actions }: { call: CallSnapshot; now: number; current: boolean; actions: CallActions }) {
  const { t } = useTranslation();
  const muted = useCallsStore((s) => s.muted);
  const levels = useCallsStore((s) => s.levels);
  const panel = useCallsStore((s) => (s.panel?.callId === call.id ? s.panel.kind : undefined));
  const consultation = useCallsStore((s) => s.consultation);
  const transfer = useCallsStore((s) => s.transfers[call.id]);
  const sent = useCallsStore((s) => s.tones[call.id]);
  const openPanel = useCallsStore((s) => s.openPanel);
  const heldFor = useCallsStore((s) => (s.consultation?.consultId === call.id ? s.live.find((c) => c.id === s.consultation?.heldId) : undefined));
  const hasOtherLine = useCallsStore((s) => s.live.some((c) => c.id !== call.id && c.state !== 'incoming'));

  const peer = peerLabel(call);
  const status = statusKey(call);
  const ended = endReason(call);
  const consulting = consultation?.consultId === call.id ? consultation : undefined;
  const endText = ended && (ended.status !== undefined
    ? t('call.end.withStatus', { text: t(`call.end.${ended.key}`), status: ended.status })
    : t(`call.end.${ended.key}`));
  const note = endText ?? (transfer ? t(`call.transferProgress.${transfer.status}`)
    : heldFor ? t('call.consulting', { peer: peerLabel(heldFor) }) : undefined);
  const emphasis = call.state === 'ended' ? 'ended' : current ? 'current' : 'other';
  const talking = call.state === 'active' || call.state === 'conference' || call.state === 'remote-held';
  const [detailsOpen, setDetailsOpen] = useState(false);
  useIceRefresh(call, talking && current);
  const card = useRef<HTMLElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const toggle = (kind: 'keypad' | 'transfer' | 'consult') => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    openPanel(panel === kind ? undefined : { callId: call.id, kind });
  };
  /** Closing a panel from inside it gives focus back to the button that opened it (or the first control). */
  const closePanel = () => {
    openPanel(undefined);
    requestAnimationFrame(() => {
      const back = opener.current?.isConnected ? opener.current : card.current?.querySelector<HTMLElement>('.controls .action');
      back?.focus();
    });
  };

  return (
    <CallCard
      ref={card}
      regionLabel={t('call.region', { peer })}
      peer={peer}
      address={peerAddress(call)}
      status={t(`call.status.${status}`)}
      statusTone={tones[status]}
      timer={call.answeredAt !== undefined ? formatElapsed((call.endedAt ?? now) - call.answeredAt) : undefined}
      timerLabel={t('call.duration')}
      note={note}
      noteTone={endText || transfer?.status === 'failed' ? 'error' : 'info'}
      emphasis={emphasis}
      inline={emphasis === 'other' && (
        <CompactControls state={call.state} onHold={() => void actions.hold(call)} onResume={() => void actions.resume(call)} onHangUp={() => void actions.hangUp(call)} />
      )}
    >
      {talking && current && <QualityLine codec={call.codec} quality={call.quality} />}
      {talking && current && <MediaPath path={mediaPath(call.ice)} open={detailsOpen} onToggle={() => setDetailsOpen(!detailsOpen)} />}
      {talking && current && levels && <LevelMeters inputDb={levels.inputDb} outputDb={levels.outputDb} muted={muted} />}
      {emphasis === 'current' && <CallControls
        state={call.state}
        muted={muted}
        keypadOpen={panel === 'keypad'}
        transferOpen={panel === 'transfer' || panel === 'consult' ? panel : undefined}
        consulting={consulting !== undefined}
        canComplete={consulting !== undefined && talking}
        canConsult={consultation === undefined && !hasOtherLine}
        onMute={() => void actions.mute(!muted)}
        onHold={() => void actions.hold(call)}
        onResume={() => void actions.resume(call)}
        onKeypad={() => toggle('keypad')}
        onTransfer={() => toggle('transfer')}
        onConsult={() => toggle('consult')}
        onComplete={() => consulting && void actions.completeTransfer(consulting)}
        onCancelTransfer={() => consulting && void actions.cancelTransfer(consulting)}
        onHangUp={() => void actions.hangUp(call)}
      />}
      {panel === 'keypad' && (
        <div className="panel" onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); closePanel(); } }}>
          <Keypad label={t('call.tones')} size="small" onKey={(key) => void actions.tone(call, key)} />
          <p className="panel__sent" aria-live="polite">{sent ? t('call.tonesSent', { digits: sent }) : '\u00a0'}</p>
        </div>
      )}
      {(panel === 'transfer' || panel === 'consult') && (
        <TransferPanel
          key={panel}
          mode={panel}
          onSubmit={(target) => (panel === 'transfer' ? actions.transfer(call, target) : actions.consult(call, target))}
          onClose={closePanel}
          picks={<TransferPicks exclude={call.peer.uri}
            onPick={(uri) => void (panel === 'transfer' ? actions.transfer(call, uri) : actions.consult(call, uri))} />}
        />
      )}
    </CallCard>
  );
}
