/** The app's notices from core events: the echo advice (issue 17) in English and French. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import i18next from 'i18next';
import { echoAdviceNotice, noticeText } from '../../../src-renderer/app/notices.js';

const catalogue = (lang: string): object => JSON.parse(readFileSync(new URL(`../../../src-renderer/i18n/${lang}.json`, import.meta.url), 'utf8')) as object;

async function translator(lng: string) {
  const i18n = i18next.createInstance();
  await i18n.init({ resources: { en: { translation: catalogue('en') }, fr: { translation: catalogue('fr') } }, lng, fallbackLng: 'en', interpolation: { escapeValue: false } });
  return i18n.t;
}

describe('renderer: notices', () => {
  it('echo stays high with separate devices: the advice names both devices, in English and in French', async () => {
    const n = echoAdviceNotice({ input: 'MacBook Pro Microphone', output: 'MacBook Pro Speakers' });
    assert.equal(n.kind, 'echoAdvice');
    assert.equal(noticeText(n, await translator('en')),
      'Your voice may be coming back to the other person: the microphone (MacBook Pro Microphone) and the speaker (MacBook Pro Speakers) ' +
      'are separate devices and their echo is not going away. A headset, or one device for both, stops it.');
    const fr = noticeText(n, await translator('fr'));
    assert.match(fr, /^Votre correspondant entend peut-être sa propre voix\u00a0: le micro \(MacBook Pro Microphone\) et le haut-parleur \(MacBook Pro Speakers\)/);
    assert.match(fr, /Un casque, ou un seul appareil pour les deux/);
  });

  it('the same advice twice is one notice (same text key); other devices make another', () => {
    const a = echoAdviceNotice({ input: 'Mic', output: 'Speakers' });
    assert.equal(a.text, echoAdviceNotice({ input: 'Mic', output: 'Speakers' }).text);
    assert.notEqual(a.text, echoAdviceNotice({ input: 'USB Mic', output: 'Speakers' }).text);
  });

  it('core notices keep their text; failures and link problems read from the catalogue', async () => {
    const t = await translator('en');
    assert.equal(noticeText({ kind: 'core', text: 'audio device lost: x' }, t), 'audio device lost: x');
    assert.equal(noticeText({ kind: 'failed', text: 'busy' }, t), 'That did not work: busy');
    assert.equal(noticeText({ kind: 'timedOut', text: '' }, t), 'The phone did not answer in time.');
  });
});
