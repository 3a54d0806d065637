/** Container for a call ringing in: the prompt wired to answer / answer and hang up / decline. */
import { useTranslation } from 'react-i18next';
import type { CallSnapshot } from '../../../src-main/contract/calls.js';
import { useSettingsStore } from '../settings/settings-store.js';
import type { CallActions } from './call-actions.js';
import { peerAddress, peerLabel, statusKey } from './call-view.js';
import { useCallsStore } from './calls-store.js';
import { IncomingCall } from './IncomingCall.js';

export function IncomingLine({ call, actions }: { call: CallSnapshot; actions: CallActions }) {
  const { t } = useTranslation();
  const live = useCallsStore((s) => s.live);
  const account = useSettingsStore((s) => s.accounts.find((a) => a.key === call.account));
  const others = live.filter((c) => c.id !== call.id && c.state !== 'incoming');
  const peer = peerLabel(call);
  return (
    <IncomingCall
      regionLabel={t('call.region', { peer })}
      peer={peer}
      address={peerAddress(call)}
      account={account ? (account.displayName || account.aor.replace(/^sips?:/i, '')) : undefined}
      status={t(`call.status.${statusKey(call)}`)}
      waitingFor={others.length > 0 ? peerLabel(others[0]!) : undefined}
      onAnswer={() => void actions.answer(call, others)}
      onAnswerAndHangUp={() => void actions.answerAndHangUp(call, others)}
      onDecline={() => void actions.decline(call)}
    />
  );
}
