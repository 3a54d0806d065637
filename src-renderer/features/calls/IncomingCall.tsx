/**
 * An incoming call: a region named "Call with <peer>" with its status ("Ringing"), caller name and
 * number, the account it came to, Answer and Decline; while another call is up, the call-waiting
 * variant adds "Answer and hang up". It never takes focus: keyboard users answer by moving to it.
 */
import { Phone, PhoneIncoming, PhoneOff } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { ActionButton } from '../../ui/ActionButton.js';
import { Avatar } from '../../ui/Avatar.js';

export interface IncomingCallProps {
  regionLabel: string;
  peer: string;
  address: string | undefined;
  account: string | undefined;
  status: string;
  waitingFor: string | undefined;
  onAnswer(): void;
  onAnswerAndHangUp(): void;
  onDecline(): void;
}

export function IncomingCall(p: IncomingCallProps) {
  const { t } = useTranslation();
  return (
    <section className="call call--incoming" aria-label={p.regionLabel}>
      <p className="incoming__kind">
        <PhoneIncoming size={16} aria-hidden="true" className="incoming__bell" />
        {t(p.waitingFor ? 'call.waiting' : 'call.incoming')}
        {p.account && <span className="incoming__account"> · {t('call.onAccount', { account: p.account })}</span>}
      </p>
      <div className="incoming__who">
        <Avatar name={p.peer} size="large" />
        <div className="call__who">
          <p className="incoming__peer">{p.peer}</p>
          {p.address && <p className="call__address">{p.address}</p>}
          <p className="call__status call__status--waiting">{p.status}</p>
        </div>
      </div>
      {p.waitingFor && <p className="incoming__hint">{t('call.waitingHint', { peer: p.waitingFor })}</p>}
      <div className="incoming__actions">
        <ActionButton icon={Phone} label={t('call.answer')} onClick={p.onAnswer} tone="accept" wide />
        {p.waitingFor && (
          <ActionButton icon={PhoneOff} label={t('call.answerAndHangUp')} onClick={p.onAnswerAndHangUp} wide />
        )}
        <ActionButton icon={PhoneOff} label={t('call.decline')} onClick={p.onDecline} tone="danger" wide />
      </div>
    </section>
  );
}
