import { it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDirectory } from './contact-fixtures.js';

it('search folds case and accents over name and company, and any digit form over numbers (0612 finds +33 6 12 …)', () => {
  const { directory, close } = freshDirectory();
  try {
    const save = (name: string, numbers: string[], extra: { company?: string; favourite?: boolean } = {}) => {
      const r = directory.save({ name, numbers: numbers.map((value) => ({ label: 'mobile', value })), ...extra });
      assert.ok(r.ok, r.ok ? '' : r.error);
      return r.value;
    };
    const jean = save('Jean Dupont', ['+33 6 12 34 56 78']);
    const helene = save('Hélène Dupönt', ['07 11 22 33 44'], { company: 'Acme' });
    save('Zoé Martin', ['+33 1 44 55 66 77'], { company: 'Dupont & Fils' });
    save('Paul Durand', ['0612000000'], { favourite: true });
    save('Alice', ['sip:alice@pbx.example.com']);

    const dupont = directory.search({ query: 'dupont' });
    assert.deepEqual(dupont.contacts.map((c) => c.name), ['Hélène Dupönt', 'Jean Dupont', 'Zoé Martin']);
    assert.equal(directory.search({ query: 'DUPÖNT' }).total, 3);
    assert.equal(directory.search({ query: 'hélène acme' }).contacts[0]?.id, helene.id, 'every word must match, across fields');

    const byDigits = directory.search({ query: '0612' });
    assert.deepEqual(byDigits.contacts.map((c) => c.name), ['Paul Durand', 'Jean Dupont'], 'favourite first, then +33 6 12 … by its national form');
    assert.equal(directory.search({ query: '06 12 34' }).contacts[0]?.id, jean.id, 'separators in the query are ignored');
    assert.equal(directory.search({ query: '+33 7 11' }).contacts[0]?.id, helene.id, 'E.164 digits of a national number');
    assert.equal(directory.search({ query: 'alice@pbx' }).total, 1, 'SIP addresses are searched as text');

    const all = directory.search({ query: '' });
    assert.equal(all.total, 5);
    assert.deepEqual(all.contacts.map((c) => c.name), ['Paul Durand', 'Alice', 'Hélène Dupönt', 'Jean Dupont', 'Zoé Martin'], 'favourites on top, then folded name order');
    assert.deepEqual(directory.search({ query: '', offset: 3, limit: 1 }).contacts.map((c) => c.name), ['Jean Dupont']);
    assert.deepEqual(directory.search({ query: 'dupont', offset: 5 }), { contacts: [], total: 3 });
    assert.equal(directory.search({ query: '%' }).total, 0, 'no wildcards');
  } finally {
    close();
  }
});

it('identifies sip:0612345678@pbx and +33612345678 as the same contact (country FR), by indexed keys', () => {
  const { directory, close } = freshDirectory();
  try {
    const r = directory.save({ name: 'Jean Dupont', numbers: [{ label: 'mobile', value: '06 12 34 56 78' }, { label: 'desk', value: 'sip:jdupont@pbx.example.com' }] });
    assert.ok(r.ok);
    const jean = { id: r.value.id, name: 'Jean Dupont' };
    assert.deepEqual(directory.identify('sip:0612345678@pbx', 'FR'), jean);
    assert.deepEqual(directory.identify('+33612345678', 'FR'), jean);
    assert.deepEqual(directory.identify('sip:+33612345678@pbx.example.com;user=phone', undefined), jean, 'E.164 needs no country');
    assert.deepEqual(directory.identify('tel:+33-6-12-34-56-78', undefined), jean);
    assert.deepEqual(directory.identify('"Jean" <sip:jdupont@PBX.example.com:5060;transport=tcp>', 'FR'), jean, 'SIP address: host case and port ignored');
    assert.deepEqual(directory.identify('0612345678', undefined), jean, 'digits as written, without a country');
    assert.equal(directory.identify('sip:0612345679@pbx', 'FR'), undefined);
    assert.equal(directory.identify('sip:anonymous@anonymous.invalid', 'FR'), undefined);

    // Saved with no country known, a national number still matches by its digits, and the
    // international form matches its national digits.
    const { directory: d2, close: close2 } = freshDirectory('');
    try {
      const m = d2.save({ name: 'Marie', numbers: [{ label: 'work', value: '01 44 55 66 77' }] });
      assert.ok(m.ok);
      assert.equal(d2.identify('sip:0144556677@pbx', 'FR')?.name, 'Marie');
      assert.equal(d2.identify('+33144556677', 'FR')?.name, 'Marie');
    } finally {
      close2();
    }
  } finally {
    close();
  }
});

it('saves, replaces and removes contacts, refusing what is not a number or SIP address', () => {
  const { directory, close } = freshDirectory();
  try {
    const created = directory.save({ name: ' Jean ', numbers: [{ value: '0612345678' }] });
    assert.ok(created.ok);
    assert.deepEqual(created.value, { id: created.value.id, name: 'Jean', company: '', numbers: [{ label: 'work', value: '0612345678' }], email: '', notes: '', favourite: false });
    const updated = directory.save({ id: created.value.id, name: 'Jean Dupont', numbers: [{ label: 'home', value: '+33 1 23 45 67 89' }], favourite: true });
    assert.ok(updated.ok);
    assert.deepEqual(updated.value.numbers, [{ label: 'home', value: '+33 1 23 45 67 89' }]);
    assert.equal(directory.identify('0612345678', 'FR'), undefined, 'the old number is gone');
    assert.equal(directory.identify('0123456789', 'FR')?.name, 'Jean Dupont');

    const bad = directory.save({ name: 'X', numbers: [{ value: 'call me maybe' }] });
    assert.deepEqual(bad, { ok: false, error: 'numbers.0.value: not a phone number or SIP address' });
    assert.deepEqual(directory.save({ name: '' }), { ok: false, error: 'name: a contact needs a name' });
    assert.deepEqual(directory.save({ id: 999, name: 'Ghost' }), { ok: false, error: 'id: no such contact' });

    assert.ok(directory.remove(created.value.id));
    assert.equal(directory.get(created.value.id), undefined);
    assert.equal(directory.identify('0123456789', 'FR'), undefined, 'its numbers went with it');
    assert.equal(directory.remove(created.value.id), false);
  } finally {
    close();
  }
});
