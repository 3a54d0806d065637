// The catalogues carry the accessible names: English holds exactly the stable names of issue 7
// (tests and automation find controls by them), French the same keys with French typography.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

type Tree = { [key: string]: string | Tree };
const load = (lang: string): Tree => JSON.parse(readFileSync(new URL(`../../../src-renderer/i18n/${lang}.json`, import.meta.url), 'utf8')) as Tree;
const flat = (tree: Tree, prefix = ''): Map<string, string> => new Map(Object.entries(tree).flatMap(([k, v]) =>
  typeof v === 'string' ? [[prefix + k, v] as [string, string]] : [...flat(v, `${prefix}${k}.`)]));
const en = flat(load('en'));
const fr = flat(load('fr'));

describe('renderer: catalogues', () => {
  it('English holds the stable accessible names exactly', () => {
    const stable: Record<string, string> = {
      'dialpad.number': 'Number', 'dialpad.call': 'Call', 'call.answer': 'Answer', 'call.decline': 'Decline',
      'call.hangUp': 'Hang up', 'call.hold': 'Hold', 'call.resume': 'Resume', 'call.mute': 'Mute', 'call.unmute': 'Unmute',
      'call.keypad': 'Keypad', 'call.transfer': 'Transfer', 'call.consult': 'Consult',
      'call.completeTransfer': 'Complete transfer', 'call.cancelTransfer': 'Cancel transfer', 'call.merge': 'Merge', 'call.swap': 'Swap',
      'nav.dialpad': 'Dialpad', 'nav.history': 'History', 'nav.contacts': 'Contacts', 'nav.settings': 'Settings',
      'call.region': 'Call with {{peer}}',
      'call.status.calling': 'Calling', 'call.status.ringing': 'Ringing', 'call.status.connected': 'Connected',
      'call.status.onHold': 'On hold', 'call.status.heldByRemote': 'Held by remote', 'call.status.transferring': 'Transferring',
      'call.status.conference': 'Conference', 'call.status.ended': 'Ended',
    };
    for (const [key, name] of Object.entries(stable)) assert.equal(en.get(key), name, key);
  });

  it('French has every key, the same placeholders, and no English left for the stable names', () => {
    assert.deepEqual([...fr.keys()].sort(), [...en.keys()].sort());
    const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)/g)].map((m) => m[1]).sort();
    for (const [key, text] of en) assert.deepEqual(placeholders(fr.get(key)!), placeholders(text), key);
    for (const key of ['call.hangUp', 'call.answer', 'dialpad.number', 'call.status.connected']) assert.notEqual(fr.get(key), en.get(key), key);
  });

  it('French typography: no-break space before : ; ? ! % » and after «, curly apostrophes', () => {
    for (const [key, text] of fr) {
      const prose = text.replace(/\{\{[^}]*\}\}/g, '').replace(/sips?:/g, '');
      assert.doesNotMatch(prose, /[^\u00a0\u202f][:;?!%»]/u, key);
      assert.doesNotMatch(prose, /«[^\u00a0]/u, key);
      assert.doesNotMatch(text, /'/u, `${key}: use ’`);
    }
  });
});
