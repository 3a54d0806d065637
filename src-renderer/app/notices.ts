/** Notices from core events, and what each notice says (the core's own text or a catalogue text). */
import type { TFunction } from 'i18next';
import type { Notice } from './app-store.js';

/** Echo stays high with separate devices: the advice names both, in the user's language. */
export function echoAdviceNotice(e: { input: string; output: string }): Omit<Notice, 'id'> {
  // The text keys the notice (the store folds repeats of the same text into one).
  return { kind: 'echoAdvice', text: `echo-advice ${e.input} / ${e.output}`, params: { input: e.input, output: e.output } };
}

export function noticeText(n: Omit<Notice, 'id'>, t: TFunction): string {
  switch (n.kind) {
    case 'core': return n.text;
    case 'failed': return t('errors.failed', { error: n.text });
    case 'echoAdvice': return t('app.echoAdvice', { input: n.params?.input ?? '', output: n.params?.output ?? '' });
    default: return t(`errors.${n.kind}`);
  }
}
