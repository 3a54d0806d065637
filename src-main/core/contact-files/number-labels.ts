/**
 * Number labels across formats: vCard TYPE values (RFC 6350 §6.4.1), the words Outlook, Google
 * and Apple use in English and French, and our own labels (`mobile`, `work`, `home`, …).
 */
import { fold } from '../../store/contact-text.js';

const byWord: Array<[RegExp, string]> = [
  [/\b(cell|cellular|mobile|portable|iphone|gsm)\b/, 'mobile'],
  [/\b(work|business|bureau|travail|professionnel|pro|office)\b/, 'work'],
  [/\b(home|domicile|personnel|perso|personal|prive)\b/, 'home'],
  [/\b(main|principal)\b/, 'main'],
  [/\b(fax|telecopie)\b/, 'fax'],
  [/\b(pager|radiomessagerie)\b/, 'pager'],
  [/\b(other|autre)\b/, 'other'],
];

/** A label from free text ("Mobile", "Téléphone bureau", "* Work"); the text itself when unknown. */
export function labelFromText(text: string): string {
  const words = fold(text).replace(/[^a-z0-9]+/g, ' ').trim();
  for (const [re, label] of byWord) if (re.test(words)) return label;
  return text.replace(/^\*\s*/, '').trim() || 'other';
}

/** vCard TYPE values → a label (`cell` → mobile); `voice`, `pref`, `text` say nothing of it. */
export function labelFromTypes(types: string[]): string {
  const meaningful = types.filter((t) => !['voice', 'pref', 'text', 'internet', 'msg', 'video', 'x400'].includes(t));
  for (const t of meaningful) {
    for (const [re, label] of byWord) if (re.test(t)) return label;
  }
  return 'other';
}

/** Our label → a vCard 4.0 TYPE; undefined when the label has none (it travels in X-NIMBUS-LABEL). */
export function vcardTypeOf(label: string): string | undefined {
  return ({ mobile: 'cell', work: 'work', home: 'home', fax: 'fax', pager: 'pager' } as Record<string, string>)[label];
}
