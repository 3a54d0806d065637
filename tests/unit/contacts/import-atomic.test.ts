import { it } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../../src-main/store/database.js';
import { ContactsStore } from '../../../src-main/store/contacts-store.js';
import { importContacts } from '../../../src-main/core/contact-import.js';
import { base64, vcardBook } from './contact-fixtures.js';

it('an import that fails half-way leaves the address book exactly as it was (one transaction)', async () => {
  const db = openDatabase(':memory:');
  try {
    const store = new ContactsStore(db);
    // The book already holds 3 people; the file's person 7 shares a number with the first (a merge).
    const before = [
      { name: 'Existing One', company: '', email: '', notes: 'keep me', favourite: true, numbers: [{ label: 'mobile', value: '+33 7 10 00 00 07' }] },
      { name: 'Existing Two', company: 'Acme', email: '', notes: '', favourite: false, numbers: [] },
      { name: 'Existing Three', company: '', email: '', notes: '', favourite: false, numbers: [{ label: 'work', value: 'sip:three@pbx' }] },
    ];
    store.atomically(() => before.forEach((c) => store.insert(c, 'FR')));
    const snapshot = store.all();

    let inserts = 0;
    const insert = store.insert.bind(store);
    store.insert = (...args) => {
      if (++inserts === 500) throw new Error('disk I/O error');
      return insert(...args);
    };
    const result = await importContacts({ format: 'vcard', data: base64(vcardBook(1000)) }, { store, country: 'FR', onProgress: () => {} });
    assert.deepEqual(result, { ok: false, error: 'import failed, no contact was changed: disk I/O error' });
    assert.equal(inserts, 500, 'it failed half-way, after merging into "Existing One" and adding 499');
    assert.deepEqual(store.all(), snapshot);
    assert.equal(store.identify('+33710000008', 'FR'), undefined, 'no row of the failed import is left');

    // The same import without the fault goes through, merging person 7 into Existing One.
    store.insert = insert;
    const ok = await importContacts({ format: 'vcard', data: base64(vcardBook(1000)) }, { store, country: 'FR', onProgress: () => {} });
    assert.ok(ok.ok);
    assert.deepEqual([ok.value.imported, ok.value.merged], [999, 1]);
    const one = store.get(snapshot[0]!.id)!;
    assert.deepEqual([one.name, one.notes, one.company, one.numbers.length], ['Existing One', 'keep me', 'Société 7', 2]);
  } finally {
    db.close();
  }
});
