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
const plural = /_(zero|one|two|few|many|other)$/;
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
      // Issue 9: History and Contacts.
      'history.callBack': 'Call back', 'history.addContact': 'Add to contacts', 'history.delete': 'Delete',
      'history.deleteAll': 'Delete all', 'history.filter': 'Filter', 'history.filters.all': 'All',
      'history.filters.missed': 'Missed', 'history.filters.incoming': 'Incoming', 'history.filters.outgoing': 'Outgoing',
      'history.search': 'Search history', 'contacts.search': 'Search contacts', 'contacts.import': 'Import',
      'contacts.export': 'Export', 'contacts.new': 'New contact', 'contacts.save': 'Save', 'contacts.delete': 'Delete',
      'contacts.edit': 'Edit',
      // Issue 9: Settings › Audio.
      'settings.audio.input': 'Microphone', 'settings.audio.output': 'Speaker', 'settings.audio.ring': 'Ringing device',
      'settings.audio.refresh': 'Refresh the devices', 'settings.audio.ringOnSpeakerToo': 'Ring on the speaker as well',
      'settings.audio.testSpeaker': 'Play test tone', 'settings.audio.testRing': 'Test ringing',
      'settings.audio.testMicrophone': 'Test microphone', 'settings.audio.micLevel': 'Microphone level',
      // Issue 11: busy lamps, voicemail, messages, my status.
      'nav.team': 'Team', 'nav.messages': 'Messages', 'presence.region': 'Busy lamps', 'presence.lampName': '{{name}}, {{state}}',
      'presence.lamp.idle': 'idle', 'presence.lamp.ringing': 'ringing', 'presence.lamp.busy': 'busy', 'presence.lamp.unknown': 'unknown',
      'presence.pickUp': 'Pick up', 'presence.voicemail': 'Voicemail', 'presence.voicemailNew_one': 'Voicemail, {{count}} new',
      'presence.voicemailNew_other': 'Voicemail, {{count}} new', 'messages.message': 'Message', 'messages.send': 'Send',
      'presence.myStatus': 'My status',
    };
    for (const [key, name] of Object.entries(stable)) assert.equal(en.get(key), name, key);
  });

  it('French has every key, the same placeholders, and no English left for the stable names', () => {
    // Plural forms differ by language (French has a "many" form): compare keys without them.
    const base = (keys: Iterable<string>) => [...new Set([...keys].map((k) => k.replace(plural, '')))].sort();
    assert.deepEqual(base(fr.keys()), base(en.keys()));
    const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)/g)].map((m) => m[1]).sort();
    for (const [key, text] of en) {
      const other = fr.get(key) ?? fr.get(key.replace(plural, '_other'));
      assert.ok(other !== undefined, key);
      assert.deepEqual(placeholders(other), placeholders(text), key);
    }
    for (const key of ['call.hangUp', 'call.answer', 'dialpad.number', 'call.status.connected']) assert.notEqual(fr.get(key), en.get(key), key);
  });

  it('plural keys have every form the language needs (Intl.PluralRules), and a count', () => {
    for (const [lang, cat] of [['en', en], ['fr', fr]] as const) {
      const forms = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
      const plurals = new Set([...cat.keys()].filter((k) => plural.test(k)).map((k) => k.replace(plural, '')));
      for (const key of plurals) {
        for (const form of forms) assert.ok(cat.has(`${key}_${form}`), `${lang}: ${key}_${form}`);
        assert.match(cat.get(`${key}_other`)!, /\{\{count/, `${lang}: ${key}`);
      }
    }
  });

  it('French typography: no-break space before : ; ? ! % » and after «, curly apostrophes', () => {
    for (const [key, text] of fr) {
      const prose = text.replace(/\{\{[^}]*\}\}/g, '').replace(/sips?:/g, '').replace(/\b(?:stun|turns?):[^\s,)]*/g, '');
      assert.doesNotMatch(prose, /[^\u00a0\u202f][:;?!%»]/u, key);
      assert.doesNotMatch(prose, /«[^\u00a0]/u, key);
      assert.doesNotMatch(text, /'/u, `${key}: use ’`);
    }
  });
});
