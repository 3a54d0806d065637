import { it } from 'node:test';
import assert from 'node:assert/strict';
import { base64, freshDirectory, importOk, pairs, vcardBook } from './contact-fixtures.js';

it('imports a 10,000-contact vCard file with progress, then finds people by name and by number', async () => {
  const { directory, close } = freshDirectory();
  try {
    const progress: Array<[number, number]> = [];
    const started = performance.now();
    const report = await importOk(directory, { format: 'vcard', data: base64(vcardBook(10_000)) }, progress);
    const ms = performance.now() - started;
    assert.deepEqual({ ...report, skipped: report.skipped.length }, { imported: 10_000, merged: 0, skipped: 0, columns: undefined, encoding: 'utf-8' });
    assert.ok(progress.length >= 40 && progress.length <= 41, `progress every 250 rows (${progress.length} reports)`);
    assert.deepEqual(progress.at(-1), [10_000, 10_000]);
    assert.equal(directory.search({ query: '' }).total, 10_000);
    const one = directory.search({ query: 'EMILE bernard12' }).contacts;
    assert.deepEqual(one.map((c) => c.name).slice(0, 2), ['Émile Bernard12', 'Émile Bernard1212'], 'accent-insensitive, in name order');
    assert.deepEqual(one[0]!.numbers, [{ label: 'mobile', value: '+33 7 10 00 00 12' }, { label: 'work', value: '01 40 00 00 12' }]);
    assert.equal(one[0]!.company, 'Société 12');
    assert.equal(directory.identify('sip:0710000012@pbx', 'FR')?.name, 'Émile Bernard12');
    console.log(`    10,000 vCards imported in ${ms.toFixed(0)} ms`);
  } finally {
    close();
  }
});

it('reports each broken vCard with its reason and imports the rest', async () => {
  const { directory, close } = freshDirectory();
  try {
    const file = [
      'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Good One\r\nTEL:+33 6 11 11 11 11\r\nEND:VCARD',
      'BEGIN:VCARD\r\nVERSION:4.0\r\nTEL;TYPE="cell:+33 6 22\r\nEND:VCARD',
      'BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:nothing to call\r\nEND:VCARD',
      'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Vanity\r\nTEL:1-800-FLOWERS\r\nEND:VCARD',
      `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Many params\r\nNOTE;${'a=b;'.repeat(100_000)}X=y:z\r\nEND:VCARD`,
      'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut short',
      'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good Two\r\nitem1.TEL:07 22 22 22 22\r\nitem1.X-ABLabel:_$!<Mobile>!$_\r\nEND:VCARD',
      'BEGIN:VCARD\r\nVERSION:2.1\r\nN:Doe;John\r\nTEL;CELL;VOICE:+1 650 253 0000\r\nEND:VCARD',
    ].join('\r\n');
    const started = performance.now();
    const report = await importOk(directory, { format: 'vcard', data: base64(file) });
    assert.ok(performance.now() - started < 2000, 'a 400 kB parameter list is refused before ical.js parses it');
    assert.equal(report.imported, 3);
    assert.deepEqual(report.skipped.map((s) => s.row), [2, 3, 4, 5, 6]);
    assert.match(report.skipped[0]!.reason, /^unreadable: .*double quote/);
    assert.equal(report.skipped[1]!.reason, 'no name and no number');
    assert.equal(report.skipped[2]!.reason, 'number unparseable: "1-800-FLOWERS"');
    assert.match(report.skipped[3]!.reason, /line is longer than 16384/);
    assert.match(report.skipped[4]!.reason, /not terminated/);
    const names = directory.search({ query: '' }).contacts.map((c) => [c.name, c.numbers[0]]);
    assert.deepEqual(names, [
      ['Good One', { label: 'other', value: '+33 6 11 11 11 11' }],
      ['Good Two', { label: 'mobile', value: '07 22 22 22 22' }],
      ['John Doe', { label: 'mobile', value: '+1 650 253 0000' }],
    ]);
  } finally {
    close();
  }
});

it('exports one vCard 4.0 file that imports into an empty book as the same contacts', async () => {
  const a = freshDirectory();
  const b = freshDirectory();
  try {
    const inputs = [
      { name: 'Jean Dupont', company: 'Acme; Sales, Paris', numbers: [{ label: 'mobile', value: '+33 6 12 34 56 78' }, { label: 'Assistante', value: '01 23 45 67 89' }, { label: 'sip', value: 'sip:jdupont@pbx.example.com' }], email: 'jean@example.fr', notes: 'Line one\nLine two, with; punctuation \\ and "quotes"', favourite: true },
      { name: 'Zoë Ærø', numbers: [{ label: 'other', value: '1001' }, { label: 'home', value: '+44 20 7946 0958' }, { label: 'desk', value: 'sips:zoe@pbx.example.com' }] },
      { name: 'No Numbers', email: 'x@example.com' },
      { name: `${'Long '.repeat(40)}Name`, numbers: [{ label: 'work', value: `0${pairs(12_345_678)}` }], notes: 'é'.repeat(4000) },
    ];
    for (const input of inputs) assert.ok(a.directory.save(input).ok);
    const exported = await a.directory.exportVCard();
    assert.match(exported, /^BEGIN:VCARD\r\nVERSION:4\.0\r\n/);
    assert.equal(exported.match(/^BEGIN:VCARD$/gm)?.length, 4);
    const report = await importOk(b.directory, { format: 'vcard', data: base64(exported) });
    assert.deepEqual({ imported: report.imported, skipped: report.skipped }, { imported: 4, skipped: [] });
    const strip = (d: typeof a.directory) => d.search({ query: '' }).contacts.map(({ id: _id, ...c }) => c);
    assert.deepEqual(strip(b.directory), strip(a.directory));
  } finally {
    a.close();
    b.close();
  }
});
