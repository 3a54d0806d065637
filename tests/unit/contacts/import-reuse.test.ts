import { it } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../../src-main/store/database.js';
import { ContactsStore } from '../../../src-main/store/contacts-store.js';
import { importContacts, ReadCache } from '../../../src-main/core/contact-import.js';
import { base64, vcardBook } from './contact-fixtures.js';

it('the import after a dry run of the same file stores what the dry run read (no second reading); another file or mapping is read again', async () => {
  const db = openDatabase(':memory:');
  try {
    const store = new ContactsStore(db);
    const cache = new ReadCache();
    const data = base64(vcardBook(300));
    const progress: Array<[number, number]> = [];
    const deps = { store, country: 'FR', cache, onProgress: (done: number, total: number) => { progress.push([done, total]); } };

    const dry = await importContacts({ format: 'vcard', data, dryRun: true }, deps);
    assert.ok(dry.ok);
    assert.equal(dry.value.imported, 300);
    assert.equal(store.count(), 0, 'a dry run stores nothing');
    assert.deepEqual(progress, [[250, 300], [300, 300]], 'the dry run reads every card, reporting progress');

    // The import of the same file: only the final "all read" report, no reading progress.
    progress.length = 0;
    const real = await importContacts({ format: 'vcard', data }, deps);
    assert.ok(real.ok);
    assert.deepEqual([real.value.imported, real.value.merged, real.value.skipped.length], [300, 0, 0]);
    assert.deepEqual(progress, [[300, 300]], 'the import did not read the file again (one progress report: all read)');
    assert.equal(store.count(), 300);

    // Used once: importing the same file again reads it again and merges every card by number.
    progress.length = 0;
    const again = await importContacts({ format: 'vcard', data }, deps);
    assert.ok(again.ok);
    assert.deepEqual([again.value.imported, again.value.merged], [0, 300]);
    assert.deepEqual(progress, [[250, 300], [300, 300]], 'read again');

    // A dry run of one file does not serve another.
    await importContacts({ format: 'vcard', data: base64(vcardBook(10)), dryRun: true }, deps);
    progress.length = 0;
    const other = await importContacts({ format: 'vcard', data, dryRun: true }, deps);
    assert.ok(other.ok);
    assert.deepEqual(progress, [[250, 300], [300, 300]], 'another file is read');
    cache.clear();
  } finally {
    db.close();
  }
});
