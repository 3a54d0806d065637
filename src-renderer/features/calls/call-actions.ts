/** What the call controls do, as commands to the core (containers call these). */
import type { CallSnapshot } from '../../../src-main/contract/calls.js';
import { command } from '../../app/request.js';
import type { HostLink } from '../../transport/link.js';
import { dialTarget } from '../dialpad/number.js';
import { dialAccount } from '../settings/account-form.js';
import { useSettingsStore } from '../settings/settings-store.js';
import { dialledCallId, type Consultation } from './calls-model.js';
import { useCallsStore } from './calls-store.js';

/** The account a line belongs to (for turning a typed number into a SIP address), else the default. */
function accountFor(call: CallSnapshot) {
  const accounts = useSettingsStore.getState().accounts;
  return accounts.find((a) => a.key === call.account) ?? dialAccount(accounts);
}

export function callActions(link: HostLink) {
  const run = (cmd: Parameters<typeof command>[1]) => command(link, cmd);
  return {
    answer: async (incoming: CallSnapshot, others: CallSnapshot[]) => {
      if (!useSettingsStore.getState().settings.autoHold) {
        for (const c of others.filter((o) => o.state === 'active')) await run({ type: 'hold', callId: c.id });
      }
      await run({ type: 'answer', callId: incoming.id });
    },
    answerAndHangUp: async (incoming: CallSnapshot, others: CallSnapshot[]) => {
      for (const c of others) await run({ type: 'hangup', callId: c.id });
      await run({ type: 'answer', callId: incoming.id });
    },
    decline: (call: CallSnapshot) => run({ type: 'reject', callId: call.id }),
    hangUp: (call: CallSnapshot) => run({ type: 'hangup', callId: call.id }),
    hold: (call: CallSnapshot) => run({ type: 'hold', callId: call.id }),
    resume: (call: CallSnapshot) => run({ type: 'resume', callId: call.id }),
    mute: (on: boolean) => run({ type: on ? 'mute' : 'unmute' }),
    tone: (call: CallSnapshot, digit: string) => {
      useCallsStore.getState().addTone(call.id, digit);
      return run({ type: 'dtmf', callId: call.id, digits: digit });
    },
    /** Blind transfer; false when the target is not a number or address. */
    transfer: async (call: CallSnapshot, typed: string): Promise<boolean> => {
      const target = dialTarget(typed, accountFor(call));
      if (!target.ok) return false;
      const reply = await run({ type: 'transfer', callId: call.id, uri: target.uri });
      if (reply.ok) useCallsStore.getState().openPanel(undefined);
      return true;
    },
    /** Attended transfer, first step: dial the target (the core holds this call first). */
    consult: async (call: CallSnapshot, typed: string): Promise<boolean> => {
      const account = accountFor(call);
      const target = dialTarget(typed, account);
      if (!target.ok) return false;
      if (call.state === 'active') await run({ type: 'hold', callId: call.id });
      const reply = await run({ type: 'dial', uri: target.uri, consultFor: call.id, ...(account ? { account: account.key } : {}) });
      const consultId = reply.ok ? dialledCallId(reply.value) : undefined;
      const store = useCallsStore.getState();
      store.openPanel(undefined);
      if (consultId) store.startConsultation({ heldId: call.id, consultId });
      return true;
    },
    completeTransfer: (c: Consultation) => run({ type: 'attended-transfer', callId: c.heldId, targetCallId: c.consultId }),
    cancelTransfer: async (c: Consultation) => {
      useCallsStore.getState().endConsultation();
      await run({ type: 'hangup', callId: c.consultId });
      await run({ type: 'resume', callId: c.heldId });
    },
    merge: (a: CallSnapshot, b: CallSnapshot) => run({ type: 'conference', callIds: [a.id, b.id] }),
    swap: (to: CallSnapshot) => run({ type: 'swap', callId: to.id }),
  };
}

export type CallActions = ReturnType<typeof callActions>;
