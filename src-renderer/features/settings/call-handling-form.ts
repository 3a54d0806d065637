/**
 * Call-handling fields the user types (forwarding target and delay, auto-answer delay), checked as
 * they type against the contract's schemas; each error names its field (a catalogue key). A
 * forwarding target may be typed as a number: it goes to the dialling account's domain, as dialling does.
 */
import { forwardSettingSchema, settingsSchema, type Settings } from '../../../src-main/contract/settings.js';
import { dialTarget } from '../dialpad/number.js';

export interface CallHandlingDraft {
  forwardMode: Settings['forward']['mode'];
  forwardTarget: string;
  forwardSeconds: string;
  autoAnswerMode: Settings['autoAnswer']['mode'];
  autoAnswerSeconds: string;
}

export type CallHandlingField = 'forwardTarget' | 'forwardSeconds' | 'autoAnswerSeconds';
/** Field → catalogue key under `settings.calls.errors`. */
export type CallHandlingErrors = Partial<Record<CallHandlingField, 'targetNeeded' | 'target' | 'noAccount' | 'forwardSeconds' | 'autoAnswerSeconds'>>;

export function callHandlingDraft(s: Settings): CallHandlingDraft {
  return {
    forwardMode: s.forward.mode,
    forwardTarget: s.forward.target.replace(/^sip:/i, ''),
    forwardSeconds: String(s.forward.noAnswerSeconds),
    autoAnswerMode: s.autoAnswer.mode,
    autoAnswerSeconds: String(Math.round(s.autoAnswer.afterMs / 1000)),
  };
}

const wholeNumber = (text: string): number | undefined => (/^\s*\d{1,6}\s*$/.test(text) ? Number(text) : undefined);

export type CallHandlingCheck =
  | { ok: true; patch: Pick<Settings, 'forward' | 'autoAnswer'> }
  | { ok: false; errors: CallHandlingErrors };

export function checkCallHandling(d: CallHandlingDraft, account: { aor: string } | undefined): CallHandlingCheck {
  const errors: CallHandlingErrors = {};
  let target = '';
  if (d.forwardTarget.trim() !== '') {
    const t = dialTarget(d.forwardTarget, account);
    if (t.ok) target = t.uri;
    else errors.forwardTarget = t.error === 'no-account' ? 'noAccount' : 'target';
  }
  const seconds = wholeNumber(d.forwardSeconds);
  const forward = { mode: d.forwardMode, target, noAnswerSeconds: seconds ?? -1 };
  const parsedForward = forwardSettingSchema.safeParse(forward);
  if (!parsedForward.success) {
    for (const issue of parsedForward.error.issues) {
      if (issue.path[0] === 'target' && !errors.forwardTarget) errors.forwardTarget = d.forwardTarget.trim() === '' ? 'targetNeeded' : 'target';
      // The delay only matters (and is only shown) for "no answer".
      if (issue.path[0] === 'noAnswerSeconds' && d.forwardMode === 'no-answer') errors.forwardSeconds = 'forwardSeconds';
    }
  }
  const afterS = wholeNumber(d.autoAnswerSeconds);
  const autoAnswer = { mode: d.autoAnswerMode, afterMs: (afterS ?? -1) * 1000 };
  const parsedAuto = settingsSchema.shape.autoAnswer.safeParse(autoAnswer);
  if (!parsedAuto.success && d.autoAnswerMode === 'after') errors.autoAnswerSeconds = 'autoAnswerSeconds';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    patch: {
      forward: parsedForward.success ? parsedForward.data : { mode: d.forwardMode, target, noAnswerSeconds: 20 },
      autoAnswer: parsedAuto.success ? parsedAuto.data : { mode: d.autoAnswerMode, afterMs: 0 },
    },
  };
}

/** Options of a device picker: the system default, the devices present, and the saved one if it is unplugged. */
export function deviceOptions(devices: readonly { name: string; input: boolean; output: boolean }[], kind: 'input' | 'output', saved: string | null): { name: string; present: boolean }[] {
  const present = devices.filter((d) => d[kind]).map((d) => ({ name: d.name, present: true }));
  if (saved !== null && !present.some((d) => d.name === saved)) present.push({ name: saved, present: false });
  return present;
}
