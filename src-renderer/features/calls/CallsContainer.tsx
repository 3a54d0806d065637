/**
 * The call area: every line (ringing in, live, just ended) above the current view, Swap/Merge with
 * two lines, and a live announcement of incoming calls (focus never moves to them).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CALL_SCOPE } from '../../app/useGlobalKeys.js';
import { useLink } from '../../app/link-context.js';
import { callActions } from './call-actions.js';
import { isCurrent, peerLabel } from './call-view.js';
import { nextExpiry, visibleCalls } from './calls-model.js';
import { useCallsStore } from './calls-store.js';
import { CallLine } from './CallLine.js';
import { IncomingLine } from './IncomingLine.js';
import { LinesBar } from './LinesBar.js';
import { useNow } from './useNow.js';

export function CallsContainer() {
  const { t } = useTranslation();
  const link = useLink();
  const actions = useMemo(() => callActions(link), [link]);
  const live = useCallsStore((s) => s.live);
  const ended = useCallsStore((s) => s.ended);
  const expire = useCallsStore((s) => s.expire);
  // A call ringing in comes first: it is the one that needs a decision now.
  const calls = visibleCalls({ live, ended } as Parameters<typeof visibleCalls>[0])
    .sort((a, b) => Number(b.state === 'incoming') - Number(a.state === 'incoming'));
  const now = useNow(live.some((c) => c.answeredAt !== undefined));
  const [announcement, setAnnouncement] = useState('');
  const announced = useRef(new Set<string>());

  useEffect(() => {
    const until = nextExpiry({ ended } as Parameters<typeof nextExpiry>[0]);
    if (until === undefined) return;
    const timer = setTimeout(expire, Math.max(0, until - Date.now()) + 50);
    return () => clearTimeout(timer);
  }, [ended, expire]);

  useEffect(() => {
    const fresh = live.find((c) => c.state === 'incoming' && !announced.current.has(c.id));
    if (!fresh) return;
    announced.current.add(fresh.id);
    setAnnouncement(t('call.announceIncoming', { peer: peerLabel(fresh) }));
  }, [live, t]);

  const established = live.filter((c) => c.state !== 'incoming' && c.state !== 'calling' && c.state !== 'early' && c.state !== 'transferring');
  const current = live.find(isCurrent);
  /** The line shown in full: the current one, else the latest (e.g. a single call on hold). */
  const main = current ?? live.filter((c) => c.state !== 'incoming').at(-1);
  const other = established.find((c) => c.id !== current?.id);

  return (
    <div className={`calls ${calls.length === 0 ? 'calls--empty' : ''}`} {...{ [CALL_SCOPE]: '' }}>
      <p className="visually-hidden" aria-live="assertive">{announcement}</p>
      {calls.map((call) => {
        if (call.state !== 'incoming') {
          return <CallLine key={call.id} call={call} now={now} current={call.id === main?.id} actions={actions} />;
        }
        return <IncomingLine key={call.id} call={call} actions={actions} />;
      })}
      {established.length >= 2 && (
        <LinesBar
          onSwap={other && other.state === 'held' ? () => void actions.swap(other) : undefined}
          onMerge={!established.every((c) => c.state === 'conference') ? () => void actions.merge(established[0]!, established[1]!) : undefined}
        />
      )}
    </div>
  );
}
